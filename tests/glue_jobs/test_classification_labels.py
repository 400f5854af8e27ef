"""Classification labels in `preprocess`: the indexed label, class names in index order, the index in the
split CSVs, empty labels reported, the label never in the serving schema, bad class counts refused early."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from glue_jobs.labels import MAX_CLASSES, class_name, ordered_classes
from glue_jobs.preprocess import preprocess
from glue_jobs.table_schema import InputError
from tests.helpers.classes import SPECIES, write_churn, write_flowers


@pytest.fixture(scope="module")
def flowers_prep(spark, tmp_path_factory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("flowers-prep")
    data = write_flowers(folder / "flowers.csv")
    run = folder / "run"
    manifest = preprocess(str(data), str(run), label="species", impute="mean", spark=spark, quiet=True)
    return data, run, manifest


def split_labels(run: Path) -> list[float]:
    return [float(line.split(",", 1)[0]) for name in ("train", "validation")
            for line in (run / name / "part-00000.csv").read_text().splitlines()]


def test_text_label_is_indexed_with_class_names_in_index_order(flowers_prep):
    data, run, manifest = flowers_prep
    assert manifest["task"] == "classification"
    assert manifest["classes"] == sorted(SPECIES)
    raw = Counter(row["species"] for row in csv.DictReader(open(data)))
    assert manifest["label_stats"]["classes"] == dict(raw)
    on_disk = json.loads((run / "manifest.json").read_text())
    assert on_disk["classes"] == manifest["classes"] and on_disk["options"]["task"] == "auto"
    # the CSVs carry the class index: each class's count matches the raw file's
    indices = Counter(split_labels(run))
    assert {manifest["classes"][int(i)]: n for i, n in indices.items()} == dict(raw)


def test_the_label_is_not_in_the_serving_schema_and_samples_keep_class_names(flowers_prep):
    _, run, _ = flowers_prep
    schema = json.loads((run / "schema.json").read_text())
    assert [c["name"] for c in schema["input"]] == ["bill", "flipper", "island", "mass"]
    samples = list(csv.DictReader(open(run / "samples.csv")))
    assert {row["species"] for row in samples} <= set(SPECIES)


def test_numeric_label_with_task_classification_keeps_its_values_as_indices(churn_run):
    manifest = json.loads((churn_run / "manifest.json").read_text())  # made with --task classification
    assert manifest["classes"] == ["0", "1"] and manifest["options"]["task"] == "classification"
    raw = Counter(float(row["churned"]) for row in csv.DictReader(open(churn_run.parent / "data.csv")))
    assert Counter(split_labels(churn_run)) == raw


def test_numeric_label_is_a_regression_by_default(spark, tmp_path):
    data = write_churn(tmp_path / "churn.csv", rows=40)
    manifest = preprocess(str(data), str(tmp_path / "run"), label="churned", spark=spark, quiet=True)
    assert manifest["task"] == "regression" and "classes" not in manifest


def test_empty_labels_are_reported_with_their_count(spark, tmp_path):
    data = write_flowers(tmp_path / "flowers.csv", rows=60)
    lines = data.read_text().splitlines()
    for i in (3, 9):
        cells = lines[i].split(",")
        cells[3] = ""
        lines[i] = ",".join(cells)
    data.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        preprocess(str(data), str(tmp_path / "run"), label="species", impute="mean", spark=spark, quiet=True)
    assert "'species'" in str(caught.value) and "2 of 60 rows" in str(caught.value)
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(("values", "options", "fragment"), [
    (["a"] * 10, {}, "has 1 class ('a'); classification needs at least 2"),
    ([f"c{i}" for i in range(MAX_CLASSES + 1)], {}, f"{MAX_CLASSES + 1} distinct values, more than the "
                                                     f"{MAX_CLASSES} classes"),
    (["1"] * 10, {"task": "classification"}, "has 1 class ('1')"),
    (["a", "b"] * 5, {"task": "regression"}, "--task regression needs numbers"),
])
def test_bad_class_counts_are_refused_before_spark_starts(values, options, fragment, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)))
    with pytest.raises(InputError) as caught:  # spark=object(): nothing may touch Spark
        preprocess(str(data), str(tmp_path / "run"), label="y", spark=object(), quiet=True, **options)
    assert fragment in str(caught.value) and "data.csv" in str(caught.value)


def test_class_names_and_order():
    assert class_name(" 1.0 ") == "1" and class_name("2.5") == "2.5" and class_name(" Gentoo ") == "Gentoo"
    assert ordered_classes(["10", "9", "1.0", "1", ""]) == ["1", "9", "10"]
    assert ordered_classes(["b", "B", "a"]) == ["B", "a", "b"]
