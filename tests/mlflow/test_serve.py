"""`mlflow models serve --env-manager local` on a sparkleap model: MLflow's scoring protocol on loopback (one
real server process for the module), Spark's answers, MLflow's schema errors as 400s."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import requests

from base.processes import HOST, ServerProcess, free_port

pytestmark = pytest.mark.process


@pytest.fixture(scope="module")
def scoring(logged_uri, tmp_path_factory):
    """The server's /invocations URL; the model is loaded by the child from the tracking folder."""
    port = free_port()
    argv = [sys.executable, "-m", "mlflow", "models", "serve", "-m", logged_uri, "--env-manager", "local",
            "-h", HOST, "-p", str(port), "-w", "1"]
    log = tmp_path_factory.mktemp("mlflow-serve") / "serve.log"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}  # uvicorn
    with ServerProcess(argv, env, port, log, label="mlflow models serve") as server:
        server.wait_ready(timeout=180)
        yield f"http://{HOST}:{port}/invocations"


def post(url: str, body: dict) -> requests.Response:
    return requests.post(url, data=json.dumps(body), headers={"Content-Type": "application/json"}, timeout=60)


def test_the_three_input_formats_answer_sparks_predictions(spark, fitted, scoring):
    batch = fitted.rows.head(6)
    want = fitted.spark_outputs(spark, batch, ["prediction"])["prediction"].tolist()
    records = batch.to_dict(orient="records")
    bodies = {"dataframe_split": {"dataframe_split": batch.to_dict(orient="split")},
              "dataframe_records": {"dataframe_records": records},
              "instances": {"instances": records}}
    for name, body in bodies.items():
        reply = post(scoring, body)
        assert reply.status_code == 200, (name, reply.text)
        assert [p["prediction"] for p in reply.json()["predictions"]] == want, name


def test_the_outputs_param_chooses_the_columns(spark, fitted, scoring):
    batch = fitted.rows.head(3)
    reply = post(scoring, {"dataframe_split": batch.to_dict(orient="split"),
                           "params": {"outputs": ["probability", "features"]}})
    assert reply.status_code == 200, reply.text
    want = fitted.spark_outputs(spark, batch, ["probability", "features"])
    predictions = reply.json()["predictions"]
    assert [p["probability"] for p in predictions] == want["probability"].tolist()
    assert [p["features"] for p in predictions] == want["features"].tolist()


def test_a_missing_column_or_a_wrong_type_is_a_400_with_mlflows_schema_message(fitted, scoring):
    missing = post(scoring, {"dataframe_records": [{"color": "red", "age": 3.0}]})
    assert missing.status_code == 400
    assert missing.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "Model is missing inputs ['size']" in missing.json()["message"]
    wrong = post(scoring, {"dataframe_records": [{"color": "red", "size": "big", "age": 3.0}]})
    assert wrong.status_code == 400 and wrong.json()["error_code"] == "BAD_REQUEST"
    assert "not compatible with model signature" in wrong.json()["message"] and "size" in wrong.json()["message"]
    assert "/bundles/" not in wrong.json().get("stack_trace", "")
    after = post(scoring, {"dataframe_records": fitted.rows.head(1).to_dict(orient="records")})
    assert after.status_code == 200  # the server stays up
