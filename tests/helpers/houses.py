"""A new user's own data: a generated header-ful CSV (label first, categories last, empty cells), its request
rows, and the CLI run as a separate process, as a user runs it."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEADER = ["price", "size", "age", "rooms", "color", "region"]
REQUEST_COLUMNS = HEADER[1:]  # the file's own order, label removed


def write_houses(path: Path, rows: int = 300, seed: int = 1) -> Path:
    """A CSV like a user's: header `price,size,age,rooms,color,region`; size/age and color/region have
    empty cells; price (the label) depends on every column."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        for i in range(rows):
            size, age, rooms = round(rng.uniform(40, 200), 1), rng.randint(0, 80), rng.randint(1, 7)
            color, region = rng.choice(["red", "blue", "green"]), rng.choice(["north", "south", "east", "west"])
            price = size * 3 + rooms * 10 - age * 0.5 + (40 if region == "north" else 0) + rng.gauss(0, 5)
            row = [round(price, 2), size, age, rooms, color, region]
            for column, every in ((1, 11), (2, 13), (4, 17), (5, 19)):
                if i % every == 3:
                    row[column] = ""
            writer.writerow(row)
    return path


def sparkleap(*argv: str, timeout: float = 300, env: dict | None = None,
              cwd: Path = REPO) -> subprocess.CompletedProcess:
    """The CLI as a user runs it: a separate process."""
    return subprocess.run([sys.executable, "-m", "sparkleap.cli", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def request_rows(csv_path: Path, count: int, start: int = 0) -> list[str]:
    """Rows of the user's file in its own column order, label removed, empty cells kept."""
    with open(csv_path, newline="") as f:
        rows = list(csv.reader(f))[1 + start:1 + start + count]
    return [",".join(row[1:]) for row in rows]
