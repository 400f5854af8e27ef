"""HTTP on 127.0.0.1 for benchmarks: timed request loops (servers are started with base.processes)."""

from __future__ import annotations

import http.client
import time

from base.processes import HOST


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
