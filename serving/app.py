"""The servers' Flask apps (run on granian by `serving.server`): the SageMaker routes written once for every
server here (both containers and the pipeline front end), and a container's app around one model.

- `sagemaker_app(...)`: `GET /ping` (200, or 503 saying what is wrong), `GET /execution-parameters`,
  `GET /metrics` (Prometheus text), `POST /invocations`; another method on a known path -> 405 with `Allow`
  (as both AWS containers answer), any other path -> 404; an error -> its status and message
  (`serving.http_errors`, the one error -> HTTP mapping); anything unexpected -> 500 with a generic message,
  the details to the log, never to the client.
- `read_body(limit)`: the request body (sized or chunked), at most `limit` bytes (413 above).
- `reply(...)`, `no_content()`, `error(...)`: complete responses.
- `create_app(name, load, settings)`: a container: the model loaded and warmed up (/ping is 200 once it has
  answered its warm-up row), an empty body -> 204 when the model says so (`no_content_for_empty_body`: AWS's
  XGBoost container; AWS's SparkML container answers 400, and so does its model here).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
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
ROUTE = {"provide_automatic_options": False}  # no OPTIONS answers: Allow lists what the contract names
log = logging.getLogger("sparkleap.serving")


class Answer(Response):
    """A response with exactly the headers given (no default Content-Type, e.g. on a 204)."""

    default_mimetype = None


def reply(status: int, body: bytes, content_type: str = PLAIN, headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """One complete response (Content-Length set from `body`)."""
    return Answer(body, status, list(headers), content_type=content_type)


def no_content() -> Answer:
    return Answer(b"", 204)


def error(exc: BaseException, runtime_api: bool = False) -> Answer:
    """The answer to a request that raised `exc` (plain text; AWS JSON on the runtime API path)."""
    answer = http_errors.render(exc, runtime_api)
    return Answer(answer.body, answer.status, answer.headers)


def read_body(limit: int) -> bytes:
    """The request body, at most `limit` bytes (PayloadTooLarge above; see `contract.read_body`): read from
    the WSGI stream itself, since Flask's own limit reads no chunked body."""
    environ = request.environ
    return contract.read_body(environ["wsgi.input"], environ.get("CONTENT_LENGTH"), limit,
                              chunked="HTTP_TRANSFER_ENCODING" in environ)


def sagemaker_app(name: str, metrics: Metrics, invocations: Callable[[], Response],
                  parameters: Callable[[], dict[str, Any]], ping: Callable[[], str] = lambda: "") -> Flask:
    """A Flask app answering the SageMaker routes: `invocations()` answers POST /invocations, `parameters()`
    GET /execution-parameters, `ping()` GET /ping ("" when healthy, else what is wrong: a 503)."""
    app = Flask(name)
    app.url_map.merge_slashes = False  # `//ping` is no path of ours (404), not a redirect to /ping

    def answer_ping() -> Answer:
        problem = ping()
        return reply(503 if problem else 200, problem.encode())

    app.add_url_rule("/invocations", "invocations", invocations, methods=["POST"], **ROUTE)
    app.add_url_rule("/ping", "ping", answer_ping, methods=["GET"], **ROUTE)
    app.add_url_rule("/execution-parameters", "execution_parameters",
                     lambda: reply(200, json.dumps(parameters()).encode(), JSON), methods=["GET"], **ROUTE)
    app.add_url_rule("/metrics", "metrics", lambda: reply(200, metrics.render().encode(),
                                                          contract.METRICS_CONTENT_TYPE), methods=["GET"], **ROUTE)
    app.register_error_handler(Exception, lambda exc: failure(name, exc))
    return app


def failure(name: str, exc: Exception) -> Answer:
    """The answer to whatever a route raised: 404/405 in the contract's words, a domain error by
    `serving.http_errors`, anything else a logged 500."""
    if isinstance(exc, MethodNotAllowed):
        allowed = ", ".join(m for m in exc.valid_methods or () if m != "HEAD")
        return reply(405, f"method {request.method} is not allowed on {request.path}; use {allowed}\n".encode(),
                     headers=[("Allow", allowed)])
    if isinstance(exc, NotFound):
        return reply(404, f"no such path: {request.method} {request.path}\n".encode())
    if isinstance(exc, HTTPException):  # anything else Flask itself refuses
        return reply(exc.code or 400, f"{exc.description}\n".encode())
    if not isinstance(exc, ServingError):
        log.exception("%s: unexpected error while handling %s %s", name, request.method, request.path)
    return error(exc)


class ContainerApp:
    """POST /invocations of a container: the body within the payload limit, the model's reply, metrics."""

    def __init__(self, name: str, model: Model, settings: Settings):
        self.name, self.model, self.limit = name, model, settings.max_payload_bytes
        self.metrics = Metrics(f"sparkleap_{name}")

    def invocations(self) -> Answer:
        started = time.perf_counter()
        status, rows = 500, 0
        try:
            body = read_body(self.limit)
            if not body and self.model.no_content_for_empty_body:
                status = 204
                return no_content()
            environ = request.environ
            answer = self.model.invoke(Invocation(body, environ.get("CONTENT_TYPE", ""),
                                                  environ.get("HTTP_ACCEPT", "")))
            status, rows = 200, answer.rows
            return reply(200, answer.body, answer.content_type)
        except Exception as exc:
            if not isinstance(exc, ServingError):
                log.exception("%s: unexpected error while handling /invocations", self.name)
            status = http_errors.status_of(exc)
            return error(exc)
        finally:
            self.metrics.request(status, time.perf_counter() - started, rows)


def create_app(name: str, load: Callable[[Settings], Model], settings: Settings | None = None) -> Flask:
    """The Flask app serving the model that `load(settings)` returns (loaded and warmed up here)."""
    settings = settings or Settings.from_env()
    model = load(settings)
    model.warm_up()
    container = ContainerApp(name, model, settings)
    parameters = execution_parameters(settings.workers, model.batch_strategy, settings.max_payload_mb)
    return sagemaker_app(name, container.metrics, container.invocations, lambda: parameters)
