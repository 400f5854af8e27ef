"""The pipeline front end: one request in, passed through every container in order, SageMaker-style.

- The client's Content-Type goes to the first container, each response's Content-Type (verbatim) to the
  next, the client's Accept to the last; intermediate containers get no Accept and use their
  SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT.
- Bodies: 6 MB from the client (413 above), 5 MB between containers, 60 s per container call.
- A container's 4xx/5xx -> 424 `Received client error (NNN) from <name> with message "..."`; a container
  that cannot be reached (crashed, restarting) -> 503 naming it; a container's 204 ends the request (204).
- Paths: `POST /invocations` (errors as plain text) and the SageMaker runtime API path
  `POST /endpoints/<name>/invocations` (errors as AWS JSON errors, so boto3 raises `ModelError` & co.);
  `GET /ping` (200 only when every container's /ping is), `GET /execution-parameters` (the strictest of the
  containers'), `GET /metrics` (Prometheus), `GET /status` (the state file: containers, ports, restarts).
- Latency headers on every 200: `X-Sparkleap-Container-Latency-Us: sparkml=812,xgboost=640` (each
  container call), `X-Sparkleap-Model-Latency-Us` (their sum, SageMaker's ModelLatency) and
  `X-Sparkleap-Overhead-Latency-Us` (the rest of our time, SageMaker's OverheadLatency).
"""

from __future__ import annotations

import http.client
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import request

from base.keepalive import Pool
from base.processes import ping
from serving import http_app
from serving.contract import strictest
from serving.errors import BadInput, ModelError, OversizedHop, Unavailable
from serving.inference_pipeline.state import StateReader
from serving.metrics import Metrics

CLIENT_LIMIT = 6 * 1024 * 1024  # InvokeEndpoint Body max (6,291,456 bytes)
BETWEEN_LIMIT = OversizedHop.LIMIT  # between pipeline containers
CALL_TIMEOUT_S = 60.0
FRONTEND_THREADS = 16  # requests in flight at once; each waits on a container most of the time
VARIANT = ("X-Amzn-Invoked-Production-Variant", "AllTraffic")
CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"
SERVER = "pipeline front end"


@dataclass
class Answer:
    body: bytes
    content_type: str
    latencies_s: list[tuple[str, float]]


