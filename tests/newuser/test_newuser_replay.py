"""The new user's whole session, replayed with the CLI as separate processes on a generated header-ful CSV
(label first, categories last, empty cells): preprocess (one pass of errors, then success), train,
`deploy local --run`, predict in the file's own column order with empty cells, boto3 invoke_endpoint,
transform twice with different options, demo on the run."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers.houses import REPO, REQUEST_COLUMNS, request_rows, sparkleap, write_houses

pytestmark = pytest.mark.process

SPARK_START_UP = ("Setting default log level", "NativeCodeLoader", "WARN")


def _free_port() -> int:
    from serving.inference_pipeline.processes import free_port_block

    return free_port_block(1)


def _start_endpoint(run, port: int, log, env: dict) -> subprocess.Popen:
    """`sparkleap deploy local --run RUN` (default name) in its own process; returns once it says ready."""
    proc = subprocess.Popen([sys.executable, "-m", "sparkleap.cli", "deploy", "local", "--run", str(run), "--port",
                             str(port), "--workers", "1"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=log, text=True)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if selector.select(timeout=1):
            line = proc.stdout.readline()
            if "ready at" in line:
                return proc
    proc.kill()
    raise AssertionError("deploy local did not become ready")


def test_a_new_users_session_replayed(tmp_path):
    env = {**os.environ, "SPARKLEAP_STATE_DIR": str(tmp_path / "endpoints")}  # endpoint names are this test's own
    data = write_houses(tmp_path / "houses.csv", rows=240, seed=7)
    run = tmp_path / "runs" / "houses"

    # 1. As --help suggests, without knowing the data's needs: every problem at once, before Spark starts.
    first = sparkleap("preprocess", "--input", str(data), "--output", str(run))
    assert first.returncode == 2
    assert "error: 5 problems:" in first.stderr and "with --label (columns: price, size, age" in first.stderr
    assert first.stderr.count("pass --impute") == 2 and first.stderr.count("pass --handle-invalid keep") == 2
    assert not run.exists() and not any(s in first.stderr for s in SPARK_START_UP)

    # 2. With the flags the message named: a run, quietly (no Spark start-up lines).
    made = sparkleap("preprocess", "--input", str(data), "--output", str(run), "--label", "price", "--impute",
                     "mean", "--handle-invalid", "keep", "--parity-rows", "1000")
    assert made.returncode == 0, made.stderr
    assert not any(s in made.stderr for s in SPARK_START_UP), made.stderr
    assert "requests list the columns in the file's order without the label: size, age, rooms, color, region" \
        in made.stderr
    assert [c["name"] for c in json.loads((run / "schema.json").read_text())["input"]] == REQUEST_COLUMNS

    # 3. Train.
    trained = sparkleap("train", "--data", str(run), "--num-round", "20")
    assert trained.returncode == 0 and "for the saved model (20 rounds)" in trained.stdout, trained.stderr

    rows = request_rows(data, 30)
    assert sum(",," in r or r.startswith(",") or r.endswith(",") for r in rows) >= 5  # empty cells, numbers too
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n")
    port = _free_port()
    with open(tmp_path / "deploy.log", "w") as log:
        endpoint = _start_endpoint(run, port, log, env)
    url = f"http://127.0.0.1:{port}"
    try:
        # 4. predict in the file's own column order, empty cells included.
        predicted = sparkleap("predict", str(tmp_path / "rows.csv"), "--endpoint", url, env=env)
        assert predicted.returncode == 0, predicted.stderr
        answers = [float(x) for x in predicted.stdout.splitlines()]
        assert len(answers) == 30

        # 5. boto3 invoke_endpoint against the same endpoint.
        import boto3

        env = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}
        client = boto3.session.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                       aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                                       region_name="us-east-1").client("sagemaker-runtime", endpoint_url=url)
        with_empty = next(i for i, r in enumerate(rows) if ",," in r or r.startswith(","))
        reply = client.invoke_endpoint(EndpointName="sparkleap", ContentType="text/csv", Accept="text/csv",
                                       Body=rows[with_empty].encode())
        assert float(reply["Body"].read()) == answers[with_empty]

        # 6. transform twice with different options: the second is refused, naming --overwrite; then it runs.
        batch = tmp_path / "batch"
        batch.mkdir()
        (batch / "part-1.csv").write_text("\n".join(rows) + "\n")
        out = tmp_path / "predictions"
        once = sparkleap("transform", "--run", str(run), "--input", str(batch), "--output", str(out),
                         "--engine", "inprocess")
        assert once.returncode == 0, once.stderr
        assert [float(x) for x in (out / "part-1.csv.out").read_text().splitlines()] == answers
        other = ("--endpoint", url, "--join-source", "Input")
        refused = sparkleap("transform", "--input", str(batch), "--output", str(out), *other)
        assert refused.returncode == 2 and "pass --overwrite" in refused.stderr, refused.stderr
        again = sparkleap("transform", "--input", str(batch), "--output", str(out), *other, "--overwrite")
        assert again.returncode == 0, again.stderr
        joined = (out / "part-1.csv.out").read_text().splitlines()
        assert [line.rsplit(",", 1)[0] for line in joined] == rows
        assert [float(line.rsplit(",", 1)[1]) for line in joined] == answers

        # 7. The demo on that run, while the endpoint is up: it starts and stops its own, leaving this one be.
        demo = sparkleap("demo", "--run", str(run), timeout=400, env=env)
        assert demo.returncode == 0, demo.stderr
        assert "price" in demo.stdout and demo.stdout.count("\n") > 5 and "F,0.515" not in demo.stdout
        after = sparkleap("predict", str(tmp_path / "rows.csv"), "--endpoint", url, env=env)
        assert after.returncode == 0 and after.stdout == predicted.stdout, after.stderr
    finally:
        endpoint.send_signal(signal.SIGINT)
        endpoint.wait(60)
