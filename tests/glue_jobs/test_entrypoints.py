"""The same job module as a Glue script (getResolvedOptions) and under spark-submit."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import glue_jobs.preprocess
from glue_jobs.preprocess import job_argv

REPO = Path(__file__).resolve().parents[2]


def fake_awsglue(monkeypatch) -> None:
    """awsglue.utils.getResolvedOptions as Glue ships it: argparse, every named option required,
    Glue's own arguments tolerated, option dashes turned into underscores in the result."""

    def get_resolved_options(args: list[str], options: list[str]) -> dict:
        parser = argparse.ArgumentParser()
        parser.add_argument("--JOB_NAME")
        for option in options:
            parser.add_argument(f"--{option}", required=True)
        parsed, _ = parser.parse_known_args(args[1:])
        return vars(parsed)

    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = get_resolved_options
    monkeypatch.setitem(sys.modules, "awsglue", types.ModuleType("awsglue"))
    monkeypatch.setitem(sys.modules, "awsglue.utils", utils)


def test_glue_arguments_are_resolved_and_glue_s_own_dropped(monkeypatch):
    fake_awsglue(monkeypatch)
    argv = ["--JOB_NAME", "sparkleap-preprocess", "--job-bookmark-option", "job-bookmark-disable",
            "--input", "s3://b/raw/", "--output", "s3://b/run", "--train-ratio", "0.7", "--TempDir", "s3://b/tmp"]
    assert job_argv(argv) == ["--input", "s3://b/raw/", "--output", "s3://b/run", "--train-ratio", "0.7"]


def test_without_awsglue_arguments_pass_through():
    argv = ["--input", "a.csv", "--output", "run", "--quiet"]
    assert job_argv(argv) == argv


def test_every_cli_option_can_be_a_glue_argument():
    parser = argparse.ArgumentParser()
    glue_jobs.preprocess.configure(parser)
    local_only = ("help", "quiet", "verbose")
    flags = {a.option_strings[0][2:] for a in parser._actions if a.option_strings and a.dest not in local_only}
    assert flags == set(glue_jobs.preprocess.GLUE_OPTIONS)


def test_spark_submit_runs_the_module_unchanged(abalone_csv, abalone_schema, tmp_path):
    data = tmp_path / "small.csv"
    data.write_text("".join(abalone_csv.read_text().splitlines(keepends=True)[:300]))
    run = tmp_path / "run"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "spark-submit"), "--master", "local[1]", "--driver-memory", "1g",
         "--conf", "spark.ui.enabled=false", str(REPO / "glue_jobs" / "preprocess.py"),
         "--input", str(data), "--output", str(run), "--schema", abalone_schema, "--seed", "3"],
        env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["spark_master"] == "local[1]"  # spark-submit's session, not an embedded one
    assert manifest["input"]["rows"] == 300 and manifest["parity"]["max_abs_diff"] == 0.0
    assert "done in" in done.stdout + done.stderr  # spark-submit merges the driver's stderr into stdout
