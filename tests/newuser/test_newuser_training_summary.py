"""Item 9: the printed RMSE is the saved model's, and the saved model is the one the summary describes."""

from __future__ import annotations

import json
import tarfile

import numpy as np
import xgboost as xgb

from sparkleap.cli import main


def _saved_rmse(output) -> tuple[float, int]:
    with tarfile.open(output / "model.tar.gz") as tar:
        raw = tar.extractfile("xgboost-model").read()
    booster = xgb.Booster()
    booster.load_model(bytearray(raw))
    return booster, booster.num_boosted_rounds()


def _validation(run):
    data = np.loadtxt(run / "validation" / "part-00000.csv", delimiter=",", ndmin=2)
    return data[:, 1:], data[:, 0]


def test_the_summary_gives_the_saved_models_rounds_and_rmse(houses_run, tmp_path, capsys):
    out = tmp_path / "model"
    assert main(["train", "--data", str(houses_run), "--output", str(out), "--num-round", "60",
                 "--set", "eta=0.9"]) == 0
    printed = capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text())
    booster, rounds = _saved_rmse(out)
    features, labels = _validation(houses_run)
    rmse = float(np.sqrt(np.mean((booster.inplace_predict(features).astype(np.float64) - labels) ** 2)))
    assert rounds == metrics["saved_rounds"] == 60
    assert f"validation RMSE: {rmse:.4f} price for the saved model (60 rounds)" in printed
    assert metrics["best_round"] != 60  # eta 0.9 overfits: the best round is an earlier one, and it is named
    assert f"was at round {metrics['best_round']}: pass --early-stopping-rounds N" in printed


def test_with_early_stopping_the_saved_model_is_the_best_round(houses_run, tmp_path, capsys):
    out = tmp_path / "model"
    assert main(["train", "--data", str(houses_run), "--output", str(out), "--num-round", "60",
                 "--early-stopping-rounds", "5", "--set", "eta=0.9"]) == 0
    printed = capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text())
    booster, rounds = _saved_rmse(out)
    assert rounds == metrics["best_round"] == metrics["saved_rounds"]
    assert f"for the saved model ({rounds} rounds)" in printed and "lowest" not in printed
