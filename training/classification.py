"""A classifier's validation figures with NumPy: predicted classes, accuracy, log loss, ROC AUC, per-class
precision and recall, the confusion matrix.

`probabilities` are what the saved booster predicts: (n,) P(class 1) for binary:logistic, (n, k) per-class
probabilities for multi:softprob. `actual` holds class indices 0..k-1 as floats.
"""

from __future__ import annotations

import numpy as np

EPS = 1e-15  # probabilities are clipped to [EPS, 1 - EPS] in the log loss
MAXIMIZED = ("auc", "aucpr", "map", "ndcg", "pre")  # XGBoost metrics where larger is better


def predicted_classes(probabilities: np.ndarray) -> np.ndarray:
    """Class index per row: p > 0.5 for binary (as AWS's XGBoost container labels), else the first largest."""
    if probabilities.ndim == 1:
        return (probabilities > 0.5).astype(np.int64)
    return np.argmax(probabilities, axis=1)


def class_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """(n, k) probabilities: binary's (n,) P(class 1) becomes [1 - p, p]."""
    if probabilities.ndim == 1:
        return np.column_stack([1.0 - probabilities, probabilities])
    return probabilities


def log_loss(actual: np.ndarray, probabilities: np.ndarray) -> float:
    """Mean negative log-likelihood of the true class."""
    p = class_probabilities(probabilities.astype(np.float64))
    chosen = p[np.arange(len(actual)), actual.astype(np.int64)]
    return float(-np.mean(np.log(np.clip(chosen, EPS, 1.0 - EPS))))


def roc_auc(actual: np.ndarray, scores: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties counted half); None when one class is absent."""
    positive = actual == 1
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if not n_pos or not n_neg:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_scores)) + 1]
    ends = np.r_[starts[1:], len(scores)]
    for start, end in zip(starts, ends, strict=True):
        ranks[order[start:end]] = (start + end + 1) / 2.0  # average 1-based rank of a tie group
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def roc_points(actual: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(false positive rate, true positive rate) at every distinct threshold, from (0, 0) to (1, 1)."""
    order = np.argsort(-scores, kind="mergesort")
    hits = (actual[order] == 1).astype(np.float64)
    distinct = np.r_[np.flatnonzero(np.diff(scores[order])), len(scores) - 1]
    tp, fp = np.cumsum(hits)[distinct], np.cumsum(1.0 - hits)[distinct]
    return np.r_[0.0, fp / max(fp[-1], 1.0)], np.r_[0.0, tp / max(tp[-1], 1.0)]


def confusion(actual: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    """(k, k) counts: row = actual class, column = predicted class."""
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (actual.astype(np.int64), predicted.astype(np.int64)), 1)
    return matrix


def report(actual: np.ndarray, probabilities: np.ndarray, classes: list[str]) -> dict:
    """accuracy, log loss, AUC (binary), per-class precision/recall/support and the confusion matrix."""
    predicted = predicted_classes(probabilities)
    matrix = confusion(actual, predicted, len(classes))
    per_class = {}
    for i, name in enumerate(classes):
        called, present = int(matrix[:, i].sum()), int(matrix[i, :].sum())
        per_class[name] = {"precision": matrix[i, i] / called if called else None,
                           "recall": matrix[i, i] / present if present else None, "support": present}
        per_class[name] = {k: (float(v) if isinstance(v, np.floating) else v) for k, v in per_class[name].items()}
    out = {"accuracy": float(np.mean(predicted == actual)), "logloss": log_loss(actual, probabilities)}
    if probabilities.ndim == 1:
        out["auc"] = roc_auc(actual, probabilities.astype(np.float64))
    return {"validation": out, "per_class": per_class,
            "confusion_matrix": {"rows": "actual", "columns": "predicted", "classes": list(classes),
                                 "matrix": matrix.tolist()}}


def best_round(history: list[float], metric: str) -> int:
    """1-based round with the best validation value of `metric` (the first one on ties)."""
    values = np.asarray(history)
    return int(np.argmax(values) if metric in MAXIMIZED else np.argmin(values)) + 1
