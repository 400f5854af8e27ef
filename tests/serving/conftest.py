"""Serving fixtures: the SDK's real Titanic bundle and pickled XGBoost model, a tiny Booster trained here, and a
server of each per module (`sparkml`: Titanic with AWS's schema; `xgboost`: the tiny Booster)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.servers import TITANIC, TITANIC_MODEL, TITANIC_SCHEMA, running, schema_json, train_tiny_booster


@pytest.fixture(scope="session")
def titanic(shared: Path) -> Path:
    """The SDK's Titanic SageMaker model.tar.gz (MLeap bundle), read in place."""
    return shared / TITANIC_MODEL


@pytest.fixture(scope="session")
def titanic_rows(shared: Path) -> dict[str, str]:
    folder = shared / TITANIC / "sparkml_xgboost_pipeline"
    return {name: (folder / f"{name}_input.csv").read_text().strip() for name in ("valid", "invalid")}


@pytest.fixture(scope="session")
def sdk_pickle_model(shared: Path) -> Path:
    """The SDK's xgb_model.tar.gz: a Python-2 pickle of an XGBoost 0.7x Booster."""
    return shared / TITANIC / "xgboost_model" / "xgb_model.tar.gz"


@pytest.fixture(scope="session")
def tiny_booster(tmp_path_factory):
    """(model.tar.gz path, Booster): see tests.helpers.servers.train_tiny_booster."""
    return train_tiny_booster(tmp_path_factory.mktemp("xgb"))


@pytest.fixture(scope="module")
def sparkml(titanic):
    with running("sparkml", titanic, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA)) as srv:
        yield srv


@pytest.fixture(scope="module")
def xgboost(tiny_booster):
    with running("xgboost", tiny_booster[0]) as srv:
        yield srv
