"""`sparkleap train` on classification runs: objective from the run, the right metrics, per-class figures,
plots, the post-processing bundle; bad hyper-parameters and XGBoost's refusals as one line."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from sparkleap.cli import main
from training import classification, postprocess
from training import hyperparameters as hp
from training.data import read_split

PNG = b"\x89PNG\r\n\x1a\n"


def saved_predictions(run: Path) -> np.ndarray:
    from serving.xgboost.app import load_booster

    split = read_split(run / "validation")
    return np.asarray(load_booster(str(run / "xgboost" / "model.tar.gz")).inplace_predict(split.features))


def test_three_classes_train_multi_softprob_with_num_class(flowers_run):
    metrics = json.loads((flowers_run / "xgboost" / "metrics.json").read_text())
    assert metrics["objective"] == "multi:softprob" and metrics["hyperparameters"]["num_class"] == 3
    assert metrics["stopping_metric"] == "mlogloss"
    assert set(metrics["history"]["validation"]) == {"merror", "mlogloss"}
    assert metrics["classes"] == ["adelie", "chinstrap", "gentoo"]


def test_two_classes_train_binary_logistic_with_logloss_auc_and_accuracy(churn_run):
    metrics = json.loads((churn_run / "xgboost" / "metrics.json").read_text())
    assert metrics["objective"] == "binary:logistic" and "num_class" not in metrics["hyperparameters"]
    assert metrics["stopping_metric"] == "logloss"
    assert set(metrics["history"]["validation"]) == {"error", "auc", "logloss"}
    assert set(metrics["validation"]) == {"accuracy", "logloss", "auc"}
    assert metrics["validation"]["accuracy"] > 0.7


@pytest.mark.spark  # its runs come through request.getfixturevalue, which the tier markers cannot see
@pytest.mark.parametrize("run_fixture", ["flowers_run", "churn_run"])
def test_metrics_match_the_saved_models_own_predictions(run_fixture, request):
    run = request.getfixturevalue(run_fixture)
    metrics = json.loads((run / "xgboost" / "metrics.json").read_text())
    actual = read_split(run / "validation").labels
    probabilities = saved_predictions(run)
    predicted = classification.predicted_classes(probabilities)
    assert metrics["validation"]["accuracy"] == pytest.approx(float(np.mean(predicted == actual)))
    matrix = np.array(metrics["confusion_matrix"]["matrix"])
    assert matrix.sum() == len(actual) and np.trace(matrix) == int(np.sum(predicted == actual))
    for i, name in enumerate(metrics["classes"]):
        called, present = np.sum(predicted == i), np.sum(actual == i)
        assert metrics["per_class"][name]["support"] == present
        assert metrics["per_class"][name]["recall"] == pytest.approx(np.sum((predicted == i) & (actual == i)) / present)
        if called:
            assert metrics["per_class"][name]["precision"] == pytest.approx(
                np.sum((predicted == i) & (actual == i)) / called)
    expected_files = {"model", "validation_curve", "confusion_matrix", "feature_importance", "postprocess",
                      "postprocess_schema"} | ({"roc"} if probabilities.ndim == 1 else set())
    assert set(metrics["files"]) == expected_files
    for name in expected_files - {"model", "postprocess", "postprocess_schema"}:
        assert (run / "xgboost" / metrics["files"][name]).read_bytes().startswith(PNG)


def test_roc_auc_equals_the_pairwise_definition():
    rng = np.random.default_rng(3)
    actual = rng.integers(0, 2, 60).astype(float)
    scores = np.round(rng.random(60), 1)  # ties on purpose
    pairs = [(p, n) for p, n in itertools.product(scores[actual == 1], scores[actual == 0])]
    brute = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)
    assert classification.roc_auc(actual, scores) == pytest.approx(brute)
    fpr, tpr = classification.roc_points(actual, scores)
    assert fpr[0] == tpr[0] == 0 and fpr[-1] == tpr[-1] == 1
    assert float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2)) == pytest.approx(brute)


def test_objective_override_and_its_metrics():
    assert hp.resolve(classes=4, objective="multi:softmax")["num_class"] == 4
    params = hp.resolve(classes=2, objective="binary:logitraw")
    assert params["objective"] == "binary:logitraw" and params["eval_metric"][-1] == "logloss"
    assert hp.resolve(classes=3, objective="reg:squarederror")["eval_metric"] == "rmse"
    assert hp.as_strings(hp.resolve(classes=2))["eval_metric"] == "error,auc,logloss"


def test_unknown_hyperparameter_is_refused_naming_the_close_one(flowers_run, capsys, tmp_path):
    code = main(["train", "--data", str(flowers_run), "--output", str(tmp_path / "out"), "--set", "max_dept=3"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "'max_dept'" in err and "did you mean 'max_depth'?" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [["--objective", "binary:logistic"], ["--set", "eval_metric=nonsense"],
                                  ["--set", "num_class=2"]])
def test_xgboost_refusals_are_one_line_without_a_stack_trace(argv, flowers_run, capsys, tmp_path):
    code = main(["train", "--data", str(flowers_run), "--output", str(tmp_path / "out"), *argv])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("sparkleap train: error: XGBoost refused the run: ")
    assert "Stack trace" not in err and "[bt]" not in err and "Traceback" not in err


def test_summary_prints_accuracy_and_recall_per_class(flowers_run):
    from training.train import summary

    text = summary(json.loads((flowers_run / "xgboost" / "metrics.json").read_text()))
    assert text.startswith("validation accuracy ") and "log loss" in text and "multi:softprob, 3 classes" in text
    assert "recall per class: adelie" in text


@pytest.mark.parametrize("k", [2, 3, 7])
def test_postprocess_bundle_answers_class_and_probability_of_xgboosts_output(k, tmp_path):
    import bundles

    rng = np.random.default_rng(k)
    classes = [f"Class {i}" for i in range(k)]
    if k == 2:
        probs = np.r_[rng.random(500), [0.5, np.nextafter(0.5, 1), 0.0, 1.0, 0.0005, 0.9995]].astype(np.float32)
        columns = {"p1": probs.astype(np.float64)}
    else:
        probs = rng.dirichlet(np.ones(k), 500).astype(np.float32)
        columns = {f"p{i}": probs[:, i].astype(np.float64) for i in range(k)}
    bundle = bundles.load_bundle(postprocess.write(tmp_path, "binary:logistic" if k == 2 else "multi:softprob",
                                                   classes))
    got = [list(x) for x in bundle.transform(columns).column(postprocess.OUTPUT)]
    assert got == postprocess.expected(probs, classes)
    winners = classification.predicted_classes(probs.astype(np.float64))
    best = np.where(winners == 1, probs, 1 - probs) if k == 2 else probs.max(axis=1)
    assert [g[0] for g in got] == [classes[w] for w in winners]  # the class XGBoost's own output names
    assert np.max(np.abs(np.array([float(g[1]) for g in got]) - best)) <= 0.0005 + 1e-7
    row = bundle.transform_row({c: float(v[0]) for c, v in columns.items()})
    assert list(row[postprocess.OUTPUT]) == got[0]
    schema = json.loads((tmp_path / "schema.json").read_text())
    assert schema["output"] == {"name": "predicted_label", "type": "string", "struct": "array"}
    assert [c["name"] for c in schema["input"]] == list(columns)


def test_no_postprocessing_for_other_objectives():
    with pytest.raises(postprocess.NoPostprocessing, match="multi:softmax"):
        postprocess.build("multi:softmax", ["a", "b", "c"])
