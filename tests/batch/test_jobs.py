"""Whole jobs: bad records fail only their file, reruns skip completed files, payload limits, JSON Lines joins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from serving.batch.engines.http import HttpEngine
from serving.batch.engines.inprocess import InprocessEngine
from serving.batch.job import run_job
from serving.batch.options import TransformOptions
from serving.batch.progress import Progress


def quiet(n: int = 3) -> Progress:
    return Progress(n, quiet=True)


@pytest.fixture(params=["http", "inprocess"])
def engine(request, pipeline, endpoint_url):
    return HttpEngine(endpoint_url) if request.param == "http" else InprocessEngine(pipeline)


@pytest.mark.parametrize("strategy", ["SingleRecord", "MultiRecord"])
def test_a_bad_record_fails_its_file_only(strategy, engine, tmp_path, raw_rows, make_files):
    rows = raw_rows[:30]
    bad = [*rows[:17], "X,0.1,0.1,0.1,0.1,0.1,0.1,0.1", *rows[17:]]  # unseen category on record 18
    folder = make_files(tmp_path / "in", {"1-good.csv": "\n".join(rows) + "\n", "2-bad.csv": "\n".join(bad) + "\n",
                                           "3-good.csv": "\n".join(rows[:5]) + "\n"})
    options = TransformOptions(batch_strategy=strategy, max_payload_mb=1, max_retries=0)
    result = run_job(str(folder), str(tmp_path / "out"), options, engine, quiet())
    assert [f.status for f in result.files] == ["completed", "failed", "completed"]
    failed = result.failed[0]
    assert failed.record == 18 and "2-bad.csv" in failed.report_line() and "Unseen label: X" in failed.reason
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["1-good.csv.out", "3-good.csv.out",
                                                                    "manifest.json"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "Failed" and manifest["files"][1]["record"] == 18


def test_rerun_skips_completed_files_and_finishes_the_rest(tmp_path, raw_rows, pipeline, make_files):
    folder = make_files(tmp_path / "in", {"a.csv": "\n".join(raw_rows[:5]) + "\n",
                                           "b.csv": "F,oops,1,1,1,1,1,1\n"})
    engine = InprocessEngine(pipeline)
    first = run_job(str(folder), str(tmp_path / "out"), TransformOptions(), engine, quiet(2))
    assert [f.status for f in first.files] == ["completed", "failed"]
    before = (tmp_path / "out" / "a.csv.out").stat().st_mtime_ns
    (folder / "b.csv").write_text("\n".join(raw_rows[5:9]) + "\n")
    second = run_job(str(folder), str(tmp_path / "out"), TransformOptions(), engine, quiet(2))
    assert [f.status for f in second.files] == ["skipped", "completed"]
    assert (tmp_path / "out" / "a.csv.out").stat().st_mtime_ns == before
    assert len((tmp_path / "out" / "b.csv.out").read_text().splitlines()) == 4


def test_split_none_sends_the_whole_file_and_fails_a_file_over_the_limit(engine, tmp_path, raw_rows, make_files):
    small = "\n".join(raw_rows[:10]) + "\n"
    big = "\n".join(raw_rows * 300) + "\n"  # ~ 4 MB: one request would be over MaxPayloadInMB=1
    folder = make_files(tmp_path / "in", {"big.csv": big, "small.csv": small})
    options = TransformOptions(split_type="None", max_payload_mb=1, batch_strategy="MultiRecord")
    result = run_job(str(folder), str(tmp_path / "out"), options, engine, quiet(2))
    assert [f.status for f in result.files] == ["failed", "completed"]
    assert result.failed[0].record == 0 and "over MaxPayloadInMB" in result.failed[0].reason
    assert len((tmp_path / "out" / "small.csv.out").read_text().splitlines()) == 10


def test_multirecord_packing_gives_the_same_file_as_singlerecord(engine, tmp_path, raw_rows, make_files):
    folder = make_files(tmp_path / "in", {"rows.csv": "\n".join(raw_rows[:300]) + "\n"})
    outs = {}
    for strategy in ("SingleRecord", "MultiRecord"):
        options = TransformOptions(batch_strategy=strategy, max_payload_mb=1, max_concurrent_transforms=2)
        run_job(str(folder), str(tmp_path / strategy), options, engine, quiet(1))
        outs[strategy] = (tmp_path / strategy / "rows.csv.out").read_bytes()
    assert outs["SingleRecord"] == outs["MultiRecord"] and outs["MultiRecord"].count(b"\n") == 300


def jsonlines_input(raw_rows: list[str], count: int) -> str:
    lines = []
    for i, row in enumerate(raw_rows[:count]):
        cells = row.split(",")
        lines.append(json.dumps({"id": f"r{i}", "features": {"data": [cells[0], *map(float, cells[1:])]}}))
    return "\n".join(lines) + "\n"


def test_jsonlines_join_and_filters_identical_on_both_engines(tmp_path, raw_rows, pipeline, endpoint_url, make_files):
    folder = make_files(tmp_path / "in", {"a.jsonl": jsonlines_input(raw_rows, 12)})
    options = TransformOptions(content_type="application/jsonlines", accept="application/jsonlines",
                               batch_strategy="MultiRecord", max_payload_mb=1, input_filter="$.features",
                               join_source="Input", output_filter="$['id','SageMakerOutput']")
    outs = []
    for name, engine in (("http", HttpEngine(endpoint_url)), ("inproc", InprocessEngine(pipeline))):
        result = run_job(str(folder), str(tmp_path / name), options, engine, quiet(1))
        assert not result.failed, result.failed
        outs.append((tmp_path / name / "a.jsonl.out").read_bytes())
    assert outs[0] == outs[1]
    first = json.loads(outs[0].splitlines()[0])
    assert list(first) == ["id", "SageMakerOutput"] and first["id"] == "r0"
    assert isinstance(first["SageMakerOutput"], float)


def test_http_engine_asks_execution_parameters_when_flags_are_absent(endpoint_url):
    answer = HttpEngine(endpoint_url).execution_parameters()
    # both containers: one worker (the endpoint's), MULTI_RECORD, MAX_CONTENT_LENGTH's default 6 MB
    assert answer == {"MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": 6}
    chosen = TransformOptions().resolved(answer)
    assert chosen.max_payload_mb == answer["MaxPayloadInMB"]


def test_transient_errors_are_retried_then_reported(tmp_path, raw_rows, make_files):
    """No server at the port: every attempt fails to connect; the file fails after 1 + retries attempts."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = make_files(tmp_path / "in", {"a.csv": raw_rows[0] + "\n"})
    options = TransformOptions(batch_strategy="SingleRecord", max_payload_mb=1, max_concurrent_transforms=1,
                               max_retries=2)
    result = run_job(str(folder), str(tmp_path / "out"), options, HttpEngine(f"http://127.0.0.1:{port}"), quiet(1))
    assert "after 3 attempts" in result.failed[0].reason
    assert not Path(tmp_path / "out" / "a.csv.out").exists()
