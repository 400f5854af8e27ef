"""The SparkML container over real HTTP (granian), on the SDK's real Titanic bundle: every request and
response form of the AWS sagemaker-sparkml-serving contract, plus what we add (several rows per request)."""

from __future__ import annotations

import json

import pytest
import requests

from tests.helpers.request_corpora import EXPECTED, EXPECTED_VECTOR, JSON_ROW, ROW
from tests.helpers.servers import TITANIC_SCHEMA, running, schema_json

pytestmark = pytest.mark.process  # starts server processes


@pytest.fixture(scope="module")
def server(titanic):
    with running("sparkml", titanic, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA),
                 SAGEMAKER_MODEL_SERVER_WORKERS="2") as srv:
        yield srv


@pytest.fixture(scope="module")
def derived_server(titanic):
    """No SAGEMAKER_SPARKML_SCHEMA (the schema comes from the bundle); default Accept set to jsonlines."""
    with running("sparkml", titanic, SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT="application/jsonlines") as srv:
        yield srv


def test_titanic_valid_row_gives_the_reference_vector_as_csv(server, titanic_rows):
    assert titanic_rows["valid"] == ",".join(ROW)
    resp = server.post(titanic_rows["valid"])
    assert resp.status_code == 200
    assert resp.text == EXPECTED
    assert resp.headers["Content-Type"].startswith("text/csv")


def test_titanic_valid_row_as_jsonlines_features(server, titanic_rows):
    resp = server.post(titanic_rows["valid"], accept="application/jsonlines")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/jsonlines")
    assert resp.text == '{"features":[1.0,0.0,38.0,1.0,71.5,0.0,1.0]}'


def test_jsonlines_data_text_gives_space_joined_source(server):
    resp = server.post(",".join(ROW), accept="application/jsonlines;data=text")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/jsonlines")
    assert json.loads(resp.text) == {"source": "1.0 0.0 38.0 1.0 71.5 0.0 1.0"}


def test_titanic_invalid_row_is_a_400_naming_row_column_and_value(server, titanic_rows):
    resp = server.post(titanic_rows["invalid"])
    assert resp.status_code == 400
    assert "row 1" in resp.text and "'Age'" in resp.text and "'C'" in resp.text


def test_unseen_category_is_a_400_naming_the_row_and_label(server):
    body = ",".join(ROW) + "\n" + "1.0,X,38.0,71.5,1.0,female"
    resp = server.post(body)
    assert resp.status_code == 400
    assert resp.text.startswith("row 2, column 'Embarked'")
    assert "Unseen label: X" in resp.text


def test_thousand_row_csv_answers_thousand_rows_in_order(server):
    rows = [f"{1 + i % 3}.0,{'CSQ'[i % 3]},{i * 0.25},{10 + i},{i % 4}.0,{('male', 'female')[i % 2]}"
            for i in range(1000)]
    resp = server.post("\r\n".join(rows) + "\r\n")
    assert resp.status_code == 200
    lines = resp.text.split("\n")
    assert len(lines) == 1000
    for i in (0, 1, 2, 499, 998, 999):  # Age and Fare pass through the assembler: they identify the row
        values = [float(x) for x in lines[i].split(",")]
        assert values[2] == float(i * 0.25) and values[4] == float(10 + i)
    singles = [server.post(rows[i]).text for i in (0, 1, 2)]
    assert lines[:3] == singles


def test_csv_rfc4180_quotes_are_honoured(server):
    resp = server.post('1.0,"C",38.0,71.5,1.0,"female"')
    assert resp.text == EXPECTED


def test_json_single_row(server):
    resp = server.post(json.dumps({"data": JSON_ROW}), content_type="application/json")
    assert resp.status_code == 200
    assert resp.text == EXPECTED


def test_json_several_rows(server):
    second = [3, "S", 2.5, 7.25, 0, "male"]
    resp = server.post(json.dumps({"data": [JSON_ROW, second]}), content_type="application/json",
                       accept="application/jsonlines")
    assert resp.status_code == 200
    lines = [json.loads(line) for line in resp.text.split("\n")]
    assert lines[0] == {"features": EXPECTED_VECTOR}
    assert lines[1] == {"features": [3.0, 1.0, 2.5, 0.0, 7.25, 1.0, 0.0]}


def test_jsonlines_rows_with_a_schema_line(server):
    reordered = {"input": [TITANIC_SCHEMA["input"][i] for i in (5, 0, 1, 2, 3, 4)],
                 "output": TITANIC_SCHEMA["output"]}
    body = "\n".join([json.dumps({"schema": reordered}),
                      json.dumps({"data": ["female", *JSON_ROW[:5]]}),
                      json.dumps({"data": [["female", *JSON_ROW[:5]], ["male", 3, "S", 2.5, 7.25, 0]]})])
    resp = server.post(body, content_type="application/jsonlines")
    assert resp.status_code == 200
    assert resp.text.split("\n") == [EXPECTED, EXPECTED, "3.0,1.0,2.5,0.0,7.25,1.0,0.0"]


