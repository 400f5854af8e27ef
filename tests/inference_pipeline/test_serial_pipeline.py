"""The local serial pipeline over real HTTP: SparkML container -> XGBoost container behind the front end."""

from __future__ import annotations

import json
import time

import boto3
import numpy as np
import pytest
import requests
import xgboost as xgb
from botocore.config import Config

from serving.inference_pipeline.frontend import BETWEEN_LIMIT, CLIENT_LIMIT
from serving.xgboost.app import load_booster
from tests.helpers.oracle import direct_predictions

pytestmark = pytest.mark.process  # starts server processes

SEED_ROW = "F,0.515,0.425,0.14,0.766,0.304,0.1725,0.255"


def post(url: str, body: bytes | str, content_type: str = "text/csv", accept: str | None = None,
         path: str = "/invocations") -> requests.Response:
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    return requests.post(url + path, data=body, headers=headers, timeout=60)


def test_every_abalone_row_predicts_as_bundle_runtime_plus_xgboost(endpoint, raw_rows, abalone_trained):
    reply = post(endpoint.url, "\n".join(raw_rows))
    assert reply.status_code == 200, reply.text
    got = np.array([float(line) for line in reply.text.splitlines()])
    assert len(got) == len(raw_rows)
    expected = direct_predictions(abalone_trained, raw_rows)
    np.testing.assert_array_equal(got.astype(np.float32), expected.astype(np.float32))


def test_sparkml_container_answers_the_seed_row_with_the_documented_features(endpoint):
    sparkml_port = endpoint.supervisor.containers[0].port
    reply = post(f"http://127.0.0.1:{sparkml_port}", SEED_ROW)
    assert reply.text.strip() == "0.0,0.0,0.515,0.425,0.14,0.766,0.304,0.1725,0.255"


def test_json_in_and_json_out_follow_content_type_to_first_and_accept_to_last(endpoint):
    row = SEED_ROW.split(",")
    body = json.dumps({"data": [[row[0], *map(float, row[1:])]] * 2})
    reply = post(endpoint.url, body, "application/json", accept="application/json")
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"].startswith("application/json")
    scores = [p["score"] for p in reply.json()["predictions"]]
    assert len(scores) == 2 and scores[0] == scores[1] == pytest.approx(float(post(endpoint.url, SEED_ROW).text))


def test_latency_headers_and_metrics_name_each_container(endpoint):
    started = time.perf_counter()
    reply = post(endpoint.url, SEED_ROW)
    elapsed_us = (time.perf_counter() - started) * 1e6
    per_container = dict(item.split("=") for item in reply.headers["X-Sparkleap-Container-Latency-Us"].split(","))
    assert list(per_container) == ["sparkml", "xgboost"]
    model_us = int(reply.headers["X-Sparkleap-Model-Latency-Us"])
    overhead_us = int(reply.headers["X-Sparkleap-Overhead-Latency-Us"])
    assert abs(model_us - sum(map(int, per_container.values()))) <= 2  # their sum, each rounded to 1 us
    assert 0 < overhead_us and 0 < model_us and model_us + overhead_us < elapsed_us  # measured, never clamped
    assert reply.headers["X-Amzn-Invoked-Production-Variant"] == "AllTraffic"
    metrics = requests.get(endpoint.url + "/metrics", timeout=10).text
    for name in ('container_latency_seconds_count{container="sparkml"', 'container="xgboost"',
                 "sparkleap_pipeline_model_latency_seconds", "sparkleap_pipeline_overhead_latency_seconds"):
        assert name in metrics


def test_bad_row_is_a_424_naming_the_sparkml_container(endpoint):
    reply = post(endpoint.url, "X,0.515,0.425,0.14,0.766,0.304,0.1725,0.255")
    assert reply.status_code == 424
    assert reply.text.startswith('Received client error (400) from sparkml with message "row 1')
    assert "Unseen label: X" in reply.text


def test_unsupported_accept_at_the_last_container_is_a_424_naming_xgboost(endpoint):
    reply = post(endpoint.url, SEED_ROW, accept="image/png")
    assert reply.status_code == 424
    assert "Received client error (406) from xgboost" in reply.text


def test_ping_execution_parameters_and_status(endpoint):
    assert requests.get(endpoint.url + "/ping", timeout=10).status_code == 200
    params = requests.get(endpoint.url + "/execution-parameters", timeout=10).json()
    assert params == {"MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": 6}
    status = requests.get(endpoint.url + "/status", timeout=10).json()
    assert [c["name"] for c in status["containers"]] == ["sparkml", "xgboost"]
    assert requests.get(endpoint.url + "/nope", timeout=10).status_code == 404


def test_empty_body_is_204_and_oversized_body_is_413(endpoint):
    assert post(endpoint.url, b"").status_code == 204
    reply = post(endpoint.url, b"x" * (CLIENT_LIMIT + 1))
    assert reply.status_code == 413 and "6 MB" in reply.text


def test_response_over_5_mb_between_containers_is_a_424(endpoint):
    rows = (SEED_ROW + "\n") * (CLIENT_LIMIT // (len(SEED_ROW) + 1) - 10)
    reply = post(endpoint.url, rows)
    assert reply.status_code == 424
    assert "the request payload from sparkml to xgboost is" in reply.text and "limit of 5 MB" in reply.text
    assert BETWEEN_LIMIT < CLIENT_LIMIT


def runtime_client(url: str):
    return boto3.client("sagemaker-runtime", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="local", aws_secret_access_key="local",
                        config=Config(retries={"max_attempts": 0}))


def test_boto3_invoke_endpoint_works_unchanged_against_the_local_endpoint(endpoint):
    reply = runtime_client(endpoint.url).invoke_endpoint(EndpointName="sparkleap", ContentType="text/csv",
                                                         Accept="text/csv", Body=SEED_ROW)
    assert reply["ContentType"] == "text/csv"
    assert reply["InvokedProductionVariant"] == "AllTraffic"
    assert float(reply["Body"].read()) == pytest.approx(float(post(endpoint.url, SEED_ROW).text))


def test_boto3_sees_a_model_error_for_a_bad_row(endpoint):
    client = runtime_client(endpoint.url)
    with pytest.raises(client.exceptions.ModelError) as caught:
        client.invoke_endpoint(EndpointName="sparkleap", ContentType="text/csv", Body="X,1,2,3,4,5,6,7")
    error = caught.value.response
    assert error["OriginalStatusCode"] == 400
    assert "from sparkml" in error["Error"]["Message"] and "Unseen label: X" in error["OriginalMessage"]


def test_boto3_unknown_endpoint_name_is_a_validation_error(endpoint):
    client = runtime_client(endpoint.url)
    with pytest.raises(client.exceptions.ClientError) as caught:
        client.invoke_endpoint(EndpointName="other", ContentType="text/csv", Body=SEED_ROW)
    assert caught.value.response["Error"]["Code"] == "ValidationError"
    assert "Endpoint other not found" in caught.value.response["Error"]["Message"]


def test_booster_features_width_matches_bundle(abalone_trained):
    booster = load_booster(str(abalone_trained / "xgboost" / "model.tar.gz"))
    assert isinstance(booster, xgb.Booster) and booster.num_features() == 9
