"""Serving fixtures: the SDK's real Titanic bundle and pickled XGBoost model, a tiny Booster trained here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.servers import TITANIC, TITANIC_MODEL, train_tiny_booster


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
