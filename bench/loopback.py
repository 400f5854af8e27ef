"""HTTP on 127.0.0.1 for benchmarks: start a server process, wait for its ping, time bounded request loops."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
            timeout: float = 30.0) -> tuple[int, bytes]:
    """One request on a new connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def ping(port: int, path: str = "/ping") -> bool:
    try:
        return request(port, "GET", path, timeout=2.0)[0] == 200
    except OSError:
        return False


class Server:
    """A server process (its own process group) answering GET `ping_path` with 200 once ready."""

    def __init__(self, argv: list[str], env: dict[str, str], port: int, log: Path, ping_path: str = "/ping"):
        self.port = port
        self.ping_path = ping_path
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Seconds from start until the first 200 on the ping path; RuntimeError naming the log otherwise."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with code {self.proc.returncode} (log: {self.log}): "
                                   f"{self.tail()}")
            if ping(self.port, self.ping_path):
                return time.perf_counter() - self.started
            time.sleep(0.02)
        raise RuntimeError(f"server not ready after {timeout:.0f} s (log: {self.log}): {self.tail()}")

    def tail(self, chars: int = 300) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:].replace("\n", " | ")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        self._log_file.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def latencies(port: int, body: bytes, headers: dict[str, str], count: int, max_seconds: float,
              path: str = "/invocations", keep_alive: bool = False) -> list[float]:
    """Seconds per request for up to `count` sequential POSTs (stops after `max_seconds`); any non-200 raises.

    `keep_alive`: one connection for all of them, as an SDK client keeps it; else a new one per request."""
    out: list[float] = []
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    stop_at = time.perf_counter() + max_seconds
    try:
        while len(out) < count and time.perf_counter() < stop_at:
            started = time.perf_counter()
            if keep_alive:
                conn.request("POST", path, body, headers)
                resp = conn.getresponse()
                status, reply = resp.status, resp.read()
            else:
                status, reply = request(port, "POST", path, body, headers)
            out.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"POST {path} on port {port} answered {status}: {reply[:200]!r}")
    finally:
        conn.close()
    return out
