"""A loopback HTTP proxy in front of the moto S3 server that answers chosen keys with an S3 error instead.

`FaultProxy(moto_url, {"key-part": (403, "AccessDenied")})`: any request whose path contains "key-part" gets
that status (and, for non-HEAD requests, S3's XML error body); everything else goes to moto unchanged.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class FaultProxy:
    def __init__(self, target_url: str, faults: dict[str, tuple[int, str]]):
        target = urlsplit(target_url)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                for part, (status, code) in proxy.faults.items():
                    if part in self.path:
                        proxy.hits.append((self.command, self.path, status))
                        xml = (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
                               f"<Message>injected {code}</Message></Error>").encode()
                        self.send_response(status)
                        self.send_header("Content-Type", "application/xml")
                        self.send_header("Content-Length", "0" if self.command == "HEAD" else str(len(xml)))
                        self.end_headers()
                        if self.command != "HEAD":
                            self.wfile.write(xml)
                        return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                try:
                    conn.request(self.command, self.path, body, dict(self.headers))
                    resp = conn.getresponse()
                    data = resp.read()
                finally:
                    conn.close()
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self.faults = faults
        self.hits: list[tuple[str, str, int]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
