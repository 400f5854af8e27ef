"""A container's WSGI app: the SageMaker contract (`serving.contract`, `serving.wsgi`) around one model.

`GET /ping` (200 once the model is loaded and has answered its warm-up row), `GET /execution-parameters`,
`GET /metrics`, `POST /invocations`: an empty body -> 204 when the model says so (`no_content_for_empty_body`:
AWS's XGBoost container; AWS's SparkML container answers 400, and so does its model here), a domain error ->
its status and message (`serving.http_errors`), anything else -> 500 with a generic message (details go to
the log, never to the client).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from serving import http_errors, wsgi
from serving.contract import Invocation, Model, execution_parameters
from serving.errors import ServingError
from serving.metrics import Metrics
from serving.settings import Settings

log = logging.getLogger("sparkleap.serving")


class ContainerApp(wsgi.Service):
    def __init__(self, name: str, model: Model, settings: Settings):
        super().__init__(Metrics(f"sparkleap_{name}"))
        self.name, self.model, self.limit = name, model, settings.max_payload_bytes
        self.parameters = execution_parameters(settings.workers, model.batch_strategy, settings.max_payload_mb)

    def execution_parameters(self) -> dict[str, Any]:
        return self.parameters

    def invocations(self, environ: wsgi.Environ, start_response: wsgi.StartResponse) -> list[bytes]:
        started = time.perf_counter()
        status, rows = 500, 0
        try:
            body = wsgi.read_body(environ, self.limit)
            if not body and self.model.no_content_for_empty_body:
                status = 204
                return wsgi.no_content(start_response)
            answer = self.model.invoke(Invocation(body, environ.get("CONTENT_TYPE", ""),
                                                  environ.get("HTTP_ACCEPT", "")))
            status, rows = 200, answer.rows
            return wsgi.reply(start_response, 200, answer.body, answer.content_type)
        except Exception as exc:
            if not isinstance(exc, ServingError):
                log.exception("%s: unexpected error while handling /invocations", self.name)
            status = http_errors.status_of(exc)
            return wsgi.error(start_response, exc)
        finally:
            self.metrics.request(status, time.perf_counter() - started, rows)


def create_app(name: str, load: Callable[[Settings], Model], settings: Settings | None = None) -> ContainerApp:
    """The WSGI app serving the model that `load(settings)` returns (loaded and warmed up here)."""
    settings = settings or Settings.from_env()
    model = load(settings)
    model.warm_up()
    return ContainerApp(name, model, settings)
