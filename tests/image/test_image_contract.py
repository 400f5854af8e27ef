"""The SageMaker container contract, answered by each Dockerfile target as its image holds it: /ping,
/execution-parameters, one and many CSV rows, JSON, JSON Lines, and the serving tests' bad-input corpora
(the XGBoost 415/400/406 answers among them) plus 413. A package or file the image lacks shows here."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.helpers.request_corpora import (
    EXPECTED,
    EXPECTED_VECTOR,
    GOOD,
    JSON_ROW,
    SPARKML_CORPUS,
    XGB_CORPUS,
    assert_clean_client_error,
    server_errors,
)
from tests.helpers.servers import TITANIC_SCHEMA, schema_json

pytestmark = pytest.mark.image

SPARKML_ROWS = [f"{1 + i % 3}.0,{'CSQ'[i % 3]},{i * 0.5},{10 + i},{i % 4}.0,{('male', 'female')[i % 2]}"
                for i in range(10)]
XGB_ROWS = np.array([[1.0, 2.0, 3.0], [4.5, 0.25, 9.0], [7.0, 7.0, 1.0]])
XGB_MANY_ROWS = np.random.default_rng(3).uniform(0, 10, size=(50, 3))  # past the container's pyarrow threshold
EXECUTION_PARAMETERS = {"MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": 6}
OVER_6MB = b"1.0,2.0,3.0\n" * (6 * 1024 * 1024 // 12 + 1)


@pytest.fixture(scope="module")
def sparkml(images, titanic_model):
    with images("sparkml").running(titanic_model, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA)) as srv:
        yield srv


@pytest.fixture(scope="module")
def xgboost(images, booster_model):
    with images("xgboost").running(booster_model[0]) as srv:
        yield srv


@pytest.fixture(scope="module")
def predict(booster_model):
    return lambda rows: [float(x) for x in booster_model[1].inplace_predict(rows, validate_features=False)]


def test_sparkml_ping_and_execution_parameters(sparkml):
    ping = sparkml.get("/ping")
    assert ping.status_code == 200 and ping.content == b""
    assert sparkml.get("/execution-parameters").json() == EXECUTION_PARAMETERS


def test_sparkml_one_csv_row(sparkml):
    resp = sparkml.post(GOOD)
    assert resp.status_code == 200 and resp.text == EXPECTED
    assert resp.headers["Content-Type"].startswith("text/csv")


def test_sparkml_ten_csv_rows_answer_ten_lines_as_one_row_each(sparkml):
    resp = sparkml.post("\n".join(SPARKML_ROWS))
    assert resp.status_code == 200, resp.text
    assert resp.text.split("\n") == [sparkml.post(row).text for row in SPARKML_ROWS]


def test_sparkml_json_rows_to_jsonlines(sparkml):
    resp = sparkml.post(json.dumps({"data": [JSON_ROW, JSON_ROW]}), content_type="application/json",
                        accept="application/jsonlines")
    assert resp.status_code == 200, resp.text
    assert [json.loads(line) for line in resp.text.split("\n")] == [{"features": EXPECTED_VECTOR}] * 2


def test_sparkml_jsonlines_request(sparkml):
    body = "\n".join(json.dumps({"data": JSON_ROW}) for _ in range(3))
    resp = sparkml.post(body, content_type="application/jsonlines")
    assert resp.status_code == 200, resp.text
    assert resp.text.split("\n") == [EXPECTED] * 3


def test_sparkml_payload_over_6mb_is_413(sparkml):
    assert sparkml.post((GOOD + "\n").encode() * (6 * 1024 * 1024 // len(GOOD) + 1)).status_code == 413


@pytest.mark.parametrize("body, content_type, accept, status, words", SPARKML_CORPUS)
def test_sparkml_bad_input_is_a_clean_4xx(sparkml, body, content_type, accept, status, words):
    assert_clean_client_error(sparkml.post(body, content_type=content_type, accept=accept), status, words)


def test_sparkml_answered_no_5xx(sparkml):
    assert sparkml.post(GOOD).text == EXPECTED
    assert server_errors(sparkml, "sparkleap_sparkml") == []


def test_xgboost_ping_and_execution_parameters(xgboost):
    ping = xgboost.get("/ping")
    assert ping.status_code == 200 and ping.content == b""
    assert xgboost.get("/execution-parameters").json() == EXECUTION_PARAMETERS


def test_xgboost_csv_one_and_many_rows(xgboost, predict):
    assert xgboost.post("1.0,2.0,3.0").text == f"{predict(XGB_ROWS[:1])[0]}\n"
    resp = xgboost.post("\n".join(",".join(map(str, row)) for row in XGB_ROWS))
    assert resp.status_code == 200, resp.text
    assert [float(x) for x in resp.text.splitlines()] == predict(XGB_ROWS)


def test_xgboost_fifty_csv_rows(xgboost, predict):
    resp = xgboost.post("\n".join(",".join(map(repr, row)) for row in XGB_MANY_ROWS.tolist()))
    assert resp.status_code == 200, resp.text
    assert [float(x) for x in resp.text.splitlines()] == predict(XGB_MANY_ROWS)


def test_xgboost_libsvm_to_json_and_jsonlines(xgboost, predict):
    body = "\n".join(" ".join(f"{i}:{v}" for i, v in enumerate(row)) for row in XGB_ROWS)
    scores = predict(XGB_ROWS)
    as_json = xgboost.post(body, content_type="text/libsvm", accept="application/json")
    assert as_json.json() == {"predictions": [{"score": s} for s in scores]}
    lines = xgboost.post(body, content_type="text/libsvm", accept="application/jsonlines").text.splitlines()
    assert [json.loads(line) for line in lines] == [{"score": s} for s in scores]


def test_xgboost_payload_over_6mb_is_413(xgboost):
    assert xgboost.post(OVER_6MB).status_code == 413


@pytest.mark.parametrize("body, content_type, accept, status, words", XGB_CORPUS)
def test_xgboost_bad_input_is_a_clean_4xx(xgboost, body, content_type, accept, status, words):
    assert_clean_client_error(xgboost.post(body, content_type=content_type, accept=accept), status, words)


def test_xgboost_answered_no_5xx(xgboost):
    assert xgboost.post("1,2,3").status_code == 200
    assert server_errors(xgboost, "sparkleap_xgboost") == []
