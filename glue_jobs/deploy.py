"""`sparkleap deploy glue`: create or update the preprocessing job on AWS Glue 5.0 and start a run.

Uploads the job script (glue_jobs/preprocess.py) to `--script-location`, this package's code as a zip
passed with `--extra-py-files`, and a local schema file next to the script; then creates the job
(or updates it when it exists) with Command glueetl, GlueVersion 5.0, and starts a run.
The `deploy` command module calls `configure_glue(parser)` and `deploy_glue(args)`.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

GLUE_VERSION = "5.0"
PACKAGES = ("base", "jvm", "bundles", "glue_jobs")  # what the job imports (the layers below glue_jobs, and itself)
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed member times: the same code gives the same zip bytes


def configure_glue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--script-location", required=True, help="s3:// URI the job script is uploaded to")
    parser.add_argument("--role", required=True, help="IAM role ARN the job runs as")
    parser.add_argument("--input", required=True, help="the job's --input (s3:// CSV object or prefix)")
    parser.add_argument("--output", required=True, help="the job's --output run location (s3:// prefix)")
    parser.add_argument("--schema", help="schema JSON: s3:// URI, or a local file uploaded next to the script")
    parser.add_argument("--job-name", default="sparkleap-preprocess", help="Glue job name")
    parser.add_argument("--job-arg", action="append", default=[], metavar="NAME=VALUE",
                        help="another job argument, e.g. impute=mean or seed=7 (repeatable)")
    parser.add_argument("--worker-type", default="G.1X", help="Glue worker type (default: G.1X)")
    parser.add_argument("--number-of-workers", type=int, default=2, help="Glue workers (default: 2)")
    parser.add_argument("--timeout", type=int, default=60, help="job timeout in minutes (default: 60)")
    parser.add_argument("--no-start", action="store_true", help="create/update the job without starting a run")


def deploy_glue(args: argparse.Namespace) -> int:
    """CLI entry: deploy, print what was done, exit code."""
    from botocore.exceptions import BotoCoreError, ClientError

    from base import exits
    from base.storage import StorageError

    try:
        result = deploy_glue_job(
            args.script_location, args.role, args.input, args.output, schema=args.schema, job_name=args.job_name,
            job_args=parse_job_args(args.job_arg), worker_type=args.worker_type,
            workers=args.number_of_workers, timeout=args.timeout, start=not args.no_start,
        )
    except (ValueError, StorageError) as exc:
        return exits.fail("deploy glue", exc, exits.BAD_INPUT)
    except (ClientError, BotoCoreError) as exc:
        return exits.fail("deploy glue", exc, exits.FAILED)
    print(f"Glue job {result['job_name']!r} {result['action']} (Glue {GLUE_VERSION}); script {result['script']}")
    print(f"  code: {result['extra_py_files']}")
    if result.get("run_id"):
        print(f"  started run {result['run_id']}; outputs will land under {args.output}")
    return 0


def parse_job_args(pairs: list[str]) -> dict[str, str]:
    """["impute=mean", "seed=7"] -> {"--impute": "mean", "--seed": "7"}."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip("-"):
            raise ValueError(f"--job-arg {pair!r}: use NAME=VALUE, e.g. impute=mean")
        out["--" + name.strip("-")] = value
    return out


def package_zip() -> bytes:
    """This package's Python code (and packaged JSON) as a zip for `--extra-py-files`, byte-stable."""
    import importlib

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in PACKAGES:
            root = Path(importlib.import_module(name).__file__).parent
            for file in sorted(root.rglob("*")):
                if file.suffix in (".py", ".json") and "__pycache__" not in file.parts:
                    info = zipfile.ZipInfo(f"{name}/{file.relative_to(root).as_posix()}", ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, file.read_bytes())
    return buffer.getvalue()


def _put(client, uri: str, body: bytes) -> None:
    from base.storage import split_s3

    bucket, key = split_s3(uri)
    client.put_object(Bucket=bucket, Key=key, Body=body)


def deploy_glue_job(script_location: str, role: str, input: str, output: str, *, schema: str | None = None,
                    job_name: str = "sparkleap-preprocess", job_args: dict[str, str] | None = None,
                    worker_type: str = "G.1X", workers: int = 2, timeout: int = 60, start: bool = True,
                    glue=None) -> dict:
    """Upload script + code, create or update the Glue job, optionally start it (`glue`: a boto3 Glue client).

    Returns {"job_name", "action": "created"|"updated", "script", "extra_py_files", "schema", "run_id"}.
    """
    import boto3

    import glue_jobs.preprocess
    from base import storage

    if not storage.is_s3(script_location) or not script_location.endswith(".py"):
        raise ValueError(f"--script-location {script_location!r}: give an s3:// URI of a .py file")
    unknown = sorted(k for k in (job_args or {}) if k[2:] not in glue_jobs.preprocess.GLUE_OPTIONS)
    if unknown:
        raise ValueError(f"unknown job argument(s) {', '.join(unknown)}; the job takes "
                         f"{', '.join(glue_jobs.preprocess.GLUE_OPTIONS)}")
    folder = script_location.rsplit("/", 1)[0]
    s3 = storage.s3_client()
    _put(s3, script_location, Path(glue_jobs.preprocess.__file__).read_bytes())
    code_uri = f"{folder}/sparkleap-code.zip"
    _put(s3, code_uri, package_zip())
    if schema and not storage.is_s3(schema):
        local = Path(schema)
        if not local.is_file():
            raise ValueError(f"--schema {schema}: no such file")
        uploaded = f"{folder}/{local.name}"
        _put(s3, uploaded, local.read_bytes())
        schema = uploaded
    arguments = {"--extra-py-files": code_uri, "--job-language": "python", "--input": input, "--output": output,
                 **({"--schema": schema} if schema else {}), **(job_args or {})}
    job = {
        "Role": role,
        "Command": {"Name": "glueetl", "ScriptLocation": script_location, "PythonVersion": "3"},
        "DefaultArguments": arguments,
        "GlueVersion": GLUE_VERSION,
        "WorkerType": worker_type,
        "NumberOfWorkers": workers,
        "Timeout": timeout,
        "Description": "sparkleap preprocessing: Spark feature pipeline -> train/validation CSVs + MLeap bundle",
    }
    glue = glue or boto3.session.Session().client("glue")
    try:
        glue.get_job(JobName=job_name)
        glue.update_job(JobName=job_name, JobUpdate=job)
        action = "updated"
    except glue.exceptions.EntityNotFoundException:
        glue.create_job(Name=job_name, **job)
        action = "created"
    run_id = glue.start_job_run(JobName=job_name)["JobRunId"] if start else None
    return {"job_name": job_name, "action": action, "script": script_location, "extra_py_files": code_uri,
            "schema": schema, "run_id": run_id}
