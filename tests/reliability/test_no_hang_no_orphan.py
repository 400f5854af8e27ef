"""A test session cannot hang for ever or leave processes behind: a Spark test over its time limit fails naming
itself, and killing the session's parent takes pytest, its Spark JVM and the servers it started along."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INNER = "tests/reliability/hung_session.py"

pytestmark = pytest.mark.process  # pytest runs in a subprocess


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_spark_test_over_its_limit_fails_naming_itself():
    env = dict(os.environ, SPARKLEAP_SPARK_LIMIT_S="5")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", f"{INNER}::test_a_fit_that_hangs"],
                            env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout[-3000:]
    assert (f"SparkTimeout: test {INNER}::test_a_fit_that_hangs: Spark work passed its 5 s limit"
            in result.stdout), result.stdout[-3000:]
    assert time.monotonic() - started < 240


def test_killing_the_parent_of_a_session_takes_pytest_its_jvm_and_servers_along(tmp_path):
    pids_file, log = tmp_path / "pids", tmp_path / "session.log"
    command = (f"'{sys.executable}' -m pytest -p no:randomly {INNER}::"
               f"test_a_session_that_starts_a_jvm_and_children_then_waits > '{log}' 2>&1 & wait")
    parent = subprocess.Popen(["bash", "-c", command], env=dict(os.environ, SPARKLEAP_ORPHAN_PIDS=str(pids_file)),
                              cwd=REPO, start_new_session=True)
    pids: list[int] = []
    try:
        deadline = time.monotonic() + 240
        while not pids_file.exists():
            assert parent.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        pids = [int(p) for p in pids_file.read_text().split()]
        assert all(alive(pid) for pid in pids[:4]), pids  # pytest, its JVM, a server, a child (then the JVM's own)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in pids if alive(pid)] == [], log.read_text()[-3000:]
    finally:
        for pid in [parent.pid, *pids]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
