"""End to end on abalone: the preprocessing job's real run -> train -> RMSE in the AWS sample's range."""

from __future__ import annotations

import json

import pytest

from training.train import PLOTS, train


@pytest.fixture(scope="module")
def abalone_model(abalone_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("abalone-xgb") / "xgboost"
    return train(str(abalone_run), str(out)), out


def test_validation_rmse_in_the_aws_sample_range(abalone_model):
    metrics, out = abalone_model
    assert 2.0 <= metrics["validation_rmse_final"] <= 2.5
    assert json.loads((out / "metrics.json").read_text())["validation_rmse_final"] == metrics["validation_rmse_final"]


def test_names_and_unit_come_from_the_run(abalone_model):
    metrics, _ = abalone_model
    assert metrics["label"] == "rings"
    assert metrics["feature_names"][:3] == ["sex=M", "sex=I", "length"]
    assert "shell_weight" in metrics["feature_importance_gain"]


def test_rows_match_the_manifest_split(abalone_model, abalone_run):
    metrics, out = abalone_model
    manifest = json.loads((abalone_run / "manifest.json").read_text())
    assert metrics["rows"]["train"] + metrics["rows"]["validation"] == manifest["input"]["rows"]
    assert all((out / name).stat().st_size > 0 for name in PLOTS.values())
