"""Serving fixtures: the SDK's real Titanic bundle and pickled XGBoost model, a tiny Booster trained here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.helpers.servers import TITANIC, write_model_tar


@pytest.fixture(scope="session")
def titanic(shared: Path) -> Path:
    """The SDK's Titanic SageMaker model.tar.gz (MLeap bundle), read in place."""
    return shared / TITANIC / "sparkml_model" / "mleap_model.tar.gz"


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
    """A 3-feature regression Booster saved as `xgboost-model` (XGBoost's own format) in a model.tar.gz;
    returns (tar path, Booster) so tests compare the server with in-process predictions."""
    import xgboost as xgb

    rng = np.random.default_rng(7)
    features = rng.uniform(0, 10, size=(200, 3))
    labels = features[:, 0] * 2 + features[:, 1] - features[:, 2] + rng.normal(0, 0.1, 200)
    booster = xgb.train({"max_depth": 3, "eta": 0.3, "nthread": 1, "objective": "reg:squarederror"},
                        xgb.DMatrix(features, label=labels), 20)
    folder = tmp_path_factory.mktemp("xgb")
    return write_model_tar(folder, {"xgboost-model": bytes(booster.save_raw("ubj"))}), booster
