"""The job on abalone: every output, the AWS sample's feature layout, parity, reproducible splits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import bundles
from glue_jobs.preprocess import preprocess
from glue_jobs.table_schema import InputError
from sparkleap.cli import main

SEED_ROW = "F,0.515,0.425,0.14,0.766,0.304,0.1725,0.255"
SEED_FEATURES = [0.0, 0.0, 0.515, 0.425, 0.14, 0.766, 0.304, 0.1725, 0.255]
COLUMNS = ["sex", "length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight",
           "shell_weight"]
SEX_VEC = {"M": "1.0,0.0", "I": "0.0,1.0", "F": "0.0,0.0"}  # frequency order M, I, F; dropLast


def expected_lines(abalone_csv: Path) -> list[str]:
    """Each input row as the job must write it, computed without Spark: rings, sex_vec, numerics."""
    out = []
    for line in abalone_csv.read_text().splitlines():
        sex, *numbers, rings = line.split(",")
        out.append(",".join([repr(float(rings)), SEX_VEC[sex], *(repr(float(x)) for x in numbers)]))
    return out


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(line in it for line in part)


def test_run_holds_train_validation_bundle_schema_and_manifest(abalone_run):
    for rel in ("train/part-00000.csv", "validation/part-00000.csv", "sparkml/model.tar.gz", "schema.json",
                "manifest.json"):
        assert (abalone_run / rel).is_file(), rel
    assert sorted(p.name for p in (abalone_run / "train").iterdir()) == ["part-00000.csv"]
    assert sorted(p.name for p in abalone_run.parent.iterdir()) == ["run"]  # no staging left behind


def test_split_files_are_the_input_rows_label_first_in_input_order(abalone_run, abalone_csv):
    expected = expected_lines(abalone_csv)
    train = (abalone_run / "train/part-00000.csv").read_text().splitlines()
    validation = (abalone_run / "validation/part-00000.csv").read_text().splitlines()
    assert sorted(train + validation) == sorted(expected)
    assert is_subsequence(train, expected) and is_subsequence(validation, expected)
    assert 0.75 < len(train) / len(expected) < 0.85


def test_seed_row_gets_the_aws_sample_features_in_csv_and_bundle(abalone_run):
    lines = (abalone_run / "train/part-00000.csv").read_text() + (abalone_run / "validation/part-00000.csv").read_text()
    assert "\n14.0," + ",".join(map(repr, SEED_FEATURES)) + "\n" in "\n" + lines
    bundle = bundles.load_bundle(abalone_run / "sparkml/model.tar.gz")
    sex, *numbers = SEED_ROW.split(",")
    row = bundle.transform_row({"sex": sex, **{c: float(x) for c, x in zip(COLUMNS[1:], numbers, strict=True)}})
    assert row["features"] == SEED_FEATURES


def test_manifest_records_counts_categories_label_stats_and_zero_parity(abalone_run):
    manifest = json.loads((abalone_run / "manifest.json").read_text())
    splits = manifest["splits"]
    assert manifest["input"]["rows"] == 4177 == splits["train"]["rows"] + splits["validation"]["rows"]
    assert splits["validation"]["rows"] == len((abalone_run / "validation/part-00000.csv").read_text().splitlines())
    assert manifest["categories"] == {"sex": ["M", "I", "F"]}
    assert manifest["label_stats"]["min"] == 1.0 and manifest["label_stats"]["max"] == 29.0
    assert abs(manifest["label_stats"]["mean"] - 9.934) < 1e-3
    assert manifest["parity"] == {"rows": splits["validation"]["rows"], "max_abs_diff": 0.0, "equal": True}
    assert manifest["features"]["names"] == ["sex_vec_M", "sex_vec_I", *COLUMNS[1:]]
    assert manifest["bundle"]["ops"] == ["string_indexer", "one_hot_encoder", "vector_assembler"]
    assert set(manifest["timings_s"]) >= {"read", "fit", "write_train", "bundle", "parity", "total"}
    import pyspark

    assert manifest["versions"]["pyspark"] == pyspark.__version__  # 3.5 in `make test`, 4.x in the Spark 4 tier


def test_serving_schema_is_derived_from_the_written_bundle(abalone_run):
    schema = json.loads((abalone_run / "schema.json").read_text())
    assert schema == bundles.load_bundle(abalone_run / "sparkml/model.tar.gz").serving_schema()
    assert [c["name"] for c in schema["input"]] == COLUMNS
    assert schema["input"][0]["type"] == "string" and {c["type"] for c in schema["input"][1:]} == {"double"}
    assert schema["output"] == {"name": "features", "type": "double", "struct": "vector"}


def test_rerun_with_the_same_seed_is_byte_identical(abalone_run, abalone_csv, abalone_schema, spark, tmp_path):
    again = tmp_path / "again"
    preprocess(str(abalone_csv), str(again), abalone_schema, spark=spark, quiet=True)
    for rel in ("train/part-00000.csv", "validation/part-00000.csv"):
        assert (again / rel).read_bytes() == (abalone_run / rel).read_bytes(), rel


def test_rerun_into_the_same_location_replaces_the_run(abalone_run, abalone_csv, abalone_schema, spark, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "stale.txt").write_text("from an older run")
    with pytest.raises(InputError, match="already holds a run .stale.txt.; pass --overwrite"):
        preprocess(str(abalone_csv), str(run), abalone_schema, spark=spark, quiet=True, seed=7)
    assert (run / "stale.txt").exists()
    manifest = preprocess(str(abalone_csv), str(run), abalone_schema, spark=spark, quiet=True, seed=7, overwrite=True)
    assert not (run / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert manifest["options"]["seed"] == 7
    assert (run / "train/part-00000.csv").read_bytes() != (abalone_run / "train/part-00000.csv").read_bytes()


def test_cli_writes_a_legacy_target_bundle_and_prints_a_summary(abalone_csv, abalone_schema, tmp_path, capsys):
    run = tmp_path / "run"
    code = main(["preprocess", "--input", str(abalone_csv), "--output", str(run), "--schema", abalone_schema,
                 "--bundle-target", "0.9", "--train-ratio", "0.7", "--parity-rows", "50"])
    assert code == 0
    err = capsys.readouterr().err
    assert "categories: sex: M, I, F" in err and f"outputs under {run}" in err
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["bundle"]["target"] == "0.9" and manifest["versions"]["bundle_format"].startswith("0.9")
    assert manifest["parity"]["rows"] == 50 and manifest["parity"]["max_abs_diff"] == 0.0
    bundle = bundles.load_bundle(run / "sparkml/model.tar.gz")
    features = bundle.transform({"sex": np.array(["M", "F"], dtype=object),
                                 **{c: np.array([0.5, 0.25]) for c in COLUMNS[1:]}}).columns["features"]
    assert features[:, :2].tolist() == [[1.0, 0.0], [0.0, 0.0]]
