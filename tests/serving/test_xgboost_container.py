"""The XGBoost container over real HTTP (granian): the SageMaker XGBoost serving contract on a Booster
trained here, and our safer defaults (one column too few is a 400)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.helpers.servers import running

pytestmark = pytest.mark.process  # starts server processes

ROWS = np.array([[1.0, 2.0, 3.0], [4.5, 0.25, 9.0], [7.0, 7.0, 1.0]])


@pytest.fixture(scope="module")
def model(tiny_booster):
    return tiny_booster


@pytest.fixture(scope="module")
def server(model):
    with running("xgboost", model[0]) as srv:
        yield srv


@pytest.fixture(scope="module")
def batch_server(model):
    with running("xgboost", model[0], SAGEMAKER_BATCH="true") as srv:
        yield srv


def expected(model, rows: np.ndarray) -> list[float]:
    return [float(x) for x in model[1].inplace_predict(rows, validate_features=False)]


def csv_rows(rows: np.ndarray, delimiter: str = ",", newline: str = "\n") -> str:
    return newline.join(delimiter.join(repr(float(x)) for x in row) for row in rows)


def test_csv_one_row_gives_one_prediction_line(server, model):
    resp = server.post(csv_rows(ROWS[:1]))
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert resp.text == f"{expected(model, ROWS[:1])[0]}\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", ", "])
def test_csv_delimiter_is_sniffed(server, model, delimiter):
    resp = server.post(csv_rows(ROWS, delimiter))
    assert resp.status_code == 200, resp.text
    assert [float(x) for x in resp.text.splitlines()] == expected(model, ROWS)


def test_csv_several_rows_with_crlf(server, model):
    resp = server.post(csv_rows(ROWS, newline="\r\n") + "\r\n")
    assert [float(x) for x in resp.text.splitlines()] == expected(model, ROWS)


def test_csv_empty_field_is_missing(server, model):
    resp = server.post("1.0,,3.0")
    assert float(resp.text) == expected(model, np.array([[1.0, np.nan, 3.0]]))[0]


def test_libsvm_rows_with_and_without_labels(server, model):
    resp = server.post("0:1.0 1:2.0 2:3.0\n5.0 0:4.5 1:0.25 2:9.0\n2:1.0", content_type="text/libsvm")
    assert resp.status_code == 200
    want = expected(model, np.array([ROWS[0], ROWS[1], [np.nan, np.nan, 1.0]]))
    assert [float(x) for x in resp.text.splitlines()] == want


def test_missing_content_type_means_libsvm_as_aws(server, model):
    resp = server.post("0:1.0 1:2.0 2:3.0", content_type=None)
    assert resp.status_code == 200
    assert float(resp.text) == expected(model, ROWS[:1])[0]


def test_accept_json_gives_predictions_scores(server, model):
    resp = server.post(csv_rows(ROWS), accept="application/json")
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.json() == {"predictions": [{"score": s} for s in expected(model, ROWS)]}


def test_accept_jsonlines_gives_one_score_object_per_line(server, model):
    resp = server.post(csv_rows(ROWS), accept="application/jsonlines")
    assert resp.headers["Content-Type"].startswith("application/jsonlines")
    assert [json.loads(line) for line in resp.text.splitlines()] == [{"score": s} for s in expected(model, ROWS)]


@pytest.mark.parametrize("accept", ["", "*/*", "text/csv"])
def test_blank_or_wildcard_accept_is_csv(server, model, accept):
    resp = server.post(csv_rows(ROWS[:1]), accept=accept)
    assert resp.text == f"{expected(model, ROWS[:1])[0]}\n"


def test_predictions_print_the_shortest_round_trip_digits(server, model):
    text = server.post(csv_rows(ROWS)).text.splitlines()
    assert text == [str(s) for s in expected(model, ROWS)]


def test_batch_mode_answers_newline_separated_whatever_the_accept(batch_server, model):
    want = "".join(f"{s}\n" for s in expected(model, ROWS))
    for accept in ("text/csv", "application/json", "application/x-recordio-protobuf"):
        resp = batch_server.post(csv_rows(ROWS), accept=accept)
        assert resp.status_code == 200
        assert resp.text == want


def test_one_column_too_many_is_a_400_hinting_at_the_label(server):
    resp = server.post("1.0,2.0,3.0,4.0")
    assert resp.status_code == 400
    assert "4" in resp.text and "3" in resp.text and "label" in resp.text


def test_one_column_too_few_is_a_400_where_aws_answers(server):
    resp = server.post("1.0,2.0")
    assert resp.status_code == 400
    assert "too few" in resp.text


def test_a_short_row_among_good_ones_is_named(server):
    resp = server.post(csv_rows(ROWS) + "\n1.0,2.0")
    assert resp.status_code == 400
    assert resp.text.startswith("row 4:")


def test_text_in_csv_is_415_naming_row_and_column(server):
    resp = server.post("1.0,2.0,3.0\n1.0,F,3.0")
    assert resp.status_code == 415
    assert "row 2, column 2" in resp.text and "'F'" in resp.text


@pytest.mark.parametrize("content_type", ["application/json", "application/jsonlines", "text/plain",
                                          "application/x-parquet"])
def test_unsupported_content_type_is_415(server, content_type):
    resp = server.post("1,2,3", content_type=content_type)
    assert resp.status_code == 415
    assert "text/libsvm" in resp.text


@pytest.mark.parametrize("accept", ["application/xml", "text/html", "application/x-recordio-protobuf"])
def test_unsupported_accept_is_406(server, accept):
    resp = server.post("1,2,3", accept=accept)
    assert resp.status_code == 406
    assert "application/json" in resp.text


def test_empty_body_is_204(server):
    resp = server.post(b"")
    assert resp.status_code == 204 and resp.content == b""


def test_payload_over_6mb_is_413(server):
    resp = server.post(b"1.0,2.0,3.0\n" * (6 * 1024 * 1024 // 12 + 1))
    assert resp.status_code == 413


def test_ping_and_execution_parameters(server):
    assert server.get("/ping").status_code == 200
    assert server.get("/execution-parameters").json() == {
        "MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": 6}


def test_metrics_count_requests_by_status(server):
    server.post("1,2,3")
    text = server.get("/metrics").text
    assert "# TYPE sparkleap_xgboost_requests_total counter" in text
    assert 'sparkleap_xgboost_requests_total{status="200"' in text


def test_metrics_sum_every_server_worker(tiny_booster):
    model, _ = tiny_booster
    with running("xgboost", model, SAGEMAKER_MODEL_SERVER_WORKERS="2") as two_workers:
        for _ in range(20):
            assert two_workers.post("1,2,3").status_code == 200
        for _ in range(4):  # whichever worker answers the scrape, it reports all 20
            text = two_workers.get("/metrics").text
            assert 'sparkleap_xgboost_requests_total{status="200"} 20.0' in text
            assert "sparkleap_xgboost_request_latency_seconds_count 20.0" in text
