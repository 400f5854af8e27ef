"""Issue 27 replayed, each step a separate CLI process on generated data: a 60,000-row file whose SparkML
answer is ~12x its size through every engine and `predict` (the 5 MB hop), one record too big failing the
same way everywhere, re-runs with another model, a shrunk and a removed input (locally and on S3), JSON
nulls against empty cells, `bundle inspect` into a closed pipe, typos and bad values."""

from __future__ import annotations

import csv
import json
import os
import random
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.houses import REPO

pytestmark = pytest.mark.process

CITIES = [f"city{i:02d}" for i in range(60)]  # one-hot: the SparkML answer is ~12x its CSV request
COLUMNS = ["size", "year", "city", "color"]


def write_rows(path: Path, rows: int, seed: int, label: bool = False, header: bool = False) -> Path:
    """Rows `[price,]size,year,city,color`; size and color have empty cells."""
    rng = random.Random(seed)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        if header:
            writer.writerow((["price"] if label else []) + COLUMNS)
        for i in range(rows):
            size, year, city = round(rng.uniform(40, 200), 1), rng.randint(1950, 2020), rng.choice(CITIES)
            price = size * 3 + (year - 1950) + CITIES.index(city) + rng.gauss(0, 5)
            row = [size, year, city, rng.choice(["red", "blue", "green"])]
            if i % 13 == 5:
                row[0] = ""
            if i % 17 == 3:
                row[3] = ""
            writer.writerow(([round(price, 2)] if label else []) + row)
    return path


@pytest.fixture(scope="module")
def runs(spark, tmp_path_factory) -> tuple[Path, Path, Path]:
    """(raw training CSV, run A, run B): the same preprocessing, XGBoost trained with 10 and 4 rounds."""
    from glue_jobs.preprocess import preprocess
    from training.train import train

    root = tmp_path_factory.mktemp("second-run")
    data = write_rows(root / "cities.csv", 1500, seed=3, label=True, header=True)
    run_a = root / "run-a"
    preprocess(str(data), str(run_a), label="price", impute="mean", handle_invalid="keep", spark=spark, quiet=True)
    run_b = root / "run-b"
    shutil.copytree(run_a, run_b)
    train(str(run_a), num_round=10)
    train(str(run_b), num_round=4)
    return data, run_a, run_b


