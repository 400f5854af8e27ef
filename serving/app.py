"""A container's Flask app: the SageMaker contract (`serving.contract`) around one model.

`GET /ping` (200 empty once the model is loaded and warmed up), `POST /invocations`,
`GET /execution-parameters`, and a side path `GET /metrics` (Prometheus text). Empty body -> 204,
a domain error -> its status and message (`serving.http_errors`), anything else -> 500 with a generic
message (details go to the log, never to the client).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask, Response, request

from serving import http_errors
from serving.contract import METRICS_CONTENT_TYPE, Invocation, Model, execution_parameters, read_body
from serving.errors import ServingError
from serving.metrics import Metrics
from serving.settings import Settings

log = logging.getLogger("sparkleap.serving")


def create_app(name: str, load: Callable[[Settings], Model], settings: Settings | None = None) -> Flask:
    """A Flask app serving the model that `load(settings)` returns (loaded and warmed up at start-up)."""
    settings = settings or Settings.from_env()
    model = load(settings)
    model.warm_up()
    metrics = Metrics(f"sparkleap_{name}")
    app = Flask(name)
    app.config["MAX_CONTENT_LENGTH"] = None  # we check the size ourselves to answer with our own message

    @app.get("/ping")
    def ping() -> Response:
        return Response(b"", status=200)

    @app.get("/execution-parameters")
    def execution_parameters_json() -> Response:
        return app.json.response(execution_parameters(settings.workers, model.batch_strategy,
                                                      settings.max_payload_mb))

    @app.get("/metrics")
    def metrics_text() -> Response:
        return Response(metrics.render(), content_type=METRICS_CONTENT_TYPE)

    @app.post("/invocations")
    def invocations() -> Response:
        started = time.perf_counter()
        status, rows = 500, 0
        try:
            body = read_body(request.stream, request.headers.get("Content-Length"), settings.max_payload_bytes)
            if not body.strip():
                status = 204
                return Response(b"", status=204)
            reply = model.invoke(Invocation(body, request.headers.get("Content-Type", ""),
                                            request.headers.get("Accept", "")))
            status, rows = 200, reply.rows
            return Response(reply.body, status=200, content_type=reply.content_type)
        except Exception as exc:
            if not isinstance(exc, ServingError):
                log.exception("%s: unexpected error while handling /invocations", name)
            answer = http_errors.render(exc)
            status = answer.status
            return Response(answer.body, status=answer.status, headers=answer.headers)
        finally:
            metrics.count("requests_total", status=str(status))
            metrics.count("rows_total", rows)
            metrics.observe("request_latency", time.perf_counter() - started)

    return app
