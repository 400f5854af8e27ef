"""A new user's own data: a generated header-ful CSV (label first, categories last, empty cells), and a run
made from it the way --help suggests (--label, --impute, --handle-invalid keep), trained."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def houses_csv(tmp_path_factory) -> Path:
    return write_houses(tmp_path_factory.mktemp("houses") / "houses.csv")


@pytest.fixture(scope="session")
def houses_run(houses_csv: Path, spark, tmp_path_factory) -> Path:
    """The user's run: preprocessed with --label price --impute mean --handle-invalid keep, then trained."""
    from glue_jobs.preprocess import preprocess
    from training.train import train

    run = tmp_path_factory.mktemp("houses-run") / "run"
    preprocess(str(houses_csv), str(run), label="price", impute="mean", handle_invalid="keep", spark=spark,
               quiet=True)
    train(str(run), num_round=20)
    return run


@pytest.fixture(scope="session")
def houses_pipeline(houses_run: Path):
    from serving.pipeline.deploy import run_models
    from serving.pipeline.description import default_pipeline

    return default_pipeline(*run_models(str(houses_run)))


def request_rows(csv_path: Path, count: int, start: int = 0) -> list[str]:
    """Rows of the user's file in its own column order, label removed, empty cells kept."""
    with open(csv_path, newline="") as f:
        rows = list(csv.reader(f))[1 + start:1 + start + count]
    return [",".join(row[1:]) for row in rows]
