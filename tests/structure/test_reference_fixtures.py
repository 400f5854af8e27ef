"""Without ../shared the suite fetches the pinned fixtures or fails at once naming SPARKLEAP_SHARED; never skips."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from base.processes import free_port
from tests.helpers import fixtures

REPO = Path(__file__).resolve().parents[2]


def check(tmp_path: Path, url: str, shared: Path | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """`python -m tests.helpers.fixtures` with an empty SPARKLEAP_SHARED (unless given), a fresh cache, `url`."""
    empty = tmp_path / "empty"
    empty.mkdir(exist_ok=True)
    env = dict(os.environ, SPARKLEAP_SHARED=str(shared or empty), SPARKLEAP_FIXTURE_CACHE=str(tmp_path / "cache"),
               SPARKLEAP_FIXTURE_URL=url)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "tests.helpers.fixtures"], env=env, cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    return result, time.monotonic() - started


class Sources:
    """A loopback HTTP server laid out as `{repo}/{commit}/{path}`, holding the lock's downloadable files."""

    def __init__(self, folder: Path, shared: Path, corrupt: str | None = None):
        for rel, entry in fixtures.lock().items():
            if "source" in entry:
                repo, commit, path = entry["source"]
                target = folder / repo / commit / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"not the pinned bytes" if rel == corrupt else (shared / rel).read_bytes())
        handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *args: None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/{{repo}}/{{commit}}/{{path}}"

    def __enter__(self) -> Sources:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.unit
def test_without_fixtures_and_without_a_network_it_fails_within_a_minute_naming_sparkleap_shared(tmp_path):
    result, seconds = check(tmp_path, f"http://127.0.0.1:{free_port()}/{{repo}}/{{commit}}/{{path}}")
    assert result.returncode == 2 and result.stdout == ""
    assert "Set SPARKLEAP_SHARED to a folder holding real_bundles/ and data/" in result.stderr
    assert "171 of 171 files missing" in result.stderr and "Connection refused" in result.stderr
    assert seconds < 60
    assert not (tmp_path / "cache").exists()  # nothing half-fetched is left to be trusted later


@pytest.mark.unit
def test_the_real_sources_fail_cleanly_where_github_is_unreachable_or_fetch_every_file(tmp_path):
    """The default source (GitHub at the pinned commits): from a machine that reaches only package registries,
    the failure message within a minute; from one that reaches GitHub, every file with its pinned sha256."""
    result, seconds = check(tmp_path, fixtures.RAW_URL)
    assert seconds < 60
    if result.returncode == 0:
        assert fixtures.problems(tmp_path / "cache", fixtures.lock()) == []
    else:
        assert result.returncode == 2 and "Set SPARKLEAP_SHARED" in result.stderr


@pytest.mark.interop
def test_fetching_from_the_sources_rebuilds_every_file_and_extraction(tmp_path, shared):
    with Sources(tmp_path / "github", shared) as sources:
        result, _ = check(tmp_path, sources.url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"reference fixtures: {tmp_path / 'cache'}"
    assert fixtures.problems(tmp_path / "cache", fixtures.lock()) == []
    result, _ = check(tmp_path, "http://127.0.0.1:9/unused")  # complete now: no network needed
    assert result.returncode == 0


@pytest.mark.interop
def test_a_fetched_file_with_other_bytes_is_refused(tmp_path, shared):
    with Sources(tmp_path / "github", shared, corrupt="data/abalone.csv") as sources:
        result, _ = check(tmp_path, sources.url)
    assert result.returncode == 2
    assert "data/abalone.csv: the fetched bytes do not have the pinned sha256" in result.stderr


@pytest.mark.process  # a pytest run in a subprocess
def test_a_test_needing_the_fixtures_fails_instead_of_skipping(tmp_path):
    env = dict(os.environ, SPARKLEAP_SHARED=str(tmp_path / "none"), SPARKLEAP_FIXTURE_CACHE=str(tmp_path / "cache"),
               SPARKLEAP_FIXTURE_URL=f"http://127.0.0.1:{free_port()}/{{repo}}/{{commit}}/{{path}}")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly",
                             "tests/bundles/test_bundle_titanic.py"], env=env, cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 1, result.stdout
    assert " error" in summary and "passed" not in summary and "skipped" not in summary, summary
    assert "Set SPARKLEAP_SHARED" in result.stdout
