"""Fixtures for a new user's own data: the generated CSV, and a run made from it the way --help suggests
(--label, --impute, --handle-invalid keep), trained."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.houses import write_houses


@pytest.fixture(scope="session")
def houses_csv(tmp_path_factory) -> Path:
    return write_houses(tmp_path_factory.mktemp("houses") / "houses.csv")


@pytest.fixture(scope="session")
def houses_run(houses_csv: Path, spark, tmp_path_factory) -> Path:
    """The user's run: preprocessed with --label price --impute mean --handle-invalid keep, then trained."""
    from glue_jobs.preprocess import preprocess
    from training.train import train

    run = tmp_path_factory.mktemp("houses-run") / "run"
    preprocess(str(houses_csv), str(run), label="price", impute="mean", handle_invalid="keep", spark=spark,
               quiet=True)
    train(str(run), num_round=20)
    return run


@pytest.fixture(scope="session")
def houses_pipeline(houses_run: Path):
    from serving.inference_pipeline.description import default_pipeline, run_models

    return default_pipeline(*run_models(str(houses_run)))
