"""`sparkleap train`: XGBoost on a run's label-first CSVs, locally or as a SageMaker training job.

Input, a run location (local folder or s3:// prefix) written by `sparkleap preprocess`:
  train/*.csv, validation/*.csv   headerless `label,f1..fn`
  sparkml/model.tar.gz            the bundle (feature names for the plots; optional)
  manifest.json                   the label's name, used as the unit of RMSE (optional; default `label`);
                                  a classification run's class names, which choose the objective:
                                  binary:logistic (2 classes) or multi:softprob with num_class (more)
Output (default RUN/xgboost/, or --output; built in a temp folder, then renamed into place or uploaded):
  model.tar.gz                    `xgboost-model` only (the SageMaker XGBoost container averages every file)
  metrics.json                    RMSE per round, best round, final validation RMSE, hyper-parameters, features;
                                  a classifier: metrics per round, accuracy, log loss, AUC (binary),
                                  per-class precision/recall, the confusion matrix
  validation_curve.png, predicted_vs_actual.png, feature_importance.png
                                  (a classifier: confusion_matrix.png and, binary, roc.png instead of the scatter)
  postprocess/model.tar.gz, postprocess/schema.json
                                  a classifier's third container: probabilities -> `class,probability`
Python API: `train(data, output=None, num_round=50, early_stopping_rounds=None, **hyperparameters) -> metrics`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from training import classification, postprocess
from training import hyperparameters as hp

MODEL_FILE = "xgboost-model"
ARCHIVE = "model.tar.gz"
METRICS = "metrics.json"
PLOTS = {
    "validation_curve": "validation_curve.png",
    "predicted_vs_actual": "predicted_vs_actual.png",
    "feature_importance": "feature_importance.png",
}
CLASSIFIER_PLOTS = {"confusion_matrix": "confusion_matrix.png", "roc": "roc.png"}  # roc: binary only
SPLITS = ("train", "validation")
POSTPROCESS_DIR = "postprocess"  # a classifier's post-processing bundle and its serving schema
OUTPUT_DIR = "xgboost"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="run location written by `sparkleap preprocess` "
                                                      "(local folder or s3:// prefix)")
    parser.add_argument("--output", help="where to write the model, metrics and plots "
                                         "(default: DATA/xgboost; with --sagemaker, the job's S3 output path)")
    parser.add_argument("--num-round", type=int, default=hp.DEFAULT_NUM_ROUND,
                        help=f"boosting rounds (default: {hp.DEFAULT_NUM_ROUND})")
    parser.add_argument("--early-stopping-rounds", type=int,
                        help="stop when the validation metric (RMSE; log loss for a classifier) has not "
                             "improved for this many rounds; keep the best")
    parser.add_argument("--objective", help="XGBoost objective (default: from the run: reg:squarederror, or "
                                            "binary:logistic for 2 classes, multi:softprob for more)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                        help="override an XGBoost hyper-parameter, e.g. --set eta=0.1 (repeatable); defaults: "
                             + ", ".join(f"{k}={v}" for k, v in hp.DEFAULTS.items()))
    from training import sagemaker_job

    sagemaker_job.configure(parser)


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from base import exits
    from base.storage import StorageError
    from training.data import TrainingDataError

    try:
        overrides = dict(hp.parse_assignment(text) for text in args.overrides)
        if args.objective:
            overrides["objective"] = args.objective
        if args.sagemaker:
            from training import sagemaker_job

            return sagemaker_job.run(args, overrides)
        metrics = train(args.data, args.output, args.num_round, args.early_stopping_rounds, **overrides)
    except (TrainingDataError, StorageError, ValueError) as exc:
        return exits.fail("train", exc, exits.BAD_INPUT)
    except (ClientError, BotoCoreError) as exc:
        return exits.fail("train", exc, exits.FAILED)
    print(summary(metrics))
    return exits.OK


def summary(metrics: dict) -> str:
    """What was saved, and its validation RMSE (the saved model's own); the best round when it is another."""
    saved, best = metrics["saved_rounds"], metrics["best_round"]
    if metrics.get("task") == "classification":
        return _classifier_summary(metrics)
    line = (f"validation RMSE: {metrics['validation_rmse_final']:.4f} {metrics['label']} for the saved model "
            f"({saved} rounds); outputs in {metrics['output']}")
    if best != saved:
        line += (f"\n  the lowest validation RMSE, {metrics['best_validation_rmse']:.4f}, was at round {best}: "
                 f"pass --early-stopping-rounds N (or --num-round {best}) to save that model instead")
    return line


def _classifier_summary(metrics: dict) -> str:
    """Accuracy, log loss (and AUC) of the saved classifier, its per-class recall, the best round."""
    figures, metric = metrics["validation"], metrics["stopping_metric"]
    shown = [f"accuracy {figures['accuracy']:.4f}", f"log loss {figures['logloss']:.4f}"]
    if figures.get("auc") is not None:
        shown.append(f"AUC {figures['auc']:.4f}")
    recall = ", ".join(f"{name} {v['recall']:.2f}" if v["recall"] is not None else f"{name} -"
                       for name, v in metrics["per_class"].items())
    line = (f"validation {', '.join(shown)} for the saved model ({metrics['objective']}, "
            f"{len(metrics['classes'])} classes, {metrics['saved_rounds']} rounds); outputs in {metrics['output']}"
            f"\n  recall per class: {recall}")
    best, saved = metrics["best_round"], metrics["saved_rounds"]
    if best != saved:
        line += (f"\n  the lowest validation {metric}, {metrics[f'best_validation_{metric}']:.4f}, was at round "
                 f"{best}: pass --early-stopping-rounds N (or --num-round {best}) to save that model instead")
    return line


def train(data: str, output: str | None = None, num_round: int = hp.DEFAULT_NUM_ROUND,
          early_stopping_rounds: int | None = None, **hyperparameters: Any) -> dict:
    """Train on `data`'s train/ and validation/ splits, write the outputs, return metrics.json's content.

    Raises TrainingDataError (bad CSVs, naming the file), StorageError (S3) or ValueError (parameters).
    """
    from base import storage
    from base.publish import publish, staging_dir

    params = {**hp.resolve(num_round, early_stopping_rounds, **hyperparameters), "overrides": hyperparameters}
    output = output or storage.join(data, OUTPUT_DIR)
    with tempfile.TemporaryDirectory(prefix="sparkleap-train-") as tmp:
        run_dir = _local_run(data, Path(tmp) / "run")
        staging = staging_dir(str(output))
        try:
            metrics = _train_into(run_dir, staging, params, str(output))
            publish(staging, output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return metrics


def _train_into(run_dir: Path, staging: Path, params: dict[str, Any], output: str) -> dict:
    import numpy as np
    import xgboost as xgb

    from training import model_file
    from training.data import TrainingDataError, read_split

    train_split, validation_split = (read_split(run_dir / name) for name in SPLITS)
    width = train_split.features.shape[1]
    if validation_split.features.shape[1] != width:
        raise TrainingDataError(f"{validation_split.files[0]}: {validation_split.features.shape[1]} features, "
                                f"but {train_split.files[0]} has {width}")
    names = _feature_names(run_dir, width)
    label, classes = _label_name(run_dir), _classes(run_dir)
    if classes is not None:
        params = hp.resolve(params["num_round"], params.get("early_stopping_rounds"), classes=len(classes),
                            **params["overrides"])
    params.pop("overrides", None)

    dtrain = xgb.DMatrix(train_split.features, label=train_split.labels)
    dvalid = xgb.DMatrix(validation_split.features, label=validation_split.labels)
    history: dict = {}
    try:
        booster = xgb.train(hp.booster_params(params), dtrain, num_boost_round=params["num_round"],
                            evals=[(dtrain, "train"), (dvalid, "validation")], evals_result=history,
                            early_stopping_rounds=params.get("early_stopping_rounds"), verbose_eval=False)
    except xgb.core.XGBoostError as exc:
        raise ValueError(f"XGBoost refused the run: {xgboost_message(exc)}") from None
    metric = list(history["validation"])[-1]  # XGBoost stops early on the last metric
    best_round = classification.best_round(history["validation"][metric], metric)
    if "early_stopping_rounds" in params:
        booster = booster[:best_round]  # the saved model is the best one, as the container will predict with all trees

    model_path = model_file.save(booster, staging / MODEL_FILE)
    saved = model_file.load(model_path)
    predicted = saved.predict(dvalid)
    if not np.array_equal(predicted, booster.predict(dvalid)):
        raise RuntimeError(f"{model_path}: the written model does not predict like the trained one")
    with tarfile.open(staging / ARCHIVE, "w:gz") as archive:
        archive.add(model_path, arcname=MODEL_FILE)
    model_path.unlink()

    gains = {names[int(key[1:])]: float(value)
             for key, value in booster.get_score(importance_type="gain").items()}
    common = {
        "label": label,
        "rows": {"train": train_split.rows, "validation": validation_split.rows},
        "feature_names": names,
        "hyperparameters": params,
        "rounds_trained": len(history["validation"][metric]),
        "saved_rounds": saved.num_boosted_rounds(),
        "best_round": best_round,
    }
    tail = {"feature_importance_gain": dict(sorted(gains.items(), key=lambda kv: -kv[1])),
            "xgboost_version": xgb.__version__, "output": output}
    if classes is not None and str(params["objective"]).split(":")[0] in ("binary", "multi"):
        metrics = _classifier_outputs(staging, common, history, metric, validation_split.labels, predicted,
                                      classes, gains)
    else:
        metrics = _regressor_outputs(staging, common, history, validation_split.labels, predicted, gains, params)
    metrics = {**metrics, **tail}
    (staging / METRICS).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def xgboost_message(exc: Exception) -> str:
    """XGBoost's error as one line: its first line without the `[time] file:line:` prefix, no C++ stack."""
    import re

    first = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    return re.sub(r"^\[[0-9:]+\]\s+\S+:\d+:\s*", "", first.strip())[:400]


def _regressor_outputs(staging: Path, common: dict, history: dict, actual, predicted, gains: dict,
                       params: dict) -> dict:
    import numpy as np

    from training import plots

    metric = list(history["validation"])[-1]
    train_rmse = [float(x) for x in history["train"][metric]]
    validation_rmse = [float(x) for x in history["validation"][metric]]
    best_round, label = common["best_round"], common["label"]
    squared = params["objective"] in ("reg:squarederror", "reg:linear")
    plots.learning_curve(train_rmse, validation_rmse, best_round, label, staging / PLOTS["validation_curve"])
    plots.predicted_vs_actual(actual, predicted.astype(np.float64), label, staging / PLOTS["predicted_vs_actual"])
    plots.feature_importance(gains, f"{label}\u00b2" if squared else "objective units",
                             staging / PLOTS["feature_importance"])
    return {
        **common,
        "train_rmse": train_rmse,
        "validation_rmse": validation_rmse,
        "best_validation_rmse": validation_rmse[best_round - 1],
        "validation_rmse_final": float(np.sqrt(np.mean((predicted.astype(np.float64) - actual) ** 2))),
        "files": {"model": ARCHIVE, **PLOTS},
    }


def _classifier_outputs(staging: Path, common: dict, history: dict, metric: str, actual, predicted,
                        classes: list[str], gains: dict) -> dict:
    """metrics.json's classifier part, and its plots: learning curve of `metric`, confusion matrix, ROC."""
    import numpy as np

    from training import plots

    best_round = common["best_round"]
    curves = {split: {m: [float(x) for x in values] for m, values in history[split].items()} for split in SPLITS}
    plots.learning_curve(curves["train"][metric], curves["validation"][metric], best_round, "",
                         staging / PLOTS["validation_curve"], metric=metric)
    figures = classification.report(actual, np.asarray(predicted, dtype=np.float64), classes)
    files = {"model": ARCHIVE, "validation_curve": PLOTS["validation_curve"]}
    plots.confusion_matrix(np.array(figures["confusion_matrix"]["matrix"]), classes,
                           staging / CLASSIFIER_PLOTS["confusion_matrix"])
    files["confusion_matrix"] = CLASSIFIER_PLOTS["confusion_matrix"]
    if predicted.ndim == 1:
        fpr, tpr = classification.roc_points(actual, predicted.astype(np.float64))
        plots.roc_curve(fpr, tpr, figures["validation"].get("auc"), classes[1], staging / CLASSIFIER_PLOTS["roc"])
        files["roc"] = CLASSIFIER_PLOTS["roc"]
    plots.feature_importance(gains, "log loss", staging / PLOTS["feature_importance"])
    files["feature_importance"] = PLOTS["feature_importance"]
    objective = common["hyperparameters"]["objective"]
    try:
        postprocess.write(staging / POSTPROCESS_DIR, objective, classes)
        files["postprocess"] = f"{POSTPROCESS_DIR}/{postprocess.BUNDLE}"
        files["postprocess_schema"] = f"{POSTPROCESS_DIR}/{postprocess.SCHEMA}"
    except postprocess.NoPostprocessing as exc:
        print(f"sparkleap train: note: {exc}", file=sys.stderr)
    return {
        **common,
        "task": "classification",
        "classes": classes,
        "objective": common["hyperparameters"]["objective"],
        "stopping_metric": metric,
        "history": curves,
        f"best_validation_{metric}": curves["validation"][metric][best_round - 1],
        **figures,
        "files": files,
    }


def _local_run(data: str, scratch: Path) -> Path:
    """`data` itself when local; else its splits, bundle and manifest downloaded under `scratch`."""
    from base import storage
    from glue_jobs.outputs import BUNDLE_PATH

    if not storage.is_s3(data):
        return Path(data)
    for name in SPLITS:
        storage.download(storage.join(data, name), scratch / name)
    for optional in (BUNDLE_PATH, "manifest.json"):
        try:
            storage.download(storage.join(data, optional), (scratch / optional).parent)
        except storage.StorageError:
            pass
    return scratch


def _feature_names(run_dir: Path, width: int) -> list[str]:
    """Names from the run's bundle (see training.feature_names), or f1..fn without a usable bundle.

    A bundle whose feature count differs from the CSVs' is an error: it belongs to another run.
    """
    import bundles
    from glue_jobs.outputs import BUNDLE_PATH
    from training.data import TrainingDataError
    from training.feature_names import feature_names

    generic = [f"f{i}" for i in range(1, width + 1)]
    path = run_dir / BUNDLE_PATH
    if not path.is_file():
        return generic
    try:
        names = feature_names(bundles.load_bundle(path))
    except (bundles.BundleError, ValueError) as exc:  # names are for the plots: training goes on without them
        print(f"sparkleap train: note: no feature names from {path} ({exc}); using f1..f{width}", file=sys.stderr)
        return generic
    if len(names) != width:
        raise TrainingDataError(f"{path}: the bundle produces {len(names)} features, but the CSVs hold {width}: "
                                "is this bundle from the same run?")
    return names


def _manifest(run_dir: Path) -> dict:
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _label_name(run_dir: Path) -> str:
    try:
        return str(_manifest(run_dir)["columns"]["label"])
    except (KeyError, TypeError):
        return "label"


def _classes(run_dir: Path) -> list[str] | None:
    """A classification run's class names in index order (None for a regression run)."""
    classes = _manifest(run_dir).get("classes")
    return [str(c) for c in classes] if isinstance(classes, list) and len(classes) >= 2 else None
