"""`sparkleap deploy glue` against the local moto server: job created/updated with Glue 5.0, run started."""

from __future__ import annotations

import argparse
import io
import zipfile

import boto3
import pytest
from botocore.stub import Stubber

from base import storage
from glue_jobs.deploy import configure_glue, deploy_glue, deploy_glue_job, package_zip

ROLE = "arn:aws:iam::123456789012:role/GlueJobRole"


def cli_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    configure_glue(parser)
    return parser.parse_args(list(argv))


def test_deploy_creates_the_job_uploads_code_and_starts_a_run(bucket, abalone_schema, capsys):
    name = f"job-{bucket}"
    args = cli_args("--script-location", f"s3://{bucket}/jobs/preprocess.py", "--role", ROLE,
                    "--input", f"s3://{bucket}/raw/", "--output", f"s3://{bucket}/runs/1", "--schema", abalone_schema,
                    "--job-name", name, "--job-arg", "seed=7", "--job-arg", "impute=mean")
    assert deploy_glue(args) == 0
    out = capsys.readouterr().out
    assert f"Glue job {name!r} created" in out and "started run" in out

    glue = boto3.client("glue")
    job = glue.get_job(JobName=name)["Job"]
    assert job["GlueVersion"] == "5.0" and job["Role"] == ROLE
    assert job["Command"]["Name"] == "glueetl"
    assert job["Command"]["ScriptLocation"] == f"s3://{bucket}/jobs/preprocess.py"
    assert job["DefaultArguments"] == {
        "--extra-py-files": f"s3://{bucket}/jobs/sparkleap-code.zip", "--job-language": "python",
        "--input": f"s3://{bucket}/raw/", "--output": f"s3://{bucket}/runs/1",
        "--schema": f"s3://{bucket}/jobs/abalone.json", "--seed": "7", "--impute": "mean"}
    assert len(glue.get_job_runs(JobName=name)["JobRuns"]) == 1

    script = storage.read_text(f"s3://{bucket}/jobs/preprocess.py")
    assert "getResolvedOptions" in script and 'if __name__ == "__main__"' in script
    names = zipfile.ZipFile(io.BytesIO(storage.read_bytes(f"s3://{bucket}/jobs/sparkleap-code.zip"))).namelist()
    assert {"glue_jobs/preprocess.py", "glue_jobs/job.py", "bundles/__init__.py", "base/storage.py"} <= set(names)
    assert not [n for n in names if n.startswith(("serving/", "sparkleap/", "training/"))]
    assert storage.read_text(f"s3://{bucket}/jobs/abalone.json") == open(abalone_schema).read()


def test_redeploy_updates_the_job_in_place(bucket):
    """moto has no UpdateJob: the second deploy runs against botocore's Stubber, which validates the
    request against the Glue service model and pins its parameters."""
    name = f"job-{bucket}"
    kwargs = {"schema": None, "job_name": name, "start": False}
    where = (f"s3://{bucket}/jobs/preprocess.py", ROLE, f"s3://{bucket}/raw/", f"s3://{bucket}/runs/1")
    created = deploy_glue_job(*where, **kwargs)
    assert created["action"] == "created" and created["run_id"] is None
    job = boto3.client("glue").get_job(JobName=name)["Job"]

    glue = boto3.client("glue")
    update = {k: job[k] for k in ("Role", "Command", "DefaultArguments", "GlueVersion", "WorkerType", "Timeout",
                                  "Description")}
    update["NumberOfWorkers"] = 5
    update["DefaultArguments"] = {**job["DefaultArguments"], "--scale": "standard"}
    with Stubber(glue) as stub:
        stub.add_response("get_job", {"Job": job}, {"JobName": name})
        stub.add_response("update_job", {"JobName": name}, {"JobName": name, "JobUpdate": update})
        stub.add_response("start_job_run", {"JobRunId": "jr_1"}, {"JobName": name})
        result = deploy_glue_job(*where, **{**kwargs, "start": True}, workers=5,
                                 job_args={"--scale": "standard"}, glue=glue)
        stub.assert_no_pending_responses()
    assert result["action"] == "updated" and result["run_id"] == "jr_1"


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--script-location", "/local/preprocess.py"], "s3:// URI"),
    (["--job-arg", "colour=red"], "unknown job argument(s) --colour"),
    (["--job-arg", "seed"], "NAME=VALUE"),
    (["--schema", "/no/such/schema.json"], "no such file"),
])
def test_bad_deploy_arguments_fail_with_a_message(argv, fragment, bucket, capsys):
    base = {"--script-location": f"s3://{bucket}/jobs/preprocess.py", "--role": ROLE,
            "--input": f"s3://{bucket}/raw/", "--output": f"s3://{bucket}/runs/1"}
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    assert deploy_glue(cli_args(*[x for kv in base.items() for x in kv])) == 2
    assert fragment in capsys.readouterr().err


def test_the_code_zip_is_byte_stable():
    assert package_zip() == package_zip()
