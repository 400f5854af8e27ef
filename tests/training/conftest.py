"""Fixtures for training tests: a small synthetic run in the preprocessing job's layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

FEATURES = 4


def write_split(path: Path, rows: int, seed: int) -> None:
    """Headerless `label,f1..f4` lines; label = 3*f1 - 2*f2 + 5 + noise (sd 0.1), f3/f4 noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 2, size=(rows, FEATURES))
    y = 3 * x[:, 0] - 2 * x[:, 1] + 5 + rng.normal(0, 0.1, rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(",".join(map(repr, [float(a), *map(float, b)])) + "\n" for a, b in zip(y, x, strict=True)))


@pytest.fixture
def synthetic_run(tmp_path: Path) -> Path:
    """RUN/train/part-00000.csv (400 rows) and RUN/validation/part-00000.csv (100 rows), no bundle."""
    run = tmp_path / "run"
    write_split(run / "train" / "part-00000.csv", 400, seed=1)
    write_split(run / "validation" / "part-00000.csv", 100, seed=2)
    return run
