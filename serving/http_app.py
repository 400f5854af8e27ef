"""The servers' WSGI apps (run on granian by `serving.http_server`): the SageMaker routes written once for every
server here (both containers and the pipeline front end), and a container's app around one model.

- `sagemaker_app(...)`: `GET /ping` (200, or 503 saying what is wrong), `GET /execution-parameters`,
  `GET /metrics` (Prometheus text), `POST /invocations`; another method on a known path -> 405 with `Allow`
  (as both AWS containers answer), any other path -> 404; an error -> its status and message
  (`serving.http_errors`, the one error -> HTTP mapping); anything unexpected -> 500 with a generic message,
  the details to the log, never to the client.
  Every route but one is a Flask route. `POST /invocations`, the one path whose cost counts, goes from the
  WSGI call straight to its handler: Flask's request and response objects cost ~60 µs of CPU per request,
  doubling a one-row request's CPU time (serving/README.md, "Flask and the fast path").
- `read_body(environ, limit)`: the request body (sized or chunked), at most `limit` bytes (413 above).
- `reply(...)`, `no_content()`, `error(...)`: complete answers, `(body, status, headers)` as Flask takes them.
- `create_app(name, load, settings)`: a container: the model loaded and warmed up (/ping is 200 once it has
  answered its warm-up row), an empty body -> 204 when the model says so (`no_content_for_empty_body`: AWS's
  XGBoost container; AWS's SparkML container answers 400, and so does its model here).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from serving import contract, http_errors
from serving.contract import Invocation, Model, execution_parameters
from serving.errors import ServingError
from serving.metrics import Metrics
from serving.settings import Settings

PLAIN = "text/plain; charset=utf-8"
JSON = "application/json"
CONTRACT_PATHS = {"/invocations", "/ping", "/execution-parameters", "/metrics"}  # another method: 405, as AWS
ROUTE = {"provide_automatic_options": False}  # no OPTIONS answers: Allow lists what the contract names
STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}
Environ = dict[str, Any]
HttpAnswer = tuple[bytes, int, list[tuple[str, str]]]  # body, status, headers (Content-Type, -Length, more)
Handler = Callable[[Environ], HttpAnswer]
log = logging.getLogger("sparkleap.serving")


class ExactResponse(Response):
    """A Flask response with exactly the headers given (no default Content-Type, e.g. on a 204)."""

    default_mimetype = None


def reply(status: int, body: bytes, content_type: str = PLAIN, headers: Iterable[tuple[str, str]] = ()) -> HttpAnswer:
    """One complete answer."""
    return body, status, [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers]


def no_content() -> HttpAnswer:
    """204: no body, so no Content-Type and no Content-Length (RFC 9110 8.6; werkzeug drops it too)."""
    return b"", 204, []


def error(exc: BaseException, environ: Environ, server: str, runtime_api: bool = False) -> HttpAnswer:
    """The answer to a request that raised `exc` (plain text; AWS JSON on the runtime API path); anything
    that is not a domain error (a 500) is logged with its traceback, naming `server` and the request."""
    if not isinstance(exc, ServingError):
        log.error("%s: unexpected error while handling %s %s", server, environ.get("REQUEST_METHOD"),
                  environ.get("PATH_INFO"), exc_info=exc)
    answer = http_errors.render(exc, runtime_api)
    return answer.body, answer.status, answer.headers


def read_body(environ: Environ, limit: int) -> bytes:
    """The request body, at most `limit` bytes (PayloadTooLarge above; see `contract.read_body`), sized or
    chunked (Flask's own limit reads no chunked body)."""
    return contract.read_body(environ["wsgi.input"], environ.get("CONTENT_LENGTH"), limit,
                              chunked="HTTP_TRANSFER_ENCODING" in environ)


def counted(metrics: Metrics, server: str, environ: Environ, handle: Callable[[], tuple[HttpAnswer, int]],
            runtime_api: bool = False, count_rows: bool = True) -> HttpAnswer:
    """The answer `handle()` gives (with the rows it held), or the error it raised (`error`); the request
    counted in `metrics` by status, with its latency and (`count_rows`) its rows."""
    started = time.perf_counter()
    status, rows = 500, 0
    try:
        answer, rows = handle()
        status = answer[1]
        return answer
    except Exception as exc:
        status = http_errors.status_of(exc)
        return error(exc, environ, server, runtime_api)
    finally:
        metrics.request(status, time.perf_counter() - started, rows if count_rows else None)


class SageMakerApp:
    """The WSGI app a server runs: `POST /invocations` straight to `invocations(environ)`, every other request
    through `flask` (`.flask`: add further routes there)."""

    def __init__(self, flask: Flask, invocations: Handler):
        self.flask, self.invocations = flask, invocations

    def __call__(self, environ: Environ, start_response: Callable) -> list[bytes]:
        if environ.get("PATH_INFO") == "/invocations" and environ["REQUEST_METHOD"] == "POST":
            body, status, headers = self.invocations(environ)
            start_response(STATUS_LINES.get(status) or f"{status} Error", headers)
            return [body]
        answer = self.flask(environ, start_response)
        try:  # one item: granian writes a list in one go, but pulls any other iterable item by item
            return [b"".join(answer)]
        finally:
            answer.close()


def sagemaker_app(name: str, metrics: Metrics, invocations: Handler, parameters: Callable[[], dict[str, Any]],
                  ping: Callable[[], str] = lambda: "") -> SageMakerApp:
    """The SageMaker routes: `invocations(environ)` answers POST /invocations, `parameters()` GET
    /execution-parameters, `ping()` GET /ping ("" when healthy, else what is wrong: a 503)."""
    flask = Flask(__name__)  # the package Flask resolves its root folder from (no templates or static files)
    flask.response_class = ExactResponse
    flask.url_map.merge_slashes = False  # `//ping` is no path of ours (404), not a redirect to /ping
    # the rule gives GET /invocations its 405; a POST never gets here (the fast path answers it)
    flask.add_url_rule("/invocations", "invocations", lambda: invocations(request.environ), methods=["POST"],
                       **ROUTE)
    flask.add_url_rule("/ping", "ping", lambda: reply(503 if (problem := ping()) else 200, problem.encode()),
                       methods=["GET"], **ROUTE)
    flask.add_url_rule("/execution-parameters", "execution_parameters",
                       lambda: reply(200, json.dumps(parameters()).encode(), JSON), methods=["GET"], **ROUTE)
    flask.add_url_rule("/metrics", "metrics", lambda: reply(200, metrics.render().encode(),
                                                            contract.METRICS_CONTENT_TYPE), methods=["GET"], **ROUTE)
    flask.register_error_handler(Exception, lambda exc: failure(name, exc))
    return SageMakerApp(flask, invocations)


def failure(server: str, exc: Exception) -> HttpAnswer:
    """The answer to whatever a Flask route raised: 404/405 in the contract's words (405 on the contract's
    paths only: another method on a path of our own is a 404), a domain error by `serving.http_errors`,
    anything else a logged 500."""
    if isinstance(exc, MethodNotAllowed) and request.path in CONTRACT_PATHS:
        allowed = ", ".join(m for m in exc.valid_methods or () if m != "HEAD")
        return reply(405, f"method {request.method} is not allowed on {request.path}; use {allowed}\n".encode(),
                     headers=[("Allow", allowed)])
    if isinstance(exc, NotFound | MethodNotAllowed):
        return reply(404, f"no such path: {request.method} {request.path}\n".encode())
    if isinstance(exc, HTTPException):  # anything else Flask itself refuses
        return reply(exc.code or 400, f"{exc.description}\n".encode())
    return error(exc, request.environ, server)


class ContainerApp:
    """POST /invocations of a container: the body within the payload limit, the model's reply, metrics."""

    def __init__(self, name: str, model: Model, settings: Settings):
        self.name, self.model, self.limit = name, model, settings.max_payload_bytes
        self.metrics = Metrics(f"sparkleap_{name}")

    def invocations(self, environ: Environ) -> HttpAnswer:
        return counted(self.metrics, self.name, environ, lambda: self._answer(environ))

    def _answer(self, environ: Environ) -> tuple[HttpAnswer, int]:
        body = read_body(environ, self.limit)
        if not body and self.model.no_content_for_empty_body:
            return no_content(), 0
        answer = self.model.invoke(Invocation(body, environ.get("CONTENT_TYPE", ""), environ.get("HTTP_ACCEPT", "")))
        return reply(200, answer.body, answer.content_type), answer.rows


def create_app(name: str, load: Callable[[Settings], Model], settings: Settings | None = None) -> SageMakerApp:
    """The app serving the model that `load(settings)` returns (loaded and warmed up here)."""
    settings = settings or Settings.from_env()
    model = load(settings)
    model.warm_up()
    container = ContainerApp(name, model, settings)
    parameters = execution_parameters(settings.workers, model.batch_strategy, settings.max_payload_mb)
    return sagemaker_app(name, container.metrics, container.invocations, lambda: parameters)
