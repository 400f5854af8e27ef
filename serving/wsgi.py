"""The HTTP side of the SageMaker contract, written once for every server here (the containers and the
pipeline front end): plain WSGI, no framework on the hot path.

- `read_body(environ, limit)`: `contract.read_body` on a WSGI request (sized or chunked).
- `reply(...)`, `no_content(...)`, `error(...)`: complete responses (status lines built once; errors
  rendered by `serving.http_errors`, the one error -> HTTP mapping).
- `Service`: the routes every server answers — `GET /ping`, `GET /execution-parameters`, `GET /metrics`
  (Prometheus text), `POST /invocations` — 405 with `Allow` for another method on these paths (as both AWS
  containers answer), and 404 for everything else. Subclasses give the handlers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from serving import contract, http_errors
from serving.metrics import Metrics

StartResponse = Callable[..., Any]
Environ = dict[str, Any]
STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}
PLAIN = "text/plain; charset=utf-8"
JSON = "application/json"
METHODS = {"/invocations": "POST", "/ping": "GET", "/execution-parameters": "GET", "/metrics": "GET"}


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


def error(start_response: StartResponse, exc: BaseException, runtime_api: bool = False) -> list[bytes]:
    """The answer to a request that raised `exc` (plain text; AWS JSON on the runtime API path)."""
    answer = http_errors.render(exc, runtime_api)
    start_response(status_line(answer.status), answer.headers)
    return [answer.body]


def read_body(environ: Environ, limit: int) -> bytes:
    """The request body, at most `limit` bytes (PayloadTooLarge above; see `contract.read_body`)."""
    return contract.read_body(environ["wsgi.input"], environ.get("CONTENT_LENGTH"), limit,
                       chunked="HTTP_TRANSFER_ENCODING" in environ)


def is_blank(body: bytes) -> bool:
    """An empty or whitespace-only body (the pipeline front end answers it with 204)."""
    return not body or body.isspace()


class Service:
    """A WSGI app with the SageMaker routes; subclasses implement `execution_parameters` and `invocations`,
    and may override `ping` and add paths in `other`."""

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
                return reply(start_response, 200, self.metrics.render().encode(), contract.METRICS_CONTENT_TYPE)
        answer = self.other(method, path, environ, start_response)
        if answer is not None:
            return answer
        if path in METHODS:
            allowed = METHODS[path]
            return reply(start_response, 405, f"method {method} is not allowed on {path}; use {allowed}\n".encode(),
                         headers=[("Allow", allowed)])
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
