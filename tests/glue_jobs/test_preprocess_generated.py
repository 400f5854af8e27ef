"""The job on a generated data set of another shape: header, three categoricals, missing values."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np

import bundles
from glue_jobs.preprocess import preprocess

ROWS = 400
CATEGORICAL = ["color", "size", "region"]
NUMERIC = ["weight", "count", "ratio"]


def generate(path: Path, numeric_missing: bool) -> list[dict]:
    """Rows with nulls in `color` (and in `ratio` when numeric_missing), written as a headered CSV."""
    rng = np.random.default_rng(11)
    rows = []
    for i in range(ROWS):
        row = {
            "id": f"r{i}",
            "color": rng.choice(["red", "green", "blue", ""], p=[0.45, 0.3, 0.2, 0.05]),
            "weight": f"{rng.normal(50, 10):.3f}",
            "size": rng.choice(["S", "M", "L", "XL"], p=[0.2, 0.4, 0.3, 0.1]),
            "count": str(int(rng.integers(0, 20))),
            "region": rng.choice(["north", "south", "east", "west", "a,b", 'say "hi"']),
            "ratio": "" if numeric_missing and rng.random() < 0.1 else f"{rng.random():.4f}",
            "target": f"{rng.normal(3, 1):.2f}",
        }
        rows.append(row)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def write_schema(path: Path) -> Path:
    types = {"id": "string", "color": "string", "weight": "double", "size": "string", "count": "int",
             "region": "string", "ratio": "double", "target": "double"}
    path.write_text(json.dumps({"columns": [{"name": n, "type": t} for n, t in types.items()],
                                "label": "target", "header": True}))
    return path


def frequency_order(values: list[str]) -> list[str]:
    """Spark's StringIndexer order: frequency descending, ties alphabetical; nulls are not labels."""
    counts = Counter(v for v in values if v != "")
    return sorted(counts, key=lambda v: (-counts[v], v))


def expected_features(row: dict, categories: dict[str, list[str]], keep: bool) -> list[float]:
    out: list[float] = []
    for col in CATEGORICAL:
        labels = categories[col]
        width = len(labels) if keep else len(labels) - 1  # keep adds an "unknown" slot, dropLast removes one
        block = [0.0] * width
        index = labels.index(row[col]) if row[col] != "" else len(labels)
        if index < width:
            block[index] = 1.0
        out += block
    return out + [float(row[n]) for n in NUMERIC]


def test_categoricals_with_missing_values_are_indexed_encoded_and_kept(spark, tmp_path):
    rows = generate(tmp_path / "data.csv", numeric_missing=False)
    schema = write_schema(tmp_path / "schema.json")
    run = tmp_path / "run"
    manifest = preprocess(str(tmp_path / "data.csv"), str(run), str(schema), spark=spark, quiet=True,
                          categorical="color,size,region", numeric=NUMERIC, handle_invalid="keep")
    categories = {c: frequency_order([r[c] for r in rows]) for c in CATEGORICAL}
    assert manifest["categories"] == categories
    assert manifest["columns"]["missing"]["color"] == sum(r["color"] == "" for r in rows) > 0
    assert manifest["parity"]["max_abs_diff"] == 0.0 and manifest["parity"]["rows"] > 0
    expected = sorted(",".join(map(repr, [float(r["target"]), *expected_features(r, categories, keep=True)]))
                      for r in rows)
    written = ((run / "train/part-00000.csv").read_text() + (run / "validation/part-00000.csv").read_text())
    assert sorted(written.splitlines()) == expected
    served = json.loads((run / "schema.json").read_text())
    # the file's column order without the label; `id`, which no stage reads, is listed as text
    assert [c["name"] for c in served["input"]] == ["id", "color", "weight", "size", "count", "region", "ratio"]
    bundle = bundles.load_bundle(run / "sparkml/model.tar.gz")
    assert bundle.transform_row({"color": None, "size": "M", "region": "a,b", "weight": 1.0, "count": 2.0,
                                 "ratio": 0.5})["features"] == expected_features(
        {"color": "", "size": "M", "region": "a,b", "weight": 1, "count": 2, "ratio": 0.5}, categories, keep=True)


def test_without_a_schema_types_come_from_the_header_file(spark, tmp_path):
    rows = generate(tmp_path / "data.csv", numeric_missing=False)
    manifest = preprocess(str(tmp_path / "data.csv"), str(tmp_path / "run"), spark=spark, quiet=True,
                          label="target", handle_invalid="keep", categorical=CATEGORICAL)
    assert manifest["columns"]["numeric"] == NUMERIC  # id is text, so not numeric; not listed, so unused
    assert manifest["columns"]["types"]["count"] == "double"
    assert manifest["splits"]["train"]["rows"] + manifest["splits"]["validation"]["rows"] == len(rows)


def test_a_numeric_looking_column_can_be_categorical(spark, tmp_path):
    rows = generate(tmp_path / "data.csv", numeric_missing=False)
    schema = write_schema(tmp_path / "schema.json")
    manifest = preprocess(str(tmp_path / "data.csv"), str(tmp_path / "run"), str(schema), spark=spark, quiet=True,
                          categorical=["count"], numeric=["weight"])
    assert manifest["categories"]["count"] == frequency_order([r["count"] for r in rows])
    assert manifest["parity"]["max_abs_diff"] == 0.0
    served = json.loads((tmp_path / "run/schema.json").read_text())
    assert served["input"] == [{"name": n, "type": "double" if n == "weight" else "string"}
                               for n in ("id", "color", "weight", "size", "count", "region", "ratio")]


def test_missing_numbers_are_imputed_with_the_mean(spark, tmp_path):
    rows = generate(tmp_path / "data.csv", numeric_missing=True)
    schema = write_schema(tmp_path / "schema.json")
    manifest = preprocess(str(tmp_path / "data.csv"), str(tmp_path / "run"), str(schema), spark=spark, quiet=True,
                          categorical=CATEGORICAL, numeric=NUMERIC, handle_invalid="keep", impute="mean")
    assert manifest["columns"]["missing"]["ratio"] == sum(r["ratio"] == "" for r in rows) > 0
    assert manifest["parity"]["max_abs_diff"] == 0.0
    assert "imputer" in manifest["bundle"]["ops"]


def test_numbers_are_standardised_when_asked(spark, tmp_path):
    generate(tmp_path / "data.csv", numeric_missing=False)
    schema = write_schema(tmp_path / "schema.json")
    run = tmp_path / "run"
    manifest = preprocess(str(tmp_path / "data.csv"), str(run), str(schema), spark=spark, quiet=True,
                          categorical=CATEGORICAL, numeric=NUMERIC, handle_invalid="keep", scale="standard")
    assert manifest["parity"]["max_abs_diff"] == 0.0
    lines = (run / "train/part-00000.csv").read_text().splitlines()
    numbers = np.array([[float(x) for x in line.split(",")[-3:]] for line in lines])
    assert np.all(np.abs(numbers.mean(axis=0)) < 0.3)
