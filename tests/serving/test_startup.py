"""Start-up of `sparkleap serve`: a bad schema, bundle, model or setting ends the process at once with a
non-zero status and one line saying what is wrong (no traceback, no server crash loop)."""

from __future__ import annotations

import json
import pickle

import pytest

from tests.helpers.servers import TITANIC_SCHEMA, assert_one_line_failure, run_serve, running, write_model_tar

pytestmark = pytest.mark.process  # starts server processes


@pytest.mark.parametrize("schema, words", [
    ("{not json", ["SAGEMAKER_SPARKML_SCHEMA", "not valid JSON"]),
    (json.dumps({"input": [{"name": "Pclass", "type": "integer"}], "output": TITANIC_SCHEMA["output"]}),
     ["SAGEMAKER_SPARKML_SCHEMA", "input/0/type"]),
    (json.dumps({"input": TITANIC_SCHEMA["input"]}), ["SAGEMAKER_SPARKML_SCHEMA", "output"]),
    (json.dumps({"input": TITANIC_SCHEMA["input"][:4], "output": TITANIC_SCHEMA["output"]}),
     ["SibSp", "Sex"]),
    (json.dumps({"input": TITANIC_SCHEMA["input"], "output": {"name": "nope", "type": "double"}}),
     ["'nope'", "not produced"]),
    (json.dumps({**TITANIC_SCHEMA, "input": [*TITANIC_SCHEMA["input"], TITANIC_SCHEMA["input"][0]]}),
     ["'Pclass'", "twice"]),
])
def test_bad_sparkml_schema_exits_with_one_line(titanic, schema, words):
    assert_one_line_failure(run_serve("sparkml", titanic, SAGEMAKER_SPARKML_SCHEMA=schema), *words)


def test_missing_bundle_exits_with_one_line(tmp_path):
    assert_one_line_failure(run_serve("sparkml", tmp_path / "absent"), "absent", "no such file")


def test_broken_bundle_archive_exits_with_one_line(tmp_path):
    broken = tmp_path / "model.tar.gz"
    broken.write_bytes(b"this is not an archive")
    assert_one_line_failure(run_serve("sparkml", broken), "sparkml container: cannot start")


def test_unsupported_default_accept_exits_with_one_line(titanic):
    result = run_serve("sparkml", titanic, SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT="application/json")
    assert_one_line_failure(result, "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT")


def test_non_integer_port_exits_with_one_line(titanic):
    result = run_serve("sparkml", titanic, SAGEMAKER_BIND_TO_PORT="80a")
    assert_one_line_failure(result, "SAGEMAKER_BIND_TO_PORT")


def test_pickled_xgboost_model_is_refused_saying_why(sdk_pickle_model):
    result = run_serve("xgboost", sdk_pickle_model)
    assert_one_line_failure(result, "pickle", "arbitrary code", "SPARKLEAP_ALLOW_PICKLE=1")


def test_allowed_python2_pickle_of_an_old_booster_fails_clearly(sdk_pickle_model):
    result = run_serve("xgboost", sdk_pickle_model, SPARKLEAP_ALLOW_PICKLE="1")
    assert_one_line_failure(result, "xgboost-model", "re-save", "save_model")


def test_allowed_pickle_of_a_current_booster_is_served(tiny_booster, tmp_path):
    path, booster = tiny_booster
    model = write_model_tar(tmp_path, {"xgboost-model": pickle.dumps(booster)})
    assert run_serve("xgboost", model).returncode != 0  # refused without the flag
    with running("xgboost", model, SPARKLEAP_ALLOW_PICKLE="1") as server:
        resp = server.post("1.0,2.0,3.0")
        assert resp.status_code == 200
        assert float(resp.text) == float(booster.inplace_predict([[1.0, 2.0, 3.0]])[0])


def test_a_file_that_is_no_model_exits_with_one_line(tmp_path):
    model = write_model_tar(tmp_path, {"xgboost-model": b"definitely not a booster"})
    assert_one_line_failure(run_serve("xgboost", model), "xgboost-model", "not an XGBoost model")


def test_an_empty_model_dir_exits_with_one_line(tmp_path):
    assert_one_line_failure(run_serve("xgboost", tmp_path), "xgboost-model")
