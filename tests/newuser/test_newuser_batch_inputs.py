"""Item 11: Batch Transform's ManifestFile and Gzip inputs in every engine; XGBoost's 415 for text."""

from __future__ import annotations

import gzip
import json
import uuid

import pytest

from sparkleap.cli import main
from tests.helpers.houses import request_rows


@pytest.fixture
def gz_inputs(houses_csv, tmp_path):
    """Two gzip files in subfolders, a third file the manifest leaves out, and a manifest listing the two."""
    data = tmp_path / "data"
    parts = {"day1/a.csv.gz": request_rows(houses_csv, 30), "day2/b.csv.gz": request_rows(houses_csv, 12, 30)}
    for name, rows in parts.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(gzip.compress(("\n".join(rows) + "\n").encode()))
    (data / "day2" / "ignored.csv.gz").write_bytes(gzip.compress(b"not,listed\n"))
    manifest = tmp_path / "inputs.manifest"
    manifest.write_text(json.dumps([{"prefix": f"{data}/"}, "day1/a.csv.gz", "day2/b.csv.gz"]))
    plain = tmp_path / "plain"
    for name, rows in parts.items():
        (plain / name[:-3]).parent.mkdir(parents=True, exist_ok=True)
        (plain / name[:-3]).write_text("\n".join(rows) + "\n")
    return manifest, plain


@pytest.mark.parametrize("engine", ["inprocess", "spark", pytest.param("http", marks=pytest.mark.process)])
def test_a_manifest_of_gzip_objects_is_transformed_in_every_engine(engine, houses_run, gz_inputs, tmp_path, spark):
    manifest, plain = gz_inputs
    expected = tmp_path / "expected"
    assert main(["transform", "--run", str(houses_run), "--input", str(plain), "--output", str(expected),
                 "--engine", "inprocess", "--quiet"]) == 0
    out = tmp_path / "out"
    assert main(["transform", "--run", str(houses_run), "--input", str(manifest), "--output", str(out),
                 "--s3-data-type", "ManifestFile", "--compression-type", "Gzip", "--engine", engine, "--quiet"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.out"))
    assert written == ["day1/a.csv.gz.out", "day2/b.csv.gz.out"]  # named by the manifest's relative paths
    for name in written:
        assert (out / name).read_bytes() == (expected / name.replace(".gz.out", ".out")).read_bytes()
    recorded = json.loads((out / "manifest.json").read_text())
    assert recorded["options"]["s3_data_type"] == "ManifestFile" and recorded["options"]["compression_type"] == "Gzip"


def test_a_manifest_on_s3_lists_s3_objects(houses_run, houses_csv, s3_server, tmp_path):
    from base.storage import s3_client

    s3 = s3_client()
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="in/x/1.csv", Body=("\n".join(request_rows(houses_csv, 5)) + "\n").encode())
    s3.put_object(Bucket=bucket, Key="lists/job.manifest",
                  Body=json.dumps([{"prefix": f"s3://{bucket}/in/"}, "x/1.csv"]).encode())
    assert main(["transform", "--run", str(houses_run), "--input", f"s3://{bucket}/lists/job.manifest", "--output",
                 f"s3://{bucket}/out", "--s3-data-type", "ManifestFile", "--engine", "inprocess", "--quiet"]) == 0
    body = s3.get_object(Bucket=bucket, Key="out/x/1.csv.out")["Body"].read()
    assert len(body.splitlines()) == 5


def test_a_malformed_manifest_is_refused_before_anything_runs(houses_run, tmp_path, capsys):
    bad = tmp_path / "bad.manifest"
    bad.write_text(json.dumps(["a.csv"]))
    args = ["transform", "--run", str(houses_run), "--input", str(bad), "--output", str(tmp_path / "o"),
            "--s3-data-type", "ManifestFile", "--engine", "inprocess"]
    assert main(args) == 2
    assert 'whose first entry is {"prefix": "s3://bucket/prefix/"}' in capsys.readouterr().err
    bad.write_text(json.dumps([{"prefix": f"{tmp_path}/"}, "missing.csv"]))
    assert main(args) == 2
    assert f"lists object(s) that do not exist: {tmp_path}/missing.csv" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_an_object_that_is_not_gzip_fails_only_its_file(houses_run, houses_csv, tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.csv.gz").write_bytes(gzip.compress(("\n".join(request_rows(houses_csv, 3))).encode()))
    (tmp_path / "in" / "plain.csv").write_text("\n".join(request_rows(houses_csv, 3)))
    assert main(["transform", "--run", str(houses_run), "--input", str(tmp_path / "in"), "--output",
                 str(tmp_path / "o"), "--compression-type", "Gzip", "--engine", "inprocess"]) == 1
    assert "plain.csv (whole file): CompressionType is Gzip but the object is not gzip data" in capsys.readouterr().err
    assert (tmp_path / "o" / "good.csv.gz.out").is_file() and not (tmp_path / "o" / "plain.csv.out").exists()


def test_xgboost_answers_415_for_text_before_any_column_count_check(houses_run):
    from serving.contract import Invocation
    from serving.errors import BadInput, UnsupportedMediaType
    from serving.http_errors import status_of
    from serving.xgboost.app import XGBoostModel, load_booster

    model = XGBoostModel(load_booster(str(houses_run / "xgboost" / "model.tar.gz")))
    with pytest.raises(UnsupportedMediaType) as caught:
        model.invoke(Invocation(b"a,b,c", "text/csv", "text/csv"))
    assert status_of(caught.value) == 415 and "'a' is not a number" in caught.value.message
    with pytest.raises(BadInput) as width:
        model.invoke(Invocation(b"1,2,3", "text/csv", "text/csv"))
    assert status_of(width.value) == 400