class Router:
    """The serial calls and the front end's own paths. `state_path` names the supervisor's state file (re-read
    when it changes)."""

    def __init__(self, state_path: Path, timeout_s: float = CALL_TIMEOUT_S):
        self.metrics = Metrics("sparkleap_pipeline")
        self.state = StateReader(state_path)
        self.timeout_s = timeout_s
        self.pools: dict[int, Pool] = {}
        self.model_latency = self.metrics.histogram("model_latency")
        self.overhead_latency = self.metrics.histogram("overhead_latency")

    def pool(self, port: int) -> Pool:
        """The keep-alive connections to the container on `port`."""
        pool = self.pools.get(port)
        if pool is None:
            pool = self.pools.setdefault(port, Pool("127.0.0.1", port, self.timeout_s))
        return pool

    # ---- the serial call ---------------------------------------------------------------------------
    def invoke(self, body: bytes, content_type: str, accept: str, extra: dict[str, str]) -> Answer | None:
        """The last container's answer, or None when a container answered 204 (nothing to pass on)."""
        containers = self.state.recent()["containers"]
        latencies: list[tuple[str, float]] = []
        last = len(containers) - 1
        for i, c in enumerate(containers):
            headers = {**extra, "Content-Type": content_type} if content_type else dict(extra)
            if i == last and accept:
                headers["Accept"] = accept
            started = time.perf_counter()
            status, content_type, body = self._call(c, body, headers)
            latencies.append((c["name"], time.perf_counter() - started))
            if status == 204:
                return None
            if status != 200:
                raise ModelError(c["name"], status, body.decode("utf-8", "replace").strip())
            if i != last and len(body) > BETWEEN_LIMIT:
                raise OversizedHop(c["name"], containers[i + 1]["name"], len(body))
        return Answer(body, content_type, latencies)

    def _call(self, c: dict[str, Any], body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        try:
            return self.pool(c["port"]).post("/invocations", body, headers)
        except TimeoutError:
            raise ModelError(c["name"], 0, f"no response within {self.timeout_s:.0f} seconds") from None
        except (OSError, http.client.HTTPException) as exc:
            raise Unavailable(f"container {c['name']} is not reachable ({type(exc).__name__}: {exc}); "
                              "a crashed container is restarted by the supervisor, retry shortly") from None

    # ---- the other paths --------------------------------------------------------------------------
    def ping(self) -> str:
        """"" when every container answers its /ping (within SageMaker's 2 s), else the unhealthy ones."""
        bad = [c["name"] for c in self.state.current()["containers"] if not ping(c["port"])]
        return f"unhealthy: {', '.join(bad)}\n" if bad else ""

    def execution_parameters(self) -> dict[str, Any]:
        return strictest([json.loads(self.pool(c["port"]).request("GET", "/execution-parameters")[2])
                          for c in self.state.current()["containers"]])

    def runtime_invocations(self, endpoint: str) -> http_app.HttpAnswer:
        """POST /endpoints/<name>/invocations: the SageMaker runtime API path (errors as AWS JSON)."""
        name = self.state.current()["name"]
        if endpoint != name:
            error = BadInput(f"Endpoint {endpoint} not found (this endpoint is {name!r}).")
            return http_app.error(error, request.environ, SERVER, runtime_api=True)
        return self.invocations(request.environ, runtime_api=True)

    def status(self) -> http_app.HttpAnswer:
        return http_app.reply(200, json.dumps(self.state.current()).encode(), http_app.JSON)

    def invocations(self, environ: http_app.Environ, runtime_api: bool = False) -> http_app.HttpAnswer:
        return http_app.counted(self.metrics, SERVER, environ, lambda: self._answer(environ), runtime_api,
                           count_rows=False)

    def _answer(self, environ: http_app.Environ) -> tuple[http_app.HttpAnswer, int]:
        started = time.perf_counter()
        body = http_app.read_body(environ, CLIENT_LIMIT)
        if not body or body.isspace():
            return http_app.no_content(), 0
        attributes = environ.get("HTTP_X_AMZN_SAGEMAKER_CUSTOM_ATTRIBUTES")
        extra = {CUSTOM_ATTRIBUTES: attributes} if attributes is not None else {}
        answer = self.invoke(body, environ.get("CONTENT_TYPE", ""), environ.get("HTTP_ACCEPT", ""), extra)
        if answer is None:
            return http_app.no_content(), 0
        return self._success(answer, started), 0

    def _success(self, answer: Answer, started: float) -> http_app.HttpAnswer:
        model_s = sum(s for _, s in answer.latencies_s)
        overhead_s = time.perf_counter() - started - model_s
        metrics = self.metrics
        for name, seconds in answer.latencies_s:
            metrics.observe_at(metrics.histogram("container_latency", container=name), seconds)
        metrics.observe_at(self.model_latency, model_s)
        metrics.observe_at(self.overhead_latency, overhead_s)
        return http_app.reply(200, answer.body, answer.content_type or "application/octet-stream", (
            VARIANT,
            ("X-Sparkleap-Container-Latency-Us", ",".join(f"{n}={round(s * 1e6)}" for n, s in answer.latencies_s)),
            ("X-Sparkleap-Model-Latency-Us", str(round(model_s * 1e6))),
            ("X-Sparkleap-Overhead-Latency-Us", str(round(overhead_s * 1e6))),
        ))


def create_app(state_path: Path, timeout_s: float = CALL_TIMEOUT_S) -> http_app.SageMakerApp:
    """The front end's app: the SageMaker routes, the runtime API path and GET /status."""
    router = Router(state_path, timeout_s)
    served = http_app.sagemaker_app(SERVER, router.metrics, router.invocations, router.execution_parameters,
                                    router.ping)
    flask = served.flask
    flask.add_url_rule("/endpoints/<endpoint>/invocations", "runtime_invocations", router.runtime_invocations,
                       methods=["POST"], **http_app.ROUTE)
    flask.add_url_rule("/status", "status", router.status, methods=["GET"], **http_app.ROUTE)
    return served


def main(argv: list[str] | None = None) -> None:
    """`python -m serving.inference_pipeline.frontend STATE_FILE --host H --port P --workers N --threads T`."""
    import argparse
    import dataclasses

    from serving.http_server import serve_app
    from serving.settings import Settings

    parser = argparse.ArgumentParser(prog="sparkleap-frontend", allow_abbrev=False)
    parser.add_argument("state", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=FRONTEND_THREADS)
    args = parser.parse_args(argv)
    settings = dataclasses.replace(Settings.from_env(), host=args.host, port=args.port, workers=args.workers)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    serve_app(lambda: create_app(args.state), settings, threads=args.threads)


if __name__ == "__main__":
    main()
