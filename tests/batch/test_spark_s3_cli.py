"""The spark engine (identical files), s3:// input and output through moto, the CLI and --sagemaker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from serving.batch.engines.inprocess import InprocessEngine
from serving.batch.engines.spark import run_spark_job
from serving.batch.job import run_job
from serving.batch.options import TransformOptions
from serving.batch.progress import Progress
from sparkleap.cli import main


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.out"))}


def test_spark_engine_writes_the_inprocess_files_and_reports_a_bad_record(spark, pipeline, three_files, tmp_path):
    (three_files / "d-bad.csv").write_text("M,0.4,0.3,0.1,0.5,0.2,0.1,0.1\nM,0.4,x,0.1,0.5,0.2,0.1,0.1\n")
    options = TransformOptions(batch_strategy="MultiRecord", max_payload_mb=1)
    inproc = run_job(str(three_files), str(tmp_path / "inproc"), options, InprocessEngine(pipeline),
                     Progress(4, quiet=True))
    on_spark = run_spark_job(pipeline, str(three_files), str(tmp_path / "spark"), options, spark=spark,
                             progress=Progress(4, quiet=True))
    assert outputs(tmp_path / "spark") == outputs(tmp_path / "inproc")
    assert len(outputs(tmp_path / "spark")) == 3
    assert [(f.status, f.record) for f in on_spark.files] == [(f.status, f.record) for f in inproc.files]
    assert on_spark.failed[0].record == 2 and "d-bad.csv" in on_spark.failed[0].input
    again = run_spark_job(pipeline, str(three_files), str(tmp_path / "spark"), options, spark=spark,
                          progress=Progress(4, quiet=True))
    assert [f.status for f in again.files] == ["skipped", "skipped", "failed", "skipped"]


def test_s3_input_and_output_with_manifest(bucket, pipeline, raw_rows, tmp_path):
    import boto3

    s3 = boto3.client("s3")
    s3.put_object(Bucket=bucket, Key="in/day1/a.csv", Body="\n".join(raw_rows[:8]) + "\n")
    s3.put_object(Bucket=bucket, Key="in/b.csv", Body="\n".join(raw_rows[8:11]) + "\n")
    result = run_job(f"s3://{bucket}/in", f"s3://{bucket}/out", TransformOptions(), InprocessEngine(pipeline),
                     Progress(2, quiet=True))
    assert not result.failed
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="out/")["Contents"])
    assert keys == ["out/b.csv.out", "out/day1/a.csv.out", "out/manifest.json"]
    body = s3.get_object(Bucket=bucket, Key="out/day1/a.csv.out")["Body"].read()
    assert body.count(b"\n") == 8
    manifest = json.loads(s3.get_object(Bucket=bucket, Key="out/manifest.json")["Body"].read())
    assert manifest["status"] == "Completed" and [f["records"] for f in manifest["files"]] == [3, 8]
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")


def test_spark_engine_reads_and_writes_s3(bucket, spark, pipeline, raw_rows, tmp_path, monkeypatch):
    """Executors reach S3 themselves: the endpoint is shipped, credentials come from the cluster (executorEnv)."""
    import boto3

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setitem(spark.sparkContext.environment, key, "testing")
    s3 = boto3.client("s3")
    s3.put_object(Bucket=bucket, Key="in/day1/a.csv", Body="\n".join(raw_rows[:8]) + "\n")
    s3.put_object(Bucket=bucket, Key="in/b.csv", Body="\n".join(raw_rows[8:11]) + "\n")
    options = TransformOptions(batch_strategy="MultiRecord")
    on_spark = run_spark_job(pipeline, f"s3://{bucket}/in", f"s3://{bucket}/out", options, spark=spark,
                             progress=Progress(2, quiet=True))
    assert not on_spark.failed
    inproc = run_job(f"s3://{bucket}/in", str(tmp_path / "inproc"), options, InprocessEngine(pipeline),
                     Progress(2, quiet=True))
    assert not inproc.failed
    for key in ("b.csv.out", "day1/a.csv.out"):
        body = s3.get_object(Bucket=bucket, Key=f"out/{key}")["Body"].read()
        assert body == (tmp_path / "inproc" / key).read_bytes()
    manifest = json.loads(s3.get_object(Bucket=bucket, Key="out/manifest.json")["Body"].read())
    assert manifest["engine"] == "spark" and [f["records"] for f in manifest["files"]] == [3, 8]


def test_cli_inprocess_exit_codes_and_report(pipeline, three_files, tmp_path, capsys):
    sparkml, xgb = (c.model for c in pipeline.containers)
    args = ["transform", "--sparkml-model", sparkml, "--xgboost-model", xgb, "--input", str(three_files),
            "--output", str(tmp_path / "out"), "--engine", "inprocess", "--quiet"]
    assert main(args) == 0
    assert sorted(outputs(tmp_path / "out")) == ["a.csv.out", "b.csv.out", "sub/c.csv.out"]
    (three_files / "z.csv").write_text("M,1,1,1,1,1,1,1\nQ,1,1,1,1,1,1,1\n")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "1 of 4 file(s) failed" in err and "z.csv, record 2" in err
    assert main([*args, "--split-type", "TFRecord"]) == 2
    assert "TFRecord is not supported" in capsys.readouterr().err


def test_sagemaker_submit_passes_botocore_validation_and_moto(s3_server, capsys):
    import boto3

    sm = boto3.client("sagemaker")
    sm.create_model(ModelName="abalone-pipeline", ExecutionRoleArn="arn:aws:iam::123456789012:role/sm",
                    Containers=[{"Image": "x.dkr.ecr.us-east-1.amazonaws.com/a:1", "ContainerHostname": "sparkml"},
                                {"Image": "x.dkr.ecr.us-east-1.amazonaws.com/b:1", "ContainerHostname": "xgboost"}])
    code = main(["transform", "--sagemaker", "--model-name", "abalone-pipeline", "--job-name", "abalone-batch",
                 "--input", "s3://bkt/batch/", "--output", "s3://bkt/batch_output/", "--batch-strategy",
                 "SingleRecord", "--max-payload-mb", "5", "--input-filter", "$[1:]", "--join-source", "Input",
                 "--output-filter", "$[0,-1]"])
    assert code == 0, capsys.readouterr().err
    job = sm.describe_transform_job(TransformJobName="abalone-batch")
    assert job["BatchStrategy"] == "SingleRecord" and job["MaxPayloadInMB"] == 5
    assert job["TransformInput"]["SplitType"] == "Line"
    assert job["DataProcessing"] == {"InputFilter": "$[1:]", "JoinSource": "Input", "OutputFilter": "$[0,-1]"}
    assert main(["transform", "--sagemaker", "--model-name", "m", "--input", "local/", "--output", "s3://b/o"]) == 2
    assert "SageMaker reads and writes S3 only" in capsys.readouterr().err


def test_cli_http_starts_the_local_pipeline_itself(pipeline, three_files, tmp_path, capsys):
    sparkml, xgb = (c.model for c in pipeline.containers)
    common = ["--sparkml-model", sparkml, "--xgboost-model", xgb, "--input", str(three_files)]
    assert main(["transform", *common, "--output", str(tmp_path / "http"), "--engine", "http"]) == 0
    progress = capsys.readouterr().err
    assert "MaxPayloadInMB=6, BatchStrategy=MULTI_RECORD" in progress and "files 3/3" in progress
    assert main(["transform", *common, "--output", str(tmp_path / "inproc"), "--engine", "inprocess"]) == 0
    assert outputs(tmp_path / "http") == outputs(tmp_path / "inproc")


def test_a_failed_s3_multipart_upload_is_aborted_and_leaves_nothing(bucket, monkeypatch):
    import boto3

    from base import storage

    real_client = storage.s3_client

    def failing_client():
        client = real_client()

        def refuse(**_):
            raise ConnectionError("network gone")

        client.meta.events.register("before-call.s3.CompleteMultipartUpload", refuse)
        return client

    monkeypatch.setattr(storage, "MULTIPART_THRESHOLD", 5 * 1024 * 1024)
    monkeypatch.setattr(storage, "s3_client", failing_client)
    with pytest.raises(storage.StorageError, match="network gone"):
        storage.write_whole(f"s3://{bucket}/out/big.csv.out", b"x" * (11 * 1024 * 1024))
    s3 = boto3.client("s3")
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="out/")
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")