def cli(*argv: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The CLI as a separate process, `stdin` piped in."""
    return subprocess.run([sys.executable, "-m", "sparkleap.cli", *argv], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env=env, input=stdin)


def _start(argv: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sparkleap.cli", *argv], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)  # noqa: SIM115


def _ready(proc: subprocess.Popen) -> None:
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if selector.select(timeout=1) and "ready at" in proc.stdout.readline():
            return
    proc.kill()
    raise AssertionError("deploy local did not become ready")


def _failures(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines() if line.startswith("  ")]


def test_every_engine_and_predict_keep_each_hop_within_5_mb_and_fail_alike(runs, tmp_path):
    _, run_a, _ = runs
    env = {**os.environ, "SPARKLEAP_STATE_DIR": str(tmp_path / "endpoints")}
    source = tmp_path / "in"
    source.mkdir()
    big = write_rows(source / "big.csv", 60_000, seed=11)
    (source / "wide.csv").write_text(f"61.5,1958,{'x' * 1_100_000},red\n")  # one record over 1 MB
    args = ["--run", str(run_a), "--input", str(source), "--max-payload-mb", "1", "--quiet"]
    on_spark = _start(["transform", *args, "--output", str(tmp_path / "spark"), "--engine", "spark"], env,
                      tmp_path / "spark.log")
    endpoint = _start(["deploy", "local", "--run", str(run_a), "--port", str(_free_port()), "--workers", "1"],
                      env, tmp_path / "deploy.log")
    try:
        done = {engine: cli("transform", *args, "--output", str(tmp_path / engine), "--engine", engine, env=env)
                for engine in ("inprocess", "http")}
        assert on_spark.wait(300) == 1, (tmp_path / "spark.log").read_text()
        done["spark"] = subprocess.CompletedProcess([], 1, "", (tmp_path / "spark.log").read_text())
        expected = (f"{source / 'wide.csv'}, record 1: record 1 is 1100014 bytes, over MaxPayloadInMB "
                    "(--max-payload-mb, 1048576 bytes)")
        for engine, result in done.items():
            assert result.returncode == 1 and _failures(result.stderr) == [expected], (engine, result.stderr)
        outputs = {engine: (tmp_path / engine / "big.csv.out").read_bytes() for engine in done}
        assert outputs["http"] == outputs["inprocess"] == outputs["spark"]
        assert outputs["http"].count(b"\n") == 60_000

        _ready(endpoint)
        log = (tmp_path / "deploy.log").read_text()
        assert "requests send the columns in this order: size, year, city, color" in log
        url = f"http://127.0.0.1:{endpoint.args[endpoint.args.index('--port') + 1]}"
        predicted = cli("predict", str(big), "--endpoint", url, env=env)
        assert predicted.returncode == 0, predicted.stderr
        assert predicted.stdout.encode() == outputs["http"]

        # JSON null = an empty CSV cell: the same answers (categorical kept as unknown, number imputed)
        csv_rows = "61.5,1958,,red\n,2001,city07,\n"
        json_rows = json.dumps({"data": [[61.5, 1958, None, "red"], [None, 2001, "city07", None]]})
        as_csv = cli("predict", "--endpoint", url, env=env, stdin=csv_rows)
        as_json = cli("predict", "--endpoint", url, "--content-type", "application/json", env=env, stdin=json_rows)
        assert as_csv.returncode == 0 and as_json.returncode == 0, as_csv.stderr + as_json.stderr
        assert as_json.stdout == as_csv.stdout and as_csv.stdout.count("\n") == 2
    finally:
        endpoint.send_signal(signal.SIGTERM)
        endpoint.wait(60)
        if on_spark.poll() is None:
            on_spark.kill()


def _free_port() -> int:
    from serving.inference_pipeline.processes import free_port_block

    return free_port_block(1)


def _manifest(output: str) -> dict:
    from base import storage

    return json.loads(storage.read_bytes(storage.join(output, "manifest.json")))


def _read(uri: str) -> bytes:
    from base import storage

    return storage.read_bytes(uri)


def _replay_reruns(runs, source: Path, output: str, full: bool) -> None:
    """Run A, (`full`: the same again,) run B refused, a shrunk input redone and a removed input's output
    dropped, (`full`: then --overwrite with run B): each a separate `sparkleap transform --engine inprocess`."""
    from base import storage

    _, run_a, run_b = runs
    write_rows(source / "a.csv", 40, seed=21)
    write_rows(source / "b.csv", 5, seed=22)

    def transform(run: Path, *extra: str) -> subprocess.CompletedProcess:
        return cli("transform", "--run", str(run), "--input", str(source), "--output", output, "--engine",
                   "inprocess", *extra)

    first = transform(run_a)
    assert first.returncode == 0, first.stderr
    a_out, b_out = storage.join(output, "a.csv.out"), storage.join(output, "b.csv.out")
    before = {uri: _read(uri) for uri in (a_out, b_out)}
    recorded = {Path(f["input"]).name: f for f in _manifest(output)["files"]}
    assert recorded["b.csv"]["size"] == (source / "b.csv").stat().st_size and len(recorded["b.csv"]["sha256"]) == 64
    assert {c["kind"] for c in _manifest(output)["fingerprint"]["model"]["containers"]} == {"sparkml", "xgboost"}

    if full:
        same = transform(run_a)
        assert same.returncode == 0 and same.stderr.count("skipped (same input, models and options") == 2, \
            same.stderr

    other = transform(run_b)
    assert other.returncode == 2 and "--overwrite" in other.stderr and "xgboost (xgboost) model sha256" in other.stderr
    assert {uri: _read(uri) for uri in before} == before

    write_rows(source / "b.csv", 3, seed=22)  # the input shrinks from 5 rows to 3
    (source / "a.csv").unlink()
    shrunk = transform(run_a)
    assert shrunk.returncode == 0 and "b.csv 3 records (input changed since the last run: redone)" in shrunk.stderr
    assert _read(b_out) == b"".join(before[b_out].splitlines(keepends=True)[:3])
    assert f"removed {a_out}: its input {source / 'a.csv'} is gone" in shrunk.stderr
    assert not storage.exists(a_out) and _manifest(output)["removed"] == [a_out]
    if not full:
        return
    again = transform(run_b, "--overwrite")
    assert again.returncode == 0, again.stderr
    assert _read(b_out) != b"".join(before[b_out].splitlines(keepends=True)[:3])  # the other model's answers


def test_reruns_redo_changed_inputs_drop_gone_ones_and_refuse_another_model(runs, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    _replay_reruns(runs, source, str(tmp_path / "out"), full=True)


def test_reruns_into_s3_keep_the_same_rules(runs, tmp_path, bucket):
    source = tmp_path / "in"
    source.mkdir()
    _replay_reruns(runs, source, f"s3://{bucket}/predictions", full=False)


def test_inspect_into_a_closed_pipe_and_its_parameters(runs):
    _, run_a, _ = runs
    bundle = str(run_a / "sparkml" / "model.tar.gz")
    proc = subprocess.Popen([sys.executable, "-m", "sparkleap.cli", "bundle", "inspect", bundle], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before anything is written (`... | head` that already quit)
    assert proc.wait(120) == 0
    assert b"Traceback" not in proc.stderr.read()
    proc.stderr.close()
    shown = json.loads(cli("bundle", "inspect", bundle).stdout)
    params = {op["op"]: op["params"] for op in shown["ops"]}
    assert params["string_indexer"]["handle_invalid"] == "keep"
    assert params["one_hot_encoder"]["category_sizes"] == [61, 4]
    assert params["vector_assembler"]["size"] == 65


def test_typos_and_bad_values_exit_2_before_anything_starts(runs, tmp_path):
    _, run_a, _ = runs
    command = cli("transfrom", "--run", str(run_a))
    assert command.returncode == 2 and "did you mean 'transform'?" in command.stderr
    abbreviated = cli("transform", "--run", str(run_a), "--input", "x", "--output", "y", "--engin", "inprocess")
    assert abbreviated.returncode == 2 and "unrecognized arguments: --engin" in abbreviated.stderr
    assert "did you mean --engine?" in abbreviated.stderr
    for bad in (("--content-type", "application/xml"), ("--max-payload-mb", "0")):
        refused = cli("predict", "--endpoint", "http://127.0.0.1:9", *bad, stdin="1,2,a,b\n")
        assert refused.returncode == 2 and f"argument {bad[0]}" in refused.stderr, refused.stderr
    (tmp_path / "bad.json").write_text('{"input": [')
    bad_schema = cli("serve", "sparkml", "--model-dir", str(run_a / "sparkml" / "model.tar.gz"), "--schema",
                     str(tmp_path / "bad.json"))
    assert bad_schema.returncode == 2 and f"--schema {tmp_path / 'bad.json'}: not valid JSON" in bad_schema.stderr
    assert "SAGEMAKER_SPARKML_SCHEMA" in " ".join(cli("serve", "--help").stdout.split())
    gz = tmp_path / "gz"
    gz.mkdir()
    import gzip

    (gz / "rows.csv.gz").write_bytes(gzip.compress(b"61.5,1958,city01,red\n"))
    hinted = cli("transform", "--run", str(run_a), "--input", str(gz), "--output", str(tmp_path / "o"), "--engine",
                 "inprocess")
    assert hinted.returncode == 1 and "pass --compression-type Gzip" in hinted.stderr


def test_demo_takes_rows_without_the_label_and_samples_keep_the_files_numbers(runs, tmp_path):
    data, run_a, _ = runs
    with open(data, newline="") as f:
        raw = {tuple(row) for row in csv.reader(f)}
    with open(run_a / "samples.csv", newline="") as f:
        samples = list(csv.reader(f))
    assert samples[0] == ["price", *COLUMNS] and all(tuple(row) in raw for row in samples[1:])  # "1958", not 1958.0
    unlabelled = write_rows(tmp_path / "new.csv", 3, seed=5, header=True)
    demo = cli("demo", "--run", str(run_a), "--input", str(unlabelled), "--rows", "3")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.count(" ? ") == 3
