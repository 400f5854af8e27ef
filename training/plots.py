"""PNG plots of a training run (matplotlib, Agg backend): learning curve, predicted vs actual, importance.

`unit` is the label's unit (for abalone, `rings`); RMSE and predictions are in that unit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DPI = 110


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def learning_curve(train_rmse: list[float], validation_rmse: list[float], best_round: int, unit: str,
                   path: Path, metric: str = "RMSE") -> Path:
    """`metric` (RMSE in `unit`, or a classifier's log loss with unit "") per boosting round (1-based) for
    train and validation, best validation round marked."""
    plt = _pyplot()
    rounds = np.arange(1, len(validation_rmse) + 1)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(rounds, train_rmse, label="train")
    ax.plot(rounds, validation_rmse, label="validation")
    best = validation_rmse[best_round - 1]
    ax.axvline(best_round, color="grey", linestyle=":",
               label=f"best round {best_round} ({best:.3f}{' ' + unit if unit else ''})")
    ax.set_xlabel("boosting round")
    ax.set_ylabel(f"{metric} ({unit})" if unit else metric)
    ax.set_title("Validation curve")
    ax.grid(alpha=0.3)
    ax.legend()
    return _save(fig, path)


def predicted_vs_actual(actual: np.ndarray, predicted: np.ndarray, unit: str, path: Path) -> Path:
    """Scatter of validation predictions against the true labels, with the y = x line."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.scatter(actual, predicted, s=8, alpha=0.4)
    low = float(min(actual.min(), predicted.min()))
    high = float(max(actual.max(), predicted.max()))
    ax.plot([low, high], [low, high], color="grey", linestyle="--", label="predicted = actual")
    rmse = float(np.sqrt(np.mean((predicted - actual) ** 2)))
    ax.set_xlabel(f"actual ({unit})")
    ax.set_ylabel(f"predicted ({unit})")
    ax.set_title(f"Validation: predicted vs actual (RMSE {rmse:.3f} {unit})")
    ax.grid(alpha=0.3)
    ax.legend()
    return _save(fig, path)


def feature_importance(gains: dict[str, float], gain_unit: str, path: Path) -> Path:
    """Horizontal bars of mean gain per split for each feature used, largest on top.

    `gain_unit`: the loss's unit (squared error on a label in rings -> `rings\u00b2`).
    """
    plt = _pyplot()
    items = sorted(gains.items(), key=lambda kv: kv[1])
    fig, ax = plt.subplots(figsize=(7, max(4.0, 0.35 * len(items) + 1.5)))
    ax.barh([name for name, _ in items], [value for _, value in items])
    ax.set_xlabel(f"mean gain per split (loss reduction, {gain_unit})")
    ax.set_ylabel("feature")
    ax.set_title("Feature importance (gain)")
    ax.grid(axis="x", alpha=0.3)
    return _save(fig, path)


def roc_curve(fpr: np.ndarray, tpr: np.ndarray, auc: float | None, positive: str, path: Path) -> Path:
    """The validation ROC curve of a binary classifier (`positive`: the class whose probability is scored)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.plot(fpr, tpr, label=f"validation (AUC {auc:.3f})" if auc is not None else "validation")
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(f"ROC: {positive!r} as the positive class")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return _save(fig, path)


def confusion_matrix(matrix: np.ndarray, classes: list[str], path: Path) -> Path:
    """Validation counts, actual class per row, predicted class per column, each cell labelled."""
    plt = _pyplot()
    k = len(classes)
    size = min(12.0, 3.0 + 0.6 * k)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(k), classes, rotation=45, ha="right")
    ax.set_yticks(range(k), classes)
    if k <= 30:
        high = matrix.max() if matrix.size else 0
        for i in range(k):
            for j in range(k):
                ax.text(j, i, str(int(matrix[i, j])), ha="center", va="center",
                        color="white" if matrix[i, j] > high / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("actual")
    accuracy = np.trace(matrix) / matrix.sum() if matrix.sum() else 0.0
    ax.set_title(f"Validation confusion matrix (accuracy {accuracy:.3f})")
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI, format="png")
    _pyplot().close(fig)
    return path
