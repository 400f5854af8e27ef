"""Item 8: messages a new user can act on."""

from __future__ import annotations

import json
import os
import socket

from sparkleap.cli import main
from tests.helpers.houses import request_rows, sparkleap


def test_predict_against_a_stopped_endpoint_says_so_and_suggests_deploy_local(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    (tmp_path / "rows.csv").write_text("1,2,3\n")
    done = sparkleap("predict", str(tmp_path / "rows.csv"), "--endpoint", f"http://127.0.0.1:{port}")
    assert done.returncode == 1
    assert f"no endpoint is answering at http://127.0.0.1:{port}" in done.stderr
    assert "sparkleap deploy local --run RUN" in done.stderr and "Traceback" not in done.stderr


def test_a_bundle_path_holding_an_xgboost_model_names_the_users_file_and_what_it_is(houses_run):
    path = str(houses_run / "xgboost" / "model.tar.gz")
    done = sparkleap("bundle", "inspect", path)
    assert done.returncode == 2
    assert f"{path}: not a Bundle.ML bundle (no bundle.json); it holds an XGBoost model" in done.stderr
    assert "sparkleap-bundle-" not in done.stderr
    other = sparkleap("bundle", "inspect", str(houses_run / "samples.csv"))
    assert other.returncode == 2 and "a text file starting 'price,size,age,rooms,color,region'" in other.stderr


def test_serve_sparkml_without_a_model_names_sm_model_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SM_MODEL_DIR"}
    env["SM_MODEL_DIR"] = str(tmp_path / "missing")
    done = sparkleap("serve", "sparkml", "--port", "0", env=env, timeout=120)
    assert done.returncode != 0
    assert f"no model at {tmp_path / 'missing'} (no such file or directory): set SM_MODEL_DIR (or pass --model-dir)" \
        in done.stderr


def test_deploy_sagemaker_without_role_says_the_role_is_missing(houses_run, capsys, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert main(["deploy", "sagemaker", "--name", "houses", "--run", str(houses_run), "--dry-run"]) == 2
    assert "--role is missing: give the IAM role ARN the endpoint's model runs as" in capsys.readouterr().err


def test_a_busy_port_names_port_and_hints_a_really_free_one(houses_run, capsys):
    from serving.inference_pipeline.processes import free_port_block

    port = free_port_block(3)
    with socket.socket() as busy, socket.socket() as next_busy:
        busy.bind(("127.0.0.1", port))
        next_busy.bind(("127.0.0.1", port + 1))
        busy.listen()
        next_busy.listen()
        assert main(["deploy", "local", "--run", str(houses_run), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is in use" in err and f"a free port, e.g. --port {port + 2}" in err


def test_batch_failures_name_file_and_record_once_in_the_files_terms(houses_run, houses_csv, tmp_path, capsys):
    rows = request_rows(houses_csv, 60)
    rows[50] = "100.0,abc,4,green,west"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "in" / "b.csv").write_text("\n".join(request_rows(houses_csv, 5)) + "\n")
    out = tmp_path / "out"
    code = main(["transform", "--run", str(houses_run), "--input", str(tmp_path / "in"), "--output", str(out),
                 "--engine", "inprocess"])
    assert code == 1
    err = capsys.readouterr().err
    line = f"{tmp_path / 'in' / 'a.csv'}, record 51: sparkml: column 'age': 'abc' is not a double"
    assert err.count("record 51") == 1 and line in err, err
    assert "row 1" not in err and "Received" not in err and "error (400)" not in err
    manifest = json.loads((out / "manifest.json").read_text())
    written = {f["output"] for f in manifest["files"] if f["output"]}
    assert written == {str(out / "b.csv.out")} and not (out / "a.csv.out").exists()
    assert [f["status"] for f in manifest["files"]] == ["failed", "completed"]
