"""The job reading from and writing to s3:// on the local S3 server (boto3 via AWS_ENDPOINT_URL)."""

from __future__ import annotations

import json

import pytest

from base import storage
from glue_jobs.preprocess import preprocess
from glue_jobs.table_schema import InputError


def test_s3_in_s3_out_matches_the_local_run(bucket, abalone_csv, abalone_schema, abalone_run, spark, tmp_path):
    storage.upload(abalone_csv, f"s3://{bucket}/raw/abalone.csv")
    storage.upload(abalone_schema, f"s3://{bucket}/config/abalone.json")
    run = f"s3://{bucket}/runs/one"
    manifest = preprocess(f"s3://{bucket}/raw/", run, f"s3://{bucket}/config/abalone.json", spark=spark, quiet=True)
    assert manifest["input"]["files"] == [f"s3://{bucket}/raw/abalone.csv"]
    assert manifest["parity"]["max_abs_diff"] == 0.0
    assert storage.list_files(run) == [f"{run}/{rel}" for rel in (
        "manifest.json", "samples.csv", "schema.json", "sparkml/model.tar.gz", "train/part-00000.csv",
        "validation/part-00000.csv")]
    for rel in ("train/part-00000.csv", "validation/part-00000.csv", "schema.json"):
        assert storage.read_bytes(f"{run}/{rel}") == (abalone_run / rel).read_bytes(), rel
    assert json.loads(storage.read_text(f"{run}/manifest.json"))["output"] == run
    assert not list(tmp_path.iterdir())


def test_bad_s3_input_names_the_s3_file_and_uploads_nothing(bucket, abalone_schema, spark, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15,15\nF,0.5,0.4,0.1,0.2,0.3,0.1,0.2,eight\n")
    storage.upload(bad, f"s3://{bucket}/raw/part-1.csv")
    with pytest.raises(InputError, match=rf"'rings' in s3://{bucket}/raw/part-1\.csv "):
        preprocess(f"s3://{bucket}/raw", f"s3://{bucket}/runs/bad", abalone_schema, spark=spark, quiet=True)
    with pytest.raises(storage.StorageError):
        storage.list_files(f"s3://{bucket}/runs")
