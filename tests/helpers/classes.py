"""Generated classification data like a user's: a header-ful CSV with a text label (species) or a 0/1
label (churn), numeric and categorical features, a few empty feature cells."""

from __future__ import annotations

import csv
import random
from pathlib import Path

SPECIES = ["adelie", "chinstrap", "gentoo"]
FLOWER_HEADER = ["bill", "flipper", "island", "species", "mass"]  # the label in the middle, as users have it
CHURN_HEADER = ["churned", "tenure", "calls", "plan"]


def _write(path: Path, header: list[str], rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_flowers(path: Path, rows: int = 240, seed: int = 5) -> Path:
    """Three species told apart by bill and flipper lengths (with overlap), island a weak hint."""
    rng = random.Random(seed)

    def row(i: int) -> list:
        k = i % 3
        bill = round(rng.gauss(38 + 6 * k, 2.5), 1)
        flipper = round(rng.gauss(190 + 12 * (k == 2) - 4 * (k == 1), 5), 1)
        island = rng.choice(["biscoe", "dream", "torgersen"] if k == 0 else ["dream", "biscoe"])
        mass = round(rng.gauss(3700 + 900 * (k == 2), 300))
        return [bill, flipper if i % 29 != 4 else "", island, SPECIES[k], mass]

    return _write(path, FLOWER_HEADER, (row(i) for i in range(rows)))


def write_churn(path: Path, rows: int = 240, seed: int = 6) -> Path:
    """A 0/1 label: churn is likelier with short tenure and many support calls."""
    rng = random.Random(seed)

    def row() -> list:
        tenure, calls = rng.randint(1, 72), rng.randint(0, 9)
        plan = rng.choice(["basic", "plus", "pro"])
        risk = calls / 9 - tenure / 72 + (0.2 if plan == "basic" else 0) + rng.gauss(0, 0.1)
        return [int(risk > 0.05), tenure, calls, plan]

    return _write(path, CHURN_HEADER, (row() for _ in range(rows)))