def test_schema_in_the_request_wins_over_the_environment(server):
    reordered = {"input": [TITANIC_SCHEMA["input"][i] for i in (5, 4, 3, 2, 1, 0)],
                 "output": TITANIC_SCHEMA["output"]}
    body = {"schema": reordered, "data": list(reversed(JSON_ROW))}
    resp = server.post(json.dumps(body), content_type="application/json")
    assert resp.status_code == 200
    assert resp.text == EXPECTED
    assert server.post(json.dumps({"data": list(reversed(JSON_ROW))}), content_type="application/json"
                       ).status_code == 400  # the env schema (Pclass first) still applies without one


def test_request_schema_that_misses_a_bundle_input_is_a_400(server):
    partial = {"input": TITANIC_SCHEMA["input"][:5], "output": TITANIC_SCHEMA["output"]}
    resp = server.post(json.dumps({"schema": partial, "data": JSON_ROW[:5]}), content_type="application/json")
    assert resp.status_code == 400
    assert "Sex" in resp.text


def test_ping_is_200_and_empty(server):
    resp = server.get("/ping")
    assert resp.status_code == 200 and resp.content == b""


def test_execution_parameters_are_multi_record_6mb_and_the_worker_count(server):
    assert server.get("/execution-parameters").json() == {
        "MaxConcurrentTransforms": 2, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": 6}


@pytest.mark.parametrize("accept", ["", "*/*", "text/csv", "text/csv; charset=utf-8", "text/*",
                                    "application/json;q=0.9, text/csv"])
def test_accept_negotiation_to_csv(server, accept):
    resp = server.post(",".join(ROW), accept=accept)
    assert resp.status_code == 200, resp.text
    assert resp.text == EXPECTED


def test_missing_accept_header_means_csv(server):
    resp = server.post(",".join(ROW))
    assert resp.text == EXPECTED


@pytest.mark.parametrize("accept", ["application/json", "application/xml", "image/png", "text/plain"])
def test_unsupported_accept_is_406_listing_the_supported_types(server, accept):
    resp = server.post(",".join(ROW), accept=accept)
    assert resp.status_code == 406
    assert "application/jsonlines" in resp.text


@pytest.mark.parametrize("content_type", ["application/xml", "text/plain", "application/x-recordio-protobuf"])
def test_unsupported_content_type_is_415(server, content_type):
    resp = server.post(",".join(ROW), content_type=content_type)
    assert resp.status_code == 415
    assert "text/csv" in resp.text


def test_missing_content_type_is_415(server):
    assert server.post(",".join(ROW), content_type=None).status_code == 415


def test_payload_over_6mb_is_413(server):
    line = (",".join(ROW) + "\n").encode()
    body = line * (6 * 1024 * 1024 // len(line) + 1)
    resp = server.post(body)
    assert resp.status_code == 413
    assert "6291456" in resp.text


def test_metrics_are_prometheus_text_on_a_side_path(server):
    server.post(",".join(ROW))
    server.post("1.0,X,38.0,71.5,1.0,female")
    resp = server.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    text = resp.text
    assert "# TYPE sparkleap_sparkml_requests_total counter" in text
    assert "# TYPE sparkleap_sparkml_request_latency_seconds histogram" in text
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    assert any(k.startswith("sparkleap_sparkml_requests_total{status=\"200\"") and v >= 1 for k, v in samples.items())
    assert any(k.startswith("sparkleap_sparkml_rows_total") and v >= 1 for k, v in samples.items())
    assert any(k.startswith("sparkleap_sparkml_request_latency_seconds_count") for k in samples)


def test_derived_schema_serves_without_the_env_var_in_the_bundle_order(derived_server):
    # derived order: Sex, Embarked (string indexers), then the assembler's Pclass, Age, SibSp, Fare
    resp = derived_server.post("female,C,1.0,38.0,1.0,71.5", accept="text/csv")
    assert resp.status_code == 200
    assert resp.text == EXPECTED


def test_default_invocations_accept_applies_to_blank_and_wildcard(derived_server):
    for accept in (None, "", "*/*"):
        resp = derived_server.post("female,C,1.0,38.0,1.0,71.5", accept=accept)
        assert resp.headers["Content-Type"].startswith("application/jsonlines")
        assert json.loads(resp.text) == {"features": EXPECTED_VECTOR}


def test_float_columns_round_through_float32_as_the_java_container(server):
    resp = server.post("1.0,C,38.1,71.5,1.0,female")
    assert resp.text.split(",")[2] == "38.099998474121094"


def test_huge_numbers_parse_as_java_and_print_as_infinity(server):
    resp = server.post("1.0,C,1e999,-1e400,1.0,female")
    assert resp.status_code == 200
    assert resp.text == "1.0,0.0,Infinity,1.0,-Infinity,0.0,1.0"


def test_chunked_body_over_the_limit_is_413(server):
    chunk = (",".join(ROW) + "\n").encode() * 1000  # small chunks: little is left unsent when the server stops
    chunks = iter([chunk] * (6 * 1024 * 1024 // len(chunk) + 1))
    resp = requests.post(f"{server.url}/invocations", data=chunks, headers={"Content-Type": "text/csv"}, timeout=30)
    assert resp.status_code == 413
