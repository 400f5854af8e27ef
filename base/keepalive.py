"""Keep-alive HTTP/1.1 connections to one server, pooled and shared by threads (no handshake per request).

`Pool(host, port, timeout_s).post(path, body, headers)` takes an idle connection (the most recently used
first) or opens one, and puts it back after a complete answer. A server closes idle connections
(restarts, keep-alive timeouts): a request that finds its reused connection dead before any answer is
sent once more on a fresh connection, and the other idle connections, likely dead too, are dropped.
"""

from __future__ import annotations

import http.client
from collections import deque

STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class Pool:
    def __init__(self, host: str, port: int, timeout_s: float, max_idle: int = 64):
        self.host, self.port, self.timeout_s, self.max_idle = host, port, timeout_s, max_idle
        self._idle: deque[http.client.HTTPConnection] = deque()

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """(status, Content-Type, body) of one POST; OSError/HTTPException when the server cannot answer."""
        return self.request("POST", path, body, headers)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        try:
            conn, reused = self._idle.pop(), True
        except IndexError:
            conn, reused = self._connect(), False
        while True:
            try:
                conn.request(method, path, body, headers or {})
                resp = conn.getresponse()
                data = resp.read()
            except STALE:
                conn.close()
                if not reused:
                    raise
                self.close()  # idle connections from before the server's restart are dead as well
                conn, reused = self._connect(), False
                continue
            except BaseException:
                conn.close()
                raise
            if resp.will_close or len(self._idle) >= self.max_idle:
                conn.close()
            else:
                self._idle.append(conn)
            return resp.status, resp.getheader("Content-Type", ""), data

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)

    def close(self) -> None:
        """Close every idle connection."""
        while True:
            try:
                self._idle.pop().close()
            except IndexError:
                return
