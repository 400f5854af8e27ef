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
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serving.metrics import Metrics
from serving.pipeline.state import StateReader

CLIENT_LIMIT = 6 * 1024 * 1024  # InvokeEndpoint Body max (6,291,456 bytes)
BETWEEN_LIMIT = 5 * 1024 * 1024  # between pipeline containers
CALL_TIMEOUT_S = 60.0
VARIANT = "AllTraffic"
RUNTIME_PATH = re.compile(r"/endpoints/([^/]+)/invocations")
log = logging.getLogger("sparkleap.pipeline")


class PipelineError(Exception):
    """An answer other than 200: HTTP `status`, AWS error `code` and a message."""

    def __init__(self, status: int, code: str, message: str, original: tuple[int, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.original = status, code, message, original


@dataclass
class Answer:
    body: bytes
    content_type: str
    latencies_s: list[tuple[str, float]]


class Connections(threading.local):
    """Keep-alive connections to the containers, one set per front-end thread."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.by_port: dict[int, http.client.HTTPConnection] = {}

    def post(self, port: int, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        for attempt in (1, 2):
            conn = self.by_port.get(port)
            reused = conn is not None and conn.sock is not None
            if conn is None:
                conn = self.by_port[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout_s)
            try:
                conn.request("POST", "/invocations", body, headers)
                resp = conn.getresponse()
                return resp.status, resp.getheader("Content-Type", ""), resp.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                conn.close()
                if not (reused and attempt == 1):  # a stale keep-alive connection gets one fresh try
                    raise
            except BaseException:
                conn.close()
                raise
        raise AssertionError("unreachable")


class Router:
    """The WSGI app. `state_path` names the supervisor's state file (re-read when it changes)."""

    def __init__(self, state_path: Path, timeout_s: float = CALL_TIMEOUT_S):
        self.state = StateReader(state_path)
        self.timeout_s = timeout_s
        self.connections = Connections(timeout_s)
        self.metrics = Metrics("sparkleap_pipeline")

    # ---- the serial call ---------------------------------------------------------------------------
    def invoke(self, body: bytes, content_type: str, accept: str, extra: dict[str, str]) -> Answer | None:
        """The last container's answer, or None when a container answered 204 (nothing to pass on)."""
        containers = self.state.current()["containers"]
        latencies: list[tuple[str, float]] = []
        for i, c in enumerate(containers):
            last = i == len(containers) - 1
            headers = dict(extra)
            if content_type:
                headers["Content-Type"] = content_type
            if last and accept:
                headers["Accept"] = accept
            started = time.perf_counter()
            status, content_type, body = self._call(c, body, headers)
            latencies.append((c["name"], time.perf_counter() - started))
            if status == 204:
                return None
            if status != 200:
                kind = "client" if status < 500 else "server"
                text = body.decode("utf-8", "replace").strip()
                raise PipelineError(424, "ModelError",
                                    f'Received {kind} error ({status}) from {c["name"]} with message "{text}"',
                                    original=(status, text))
            if not last and len(body) > BETWEEN_LIMIT:
                nxt = containers[i + 1]["name"]
                raise PipelineError(424, "ModelError",
                                    f"Received response from {c['name']} with status code 200. However, the request "
                                    f"payload from {c['name']} to {nxt} is {len(body)} bytes, which has exceeded "
                                    "the maximum limit of 5 MB.")
        return Answer(body, content_type, latencies)

    def _call(self, c: dict[str, Any], body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        try:
            return self.connections.post(c["port"], body, headers)
        except TimeoutError:
            raise PipelineError(424, "ModelError", f"Received server error (0) from {c['name']} with message "
                                f'"no response within {self.timeout_s:.0f} seconds"') from None
        except (OSError, http.client.HTTPException) as exc:
            raise PipelineError(503, "ServiceUnavailable",
                                f"container {c['name']} is not reachable ({type(exc).__name__}: {exc}); "
                                "a crashed container is restarted by the supervisor, retry shortly") from None

    # ---- the other paths --------------------------------------------------------------------------
    def unhealthy(self) -> list[str]:
        from serving.pipeline.processes import ping

        return [c["name"] for c in self.state.current()["containers"] if not ping(c["port"])]

    def execution_parameters(self) -> dict[str, Any]:
        """The strictest of the containers' answers: fewest transforms, smallest payload, SINGLE_RECORD if any."""
        answers = []
        for c in self.state.current()["containers"]:
            conn = http.client.HTTPConnection("127.0.0.1", c["port"], timeout=5)
            try:
                conn.request("GET", "/execution-parameters")
                answers.append(json.loads(conn.getresponse().read()))
            finally:
                conn.close()
        return {
            "MaxConcurrentTransforms": min(a["MaxConcurrentTransforms"] for a in answers),
            "BatchStrategy": "MULTI_RECORD" if all(a["BatchStrategy"] == "MULTI_RECORD" for a in answers)
            else "SINGLE_RECORD",
            "MaxPayloadInMB": min(a["MaxPayloadInMB"] for a in answers),
        }

    # ---- WSGI -------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method == "POST" and path == "/invocations":
            return self._invocations(environ, start_response, runtime_api=False)
        match = RUNTIME_PATH.fullmatch(path)
        if method == "POST" and match:
            name = self.state.current()["name"]
            if match.group(1) != name:
                return _error(start_response, PipelineError(
                    400, "ValidationError", f"Endpoint {match.group(1)} not found (this endpoint is {name!r})."), True)
            return self._invocations(environ, start_response, runtime_api=True)
        if method == "GET" and path == "/ping":
            bad = self.unhealthy()
            status = "503 Service Unavailable" if bad else "200 OK"
            return _reply(start_response, status, "text/plain", f"unhealthy: {', '.join(bad)}\n" if bad else "")
        if method == "GET" and path == "/execution-parameters":
            return _reply(start_response, "200 OK", "application/json", json.dumps(self.execution_parameters()))
        if method == "GET" and path == "/metrics":
            return _reply(start_response, "200 OK", "text/plain; version=0.0.4", self.metrics.render())
        if method == "GET" and path == "/status":
            return _reply(start_response, "200 OK", "application/json", json.dumps(self.state.current()))
        return _reply(start_response, "404 Not Found", "text/plain", f"no such path: {method} {path}\n")

    def _invocations(self, environ: dict[str, Any], start_response, runtime_api: bool) -> list[bytes]:
        started = time.perf_counter()
        status = 500
        try:
            body = _read_body(environ)
            extra = {"X-Amzn-SageMaker-Custom-Attributes": environ["HTTP_X_AMZN_SAGEMAKER_CUSTOM_ATTRIBUTES"]} \
                if "HTTP_X_AMZN_SAGEMAKER_CUSTOM_ATTRIBUTES" in environ else {}
            answer = self.invoke(body, environ.get("CONTENT_TYPE", ""), environ.get("HTTP_ACCEPT", ""), extra)
            if answer is None:
                status = 204
                start_response("204 No Content", [("Content-Length", "0")])
                return [b""]
            status = 200
            return self._success(start_response, answer, started)
        except PipelineError as exc:
            status = exc.status
            return _error(start_response, exc, runtime_api)
        except Exception:
            log.exception("pipeline front end: unexpected error")
            return _error(start_response, PipelineError(500, "InternalFailure", "internal error in the pipeline "
                                                        "front end (see its log)"), runtime_api)
        finally:
            self.metrics.count("requests_total", status=str(status))
            self.metrics.observe("request_latency", time.perf_counter() - started)

    def _success(self, start_response, answer: Answer, started: float) -> list[bytes]:
        model_s = sum(s for _, s in answer.latencies_s)
        overhead_s = max(time.perf_counter() - started - model_s, 0.0)
        for name, seconds in answer.latencies_s:
            self.metrics.observe("container_latency", seconds, container=name)
        self.metrics.observe("model_latency", model_s)
        self.metrics.observe("overhead_latency", overhead_s)
        start_response("200 OK", [
            ("Content-Type", answer.content_type or "application/octet-stream"),
            ("Content-Length", str(len(answer.body))),
            ("X-Amzn-Invoked-Production-Variant", VARIANT),
            ("X-Sparkleap-Container-Latency-Us", ",".join(f"{n}={s * 1e6:.0f}" for n, s in answer.latencies_s)),
            ("X-Sparkleap-Model-Latency-Us", f"{model_s * 1e6:.0f}"),
            ("X-Sparkleap-Overhead-Latency-Us", f"{overhead_s * 1e6:.0f}"),
        ])
        return [answer.body]


def _read_body(environ: dict[str, Any]) -> bytes:
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():  # no Content-Length: read to the limit
        body = environ["wsgi.input"].read(CLIENT_LIMIT + 1)
        if len(body) > CLIENT_LIMIT:
            raise PipelineError(413, "ValidationError", f"request body exceeds the limit of {CLIENT_LIMIT} bytes "
                                "(6 MB)")
        return body
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise PipelineError(400, "ValidationError", "invalid Content-Length header") from None
    if length > CLIENT_LIMIT:
        raise PipelineError(413, "ValidationError",
                            f"request body of {length} bytes exceeds the limit of {CLIENT_LIMIT} bytes (6 MB)")
    return environ["wsgi.input"].read(length) if length else b""


def _reply(start_response, status: str, content_type: str, text: str) -> list[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


def _error(start_response, exc: PipelineError, runtime_api: bool) -> list[bytes]:
    status = f"{exc.status} {http.client.responses.get(exc.status, 'Error')}"
    if not runtime_api:
        return _reply(start_response, status, "text/plain", exc.message + "\n")
    doc: dict[str, Any] = {"message": exc.message}
    if exc.original:
        doc.update(OriginalStatusCode=exc.original[0], OriginalMessage=exc.original[1])
    data = json.dumps(doc).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                            ("x-amzn-ErrorType", exc.code)])
    return [data]


def main(argv: list[str] | None = None) -> None:
    """`python -m serving.pipeline.frontend STATE_FILE --host H --port P --workers N --threads T`."""
    import argparse
    import dataclasses

    from serving.server import serve_app
    from serving.settings import Settings

    parser = argparse.ArgumentParser(prog="sparkleap-frontend")
    parser.add_argument("state", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args(argv)
    settings = dataclasses.replace(Settings.from_env(), host=args.host, port=args.port, workers=args.workers,
                                   timeout_s=int(CALL_TIMEOUT_S) * 2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    serve_app(lambda: Router(args.state), settings, threads=args.threads)


if __name__ == "__main__":
    main()
