"""`sparkleap predict`: raw rows from a file or stdin, packed into requests, answers in order."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from serving.inference_pipeline.predict import PredictError, pack, predict, records

REPO = Path(__file__).resolve().parents[2]


def run_predict(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sparkleap.cli", "predict", *argv], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_predictions_from_a_file_come_back_in_order_across_many_requests(endpoint, raw_rows, tmp_path):
    rows = raw_rows[:300]
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n")
    whole = run_predict(str(tmp_path / "rows.csv"), "--endpoint", endpoint.url)
    small = run_predict(str(tmp_path / "rows.csv"), "--endpoint", endpoint.url, "--max-payload-mb", "0.0005",
                        "--output", str(tmp_path / "out.txt"))
    assert whole.returncode == 0 and small.returncode == 0, whole.stderr + small.stderr
    assert len(whole.stdout.splitlines()) == 300
    assert (tmp_path / "out.txt").read_text() == whole.stdout
    assert "requests, 300 rows" in small.stderr  # progress shown once past 20 requests
    single = run_predict("--endpoint", endpoint.url, stdin=rows[0] + "\n")
    assert single.stdout.splitlines() == whole.stdout.splitlines()[:1]


def test_a_bad_row_stops_with_the_endpoint_message_and_no_output_file(endpoint, tmp_path):
    (tmp_path / "rows.csv").write_text("F,0.5,0.4,0.1,0.7,0.3,0.1,0.2\nQ,0.5,0.4,0.1,0.7,0.3,0.1,0.2\n")
    done = run_predict(str(tmp_path / "rows.csv"), "--endpoint", endpoint.url, "--output", str(tmp_path / "o.txt"))
    assert done.returncode == 1
    assert "answered 424" in done.stderr and "from sparkml" in done.stderr and "Unseen label: Q" in done.stderr
    assert not (tmp_path / "o.txt").exists() and list(tmp_path.iterdir()) == [tmp_path / "rows.csv"]


def test_unknown_endpoint_form_is_refused():
    done = run_predict("--endpoint", "localhost:8080", stdin="a\n")
    assert done.returncode == 2 and "give http://HOST:PORT or sagemaker:NAME" in done.stderr


def test_records_keep_quoted_newlines_and_skip_blank_lines():
    lines = list(records(io.BytesIO(b'a,"x\ny",1\r\n\nb,2,3\n')))
    assert lines == [b'a,"x\ny",1\n', b"b,2,3\n"]


def test_pack_respects_the_limit_and_refuses_a_row_over_it():
    assert list(pack([b"aaa\n", b"bb\n", b"c\n"], 7)) == [(b"aaa\nbb\n", 2), (b"c\n", 1)]
    with pytest.raises(ValueError, match="row 2 is 9 bytes, over the 7-byte request limit"):
        list(pack([b"a\n", b"12345678\n"], 7))


def test_an_answer_with_the_wrong_number_of_lines_is_an_error():
    with pytest.raises(PredictError, match="sent 2 rows, got 1 answer lines"):
        list(predict([(b"a\nb\n", 2)], lambda body: b"1\n"))


def test_sagemaker_endpoint_form_uses_boto3_invoke_endpoint(endpoint, raw_rows, monkeypatch):
    """`sagemaker:NAME` goes through boto3's sagemaker-runtime client; pointed at the local endpoint with the
    standard service-specific endpoint variable, it must give the same answers as the plain URL form."""
    rows = "\n".join(raw_rows[:20]) + "\n"
    env = {"AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME": endpoint.url, "AWS_ACCESS_KEY_ID": "local",
           "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    via_boto3 = run_predict("--endpoint", "sagemaker:sparkleap", stdin=rows)
    via_url = run_predict("--endpoint", endpoint.url, stdin=rows)
    assert via_boto3.returncode == 0, via_boto3.stderr
    assert via_boto3.stdout == via_url.stdout and len(via_boto3.stdout.splitlines()) == 20
    wrong = run_predict("--endpoint", "sagemaker:elsewhere", stdin=rows)
    assert wrong.returncode == 1
    assert "ValidationError" in wrong.stderr and "Endpoint elsewhere not found" in wrong.stderr
