"""A bug inside an op fails a batch job's file as an internal error naming the node and op (in the job's report
and the log), never as the record's fault; a bad record still fails its file naming record and column."""

from __future__ import annotations

import logging

import pytest

from serving.batch.engines.inprocess import InprocessEngine
from serving.batch.job import run_job
from serving.batch.options import TransformOptions
from serving.batch.progress import Progress
from serving.inference_pipeline.description import Container, Pipeline
from tests.helpers.broken_op import BROKEN_ROW, GOOD_ROW, LOGGED, break_vector_assembler
from tests.helpers.servers import TITANIC_MODEL, TITANIC_SCHEMA, schema_json, write_model_tar

GOOD = GOOD_ROW
FEATURES = 7  # the Titanic bundle's feature vector


@pytest.fixture(scope="module")
def titanic_booster(tmp_path_factory):
    """A small regression Booster over the Titanic bundle's 7 features, in a model.tar.gz."""
    import numpy as np
    import xgboost as xgb

    rng = np.random.default_rng(3)
    features = rng.uniform(0, 80, size=(100, FEATURES))
    booster = xgb.train({"max_depth": 2, "nthread": 1}, xgb.DMatrix(features, label=features.sum(axis=1)), 5)
    return write_model_tar(tmp_path_factory.mktemp("titanic-xgb"), {"xgboost-model": booster.save_raw("json")})


@pytest.fixture
def broken_engine(shared, titanic_booster, monkeypatch) -> InprocessEngine:
    """Titanic SparkML -> XGBoost, the bundle's VectorAssembler broken (`tests.helpers.broken_op`)."""
    break_vector_assembler(monkeypatch.setattr)
    sparkml = Container("sparkml", "sparkml", str(shared / TITANIC_MODEL),
                        {"SAGEMAKER_SPARKML_SCHEMA": schema_json(TITANIC_SCHEMA)})
    return InprocessEngine(Pipeline((sparkml, Container("xgboost", "xgboost", str(titanic_booster)))))


@pytest.mark.parametrize("strategy", ["SingleRecord", "MultiRecord"])
def test_an_op_failing_on_its_own_fails_the_file_as_internal_naming_the_op(broken_engine, tmp_path, caplog,
                                                                           make_files, strategy):
    rows = [GOOD] * 4 + [BROKEN_ROW] + [GOOD] * 3
    folder = make_files(tmp_path / "in", {"broken.csv": "\n".join(rows) + "\n", "good.csv": GOOD + "\n",
                                          "bad.csv": f"{GOOD}\n{GOOD}\n1.0,Q,38.0,71.5,1.0,unknown\n"})
    with caplog.at_level(logging.ERROR, logger="sparkleap.batch"):
        result = run_job(str(folder), str(tmp_path / "out"), TransformOptions(batch_strategy=strategy, max_retries=0),
                         broken_engine, Progress(3, quiet=True))
    by_name = {f.input.rsplit("/", 1)[-1]: f for f in result.files}
    assert by_name["good.csv"].status == "completed"
    broken, bad = by_name["broken.csv"], by_name["bad.csv"]
    assert broken.status == bad.status == "failed"
    assert "sparkml: internal error (OpFailure: " in broken.reason and LOGGED in broken.reason
    assert LOGGED in caplog.text
    assert bad.record == 3 and "column 'Sex'" in bad.reason and "internal error" not in bad.reason
