"""The HTTP side of the SageMaker contract, written once for every server here (the containers and the
pipeline front end): plain WSGI, no framework on the hot path.

- `read_body(environ, limit)`: the request body, sized (Content-Length) or chunked, read no further than
  `limit` + 1 bytes; over the limit -> 413 naming both sizes; a broken Content-Length -> 400.
- `reply(...)`: one response with its Content-Type and Content-Length (status lines built once).
- `Service`: the routes every server answers — `GET /ping`, `GET /execution-parameters`, `GET /metrics`
  (Prometheus text), `POST /invocations` — and 404 for everything else. Subclasses give the handlers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from serving.contract import HttpError
from serving.metrics import Metrics

StartResponse = Callable[..., Any]
Environ = dict[str, Any]
STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}
PLAIN = "text/plain; charset=utf-8"
JSON = "application/json"
PROMETHEUS = "text/plain; version=0.0.4"


def status_line(status: int) -> str:
    return STATUS_LINES.get(status) or f"{status} Error"


def reply(start_response: StartResponse, status: int, body: bytes, content_type: str = PLAIN,
          headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    """Send one complete response; returns the WSGI body."""
    start_response(status_line(status), [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                         *headers])
    return [body]


def no_content(start_response: StartResponse) -> list[bytes]:
    start_response("204 No Content", [("Content-Length", "0")])
    return [b""]


def too_large(limit: int, size: int | None = None) -> HttpError:
    """The one 413 wording: the body's size when known, and the limit in bytes and MB."""
    what = f"request body of {size} bytes" if size is not None else "request body"
    return HttpError(413, f"{what} exceeds the limit of {limit} bytes ({limit / 2**20:g} MB)")


def read_body(environ: Environ, limit: int) -> bytes:
    """The request body, at most `limit` bytes (else 413); chunked bodies are read to the limit + 1.

    A chunked body that reads as nothing -> 400: the server (hyper) ends a malformed chunked stream, or one
    sent with a Content-Length too (RFC 9112 6.1: how requests are smuggled), silently, as if empty."""
    stream = environ["wsgi.input"]
    raw = environ.get("CONTENT_LENGTH")
    if not raw:
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise too_large(limit)
        if not body and "HTTP_TRANSFER_ENCODING" in environ:
            raise HttpError(400, "the chunked request body is empty or malformed (or also has a Content-Length)")
        return body
    try:
        length = int(raw)
    except ValueError:
        raise HttpError(400, f"invalid Content-Length header {raw!r}") from None
    if length > limit:
        raise too_large(limit, length)
    return stream.read(length) if length > 0 else b""


def shorten(message: str, limit: int = 1000) -> str:
    """An error message cut to `limit` characters (a 1 MB unseen label must not come back whole)."""
    return message if len(message) <= limit else message[: limit - 20] + f"... ({len(message)} chars)"


class Service:
    """A WSGI app with the SageMaker routes; subclasses implement `ping`, `execution_parameters` and
    `invocations`, and may add paths in `other`."""

    def __init__(self, metrics: Metrics):
        self.metrics = metrics

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method == "POST" and path == "/invocations":
            return self.invocations(environ, start_response)
        if method == "GET":
            if path == "/ping":
                problem = self.ping()
                return reply(start_response, 503 if problem else 200, problem.encode())
            if path == "/execution-parameters":
                return reply(start_response, 200, json.dumps(self.execution_parameters()).encode(), JSON)
            if path == "/metrics":
                return reply(start_response, 200, self.metrics.render().encode(), PROMETHEUS)
        answer = self.other(method, path, environ, start_response)
        if answer is not None:
            return answer
        return reply(start_response, 404, f"no such path: {method} {path}\n".encode())

    def ping(self) -> str:
        """"" when healthy, else what is wrong (answered with 503)."""
        return ""

    def execution_parameters(self) -> dict[str, Any]:
        raise NotImplementedError

    def invocations(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        raise NotImplementedError

    def other(self, method: str, path: str, environ: Environ, start_response: StartResponse) -> list[bytes] | None:
        return None
