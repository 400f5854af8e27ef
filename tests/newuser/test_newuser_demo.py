"""Item 3: the demo works for any run: rows from the run's own samples (or --input), any label name."""

from __future__ import annotations

import json
from pathlib import Path

from sparkleap.demo import SEED_ROW, sample_rows
from tests.helpers.houses import REQUEST_COLUMNS


def test_demo_rows_come_from_the_runs_samples_in_the_files_order(houses_run):
    rows = sample_rows(houses_run, None, 4)
    assert len(rows) == 4 and SEED_ROW not in [r for r, _ in rows]
    assert all(len(row.split(",")) == len(REQUEST_COLUMNS) for row, _ in rows)
    assert all(float(label) > 0 for _, label in rows)
    header = (houses_run / "samples.csv").read_text().splitlines()[0]
    assert header == "price,size,age,rooms,color,region"


def test_demo_input_of_a_run_made_with_label_and_no_schema_file(houses_run, houses_csv):
    manifest = json.loads((houses_run / "manifest.json").read_text())
    assert manifest["input"]["schema"] is None  # made with --label, no schema file
    rows = sample_rows(houses_run, str(houses_csv), 3)
    first = houses_csv.read_text().splitlines()[1].split(",")
    assert rows[0] == (",".join(first[1:]), first[0])


def test_abalone_demo_keeps_the_aws_sample_row_first(abalone_run, abalone_csv: Path):
    rows = sample_rows(abalone_run, str(abalone_csv), 2)
    assert rows[0] == (SEED_ROW, "?") and len(rows) == 3
    assert sample_rows(abalone_run, None, 2)[0] == (SEED_ROW, "?")
