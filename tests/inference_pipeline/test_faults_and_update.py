"""A crashed container is reported, restarted and recovered; `deploy local --update` switches without failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from serving.inference_pipeline.local import LocalEndpoint
from serving.inference_pipeline.processes import free_port_block

pytestmark = pytest.mark.process  # starts server processes

REPO = Path(__file__).resolve().parents[2]
SEED_ROW = "F,0.515,0.425,0.14,0.766,0.304,0.1725,0.255"
RECOVERY_LIMIT_S = 20  # generous for a loaded CI machine; `make bench`/soak measure the real figure


def predict(url: str) -> requests.Response:
    return requests.post(url + "/invocations", data=SEED_ROW, headers={"Content-Type": "text/csv"}, timeout=30)


def wait_until(check, limit_s: float) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_killed_xgboost_gives_fast_503_unhealthy_ping_then_recovers(abalone_pipeline, tmp_path):
    with LocalEndpoint(abalone_pipeline, workers=1, state_file=tmp_path / "state.json") as endpoint:
        xgboost = endpoint.supervisor.containers[1]
        os.killpg(xgboost.pid, signal.SIGKILL)
        xgboost.process.wait()
        started = time.monotonic()
        reply = predict(endpoint.url)
        assert time.monotonic() - started < 5
        assert reply.status_code == 503 and "container xgboost is not reachable" in reply.text
        ping = requests.get(endpoint.url + "/ping", timeout=10)
        assert ping.status_code == 503 and "xgboost" in ping.text
        assert wait_until(lambda: predict(endpoint.url).status_code == 200, RECOVERY_LIMIT_S)
        status = requests.get(endpoint.url + "/status", timeout=10).json()
        assert status["containers"][1]["restarts"] == 1
        assert any("container xgboost" in event and "restarting" in event for event in status["events"])


def test_update_switches_versions_with_no_failed_request(abalone_trained, tmp_path):
    env = dict(os.environ, SPARKLEAP_STATE_DIR=str(tmp_path / "state"), PYTHONPATH=str(REPO))
    port = free_port_block(1)
    models = ["--sparkml-model", str(abalone_trained / "sparkml" / "model.tar.gz"),
              "--xgboost-model", str(abalone_trained / "xgboost" / "model.tar.gz")]
    command = [sys.executable, "-m", "sparkleap.cli", "deploy", "local", *models, "--name", "blue-green",
               "--workers", "1"]
    server = subprocess.Popen([*command, "--port", str(port)], env=env, cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: _ok(url), 60), server.stderr.read() if server.poll() is not None else "no ping"
        failures, answers, stop = [], set(), threading.Event()

        def hammer() -> None:
            while not stop.is_set():
                reply = predict(url)
                (answers.add(reply.text) if reply.status_code == 200 else failures.append(reply.text))

        clients = [threading.Thread(target=hammer) for _ in range(4)]
        for client in clients:
            client.start()
        update = subprocess.run([*command, "--update"], env=env, cwd=REPO, capture_output=True, text=True,
                                timeout=180)
        time.sleep(1)
        stop.set()
        for client in clients:
            client.join()
        assert update.returncode == 0, update.stderr
        assert "now serving version 2" in update.stdout
        assert failures == [] and len(answers) == 1
        assert requests.get(url + "/status", timeout=10).json()["generation"] == 2
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    assert not (tmp_path / "state" / "blue-green" / "state.json").exists()


def test_update_without_a_running_endpoint_says_so(abalone_trained, tmp_path):
    env = dict(os.environ, SPARKLEAP_STATE_DIR=str(tmp_path), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "sparkleap.cli", "deploy", "local", "--update", "--name", "nobody",
                           "--sparkml-model", str(abalone_trained / "sparkml" / "model.tar.gz"),
                           "--xgboost-model", str(abalone_trained / "xgboost" / "model.tar.gz")],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no running endpoint named 'nobody'" in done.stderr


def _ok(url: str) -> bool:
    try:
        return requests.get(url + "/ping", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


@pytest.mark.parametrize("flag", ["--sparkml-model"])
def test_deploy_local_with_a_missing_model_fails_with_one_line(tmp_path, flag):
    done = subprocess.run([sys.executable, "-m", "sparkleap.cli", "deploy", "local", flag, str(tmp_path / "none"),
                           "--xgboost-model", str(tmp_path / "none2")], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("sparkleap deploy local: error: container 1 ('sparkml'): model ")
    assert "Traceback" not in done.stderr
