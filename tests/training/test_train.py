"""`train()` and `sparkleap train` on a small synthetic run: outputs, model file, metrics, plots, atomicity."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import numpy as np
import pytest
import xgboost as xgb

from sparkleap.cli import main
from training import hyperparameters as hp
from training import model_file
from training.data import TrainingDataError, read_split
from training.train import PLOTS, train

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def extract_model(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        assert tar.getnames() == ["xgboost-model"]  # the container averages every file it finds
        tar.extractall(into, filter="data")
    return into / "xgboost-model"


def test_outputs_land_in_run_xgboost_and_nothing_else_is_left(synthetic_run):
    metrics = train(str(synthetic_run), num_round=20)
    out = synthetic_run / "xgboost"
    assert sorted(p.name for p in out.iterdir()) == sorted(["model.tar.gz", "metrics.json", *PLOTS.values()])
    assert sorted(p.name for p in synthetic_run.iterdir()) == ["train", "validation", "xgboost"]
    assert json.loads((out / "metrics.json").read_text()) == metrics


def test_rmse_is_sane_on_a_learnable_signal(synthetic_run):
    metrics = train(str(synthetic_run), num_round=50)
    labels = read_split(synthetic_run / "validation").labels
    assert metrics["validation_rmse_final"] < 0.25 * labels.std()
    assert metrics["validation_rmse"][-1] < metrics["validation_rmse"][0]


def test_metrics_content(synthetic_run):
    metrics = train(str(synthetic_run), num_round=12, eta=0.3)
    assert metrics["rounds_trained"] == 12
    assert len(metrics["train_rmse"]) == len(metrics["validation_rmse"]) == 12
    assert metrics["best_round"] == int(np.argmin(metrics["validation_rmse"])) + 1
    assert metrics["best_validation_rmse"] == min(metrics["validation_rmse"])
    # no early stopping: the saved model holds every round, so its RMSE is the last round's
    assert metrics["validation_rmse_final"] == pytest.approx(metrics["validation_rmse"][-1], rel=1e-5)
    assert metrics["hyperparameters"] == {**hp.DEFAULTS, "eta": 0.3, "num_round": 12}
    assert metrics["feature_names"] == ["f1", "f2", "f3", "f4"]  # no bundle in this run
    assert metrics["rows"] == {"train": 400, "validation": 100}
    assert metrics["label"] == "label"
    assert set(metrics["feature_importance_gain"]) <= set(metrics["feature_names"])
    assert next(iter(metrics["feature_importance_gain"])) == "f1"  # the strongest signal


def test_model_loads_back_and_predicts_like_the_in_memory_booster(synthetic_run, tmp_path):
    train(str(synthetic_run), num_round=15)
    loaded = model_file.load(extract_model(synthetic_run / "xgboost" / "model.tar.gz", tmp_path))
    tr, va = read_split(synthetic_run / "train"), read_split(synthetic_run / "validation")
    params = hp.resolve(15)
    booster = xgb.train(hp.booster_params(params), xgb.DMatrix(tr.features, label=tr.labels), 15)
    dvalid = xgb.DMatrix(va.features)
    np.testing.assert_array_equal(loaded.predict(dvalid), booster.predict(dvalid))


def test_model_file_is_json_with_forms_old_containers_parse(synthetic_run, tmp_path):
    train(str(synthetic_run), num_round=5)
    path = extract_model(synthetic_run / "xgboost" / "model.tar.gz", tmp_path)
    assert path.read_bytes().startswith(b'{"learner"')
    learner = json.loads(path.read_text())["learner"]
    float(learner["learner_model_param"]["base_score"])  # scalar, not "[9.9E0]" (mis-read by xgboost 1.7)
    flags = [f for tree in learner["gradient_booster"]["model"]["trees"] for f in tree["default_left"]]
    assert flags and all(isinstance(f, bool) for f in flags)  # xgboost 1.3 refuses integers


def test_early_stopping_keeps_the_best_round(synthetic_run, tmp_path):
    metrics = train(str(synthetic_run), num_round=200, early_stopping_rounds=3, eta=0.9, gamma=0)
    assert metrics["rounds_trained"] < 200
    assert metrics["rounds_trained"] == metrics["best_round"] + 3
    assert metrics["hyperparameters"]["early_stopping_rounds"] == 3
    loaded = model_file.load(extract_model(synthetic_run / "xgboost" / "model.tar.gz", tmp_path))
    assert loaded.num_boosted_rounds() == metrics["best_round"]
    assert metrics["validation_rmse_final"] == pytest.approx(metrics["best_validation_rmse"], rel=1e-5)


def test_plots_are_pngs(synthetic_run):
    import matplotlib.image

    train(str(synthetic_run), num_round=10)
    for name in PLOTS.values():
        path = synthetic_run / "xgboost" / name
        assert path.read_bytes()[:8] == PNG_MAGIC
        height, width, _ = matplotlib.image.imread(path).shape
        assert height > 300 and width > 300


def test_output_option_and_rerun_replaces_previous_result(synthetic_run, tmp_path):
    out = tmp_path / "models" / "xgb"
    first = train(str(synthetic_run), str(out), num_round=10)
    (out / "stale.txt").write_text("from an older run")
    second = train(str(synthetic_run), str(out), num_round=11)
    assert first["rounds_trained"] == 10 and second["rounds_trained"] == 11
    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["xgb"]


def test_failure_leaves_no_output_and_no_temp_folder(synthetic_run):
    (synthetic_run / "validation" / "part-00000.csv").write_text("1,2,3,4,5\n1,2,oops,4,5\n")
    with pytest.raises(TrainingDataError, match=r"validation/part-00000\.csv: line 2, column 3"):
        train(str(synthetic_run))
    assert sorted(p.name for p in synthetic_run.iterdir()) == ["train", "validation"]


def test_feature_count_mismatch_between_splits_names_both_files(synthetic_run):
    (synthetic_run / "validation" / "part-00000.csv").write_text("1,2,3\n")
    with pytest.raises(TrainingDataError, match=r"validation/part-00000\.csv: 2 features, but .*train/part"):
        train(str(synthetic_run))


def test_silent_is_refused_with_the_reason(synthetic_run):
    with pytest.raises(ValueError, match="verbosity"):
        train(str(synthetic_run), silent=0)


def test_cli_prints_validation_rmse(synthetic_run, capsys):
    assert main(["train", "--data", str(synthetic_run), "--num-round", "10", "--set", "max_depth=3"]) == 0
    out = capsys.readouterr().out
    metrics = json.loads((synthetic_run / "xgboost" / "metrics.json").read_text())
    assert f"validation RMSE: {metrics['validation_rmse_final']:.4f} label" in out
    assert metrics["hyperparameters"]["max_depth"] == 3


def test_cli_missing_run_is_a_clear_error(tmp_path, capsys):
    assert main(["train", "--data", str(tmp_path / "nowhere")]) == 2
    assert f"{tmp_path / 'nowhere' / 'train'}: no such folder" in capsys.readouterr().err


def test_unreadable_bundle_falls_back_to_generic_names_with_a_note(synthetic_run, capsys):
    (synthetic_run / "sparkml").mkdir()
    (synthetic_run / "sparkml" / "model.tar.gz").write_bytes(b"not a tarball")
    metrics = train(str(synthetic_run), num_round=5)
    assert metrics["feature_names"] == ["f1", "f2", "f3", "f4"]
    assert f"no feature names from {synthetic_run / 'sparkml' / 'model.tar.gz'}" in capsys.readouterr().err


def test_bundle_from_another_run_is_an_error_naming_it(synthetic_run, abalone_run):
    import shutil

    (synthetic_run / "sparkml").mkdir()
    shutil.copy(abalone_run / "sparkml" / "model.tar.gz", synthetic_run / "sparkml" / "model.tar.gz")
    with pytest.raises(TrainingDataError, match=r"sparkml/model\.tar\.gz: the bundle produces 9 features, "
                                                r"but the CSVs hold 4"):
        train(str(synthetic_run), num_round=5)
