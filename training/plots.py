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
                   path: Path) -> Path:
    """RMSE per boosting round (1-based) for train and validation, best validation round marked."""
    plt = _pyplot()
    rounds = np.arange(1, len(validation_rmse) + 1)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(rounds, train_rmse, label="train")
    ax.plot(rounds, validation_rmse, label="validation")
    best = validation_rmse[best_round - 1]
    ax.axvline(best_round, color="grey", linestyle=":", label=f"best round {best_round} ({best:.3f} {unit})")
    ax.set_xlabel("boosting round")
    ax.set_ylabel(f"RMSE ({unit})")
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


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI, format="png")
    _pyplot().close(fig)
    return path
