"""The SageMaker inference container contract, written once for every container.

`GET /ping` (200 empty once the model is loaded and warmed up), `POST /invocations`,
`GET /execution-parameters`, and a side path `GET /metrics` (Prometheus text). Empty body -> 204,
body over MAX_CONTENT_LENGTH -> 413, `HttpError` -> its status and message, anything else -> 500
with a generic message (details go to the log, never to the client).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, Response, request

from serving.metrics import Metrics
from serving.settings import Settings

log = logging.getLogger("sparkleap.serving")


class HttpError(Exception):
    """An error the client caused or must see: HTTP `status` with a plain-text `message`."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Invocation:
    body: bytes
    content_type: str  # the raw header value ("" when absent)
    accept: str  # the raw header value ("" when absent)


@dataclass(frozen=True)
class Reply:
    body: bytes
    content_type: str
    rows: int = 0


class Model(Protocol):
    """What a container serves: invoke one request, and a warm-up run before /ping turns healthy."""

    batch_strategy: str

    def invoke(self, request: Invocation) -> Reply: ...

    def warm_up(self) -> None: ...


def media_type(header: str) -> str:
    """`text/csv; charset=utf-8` -> `text/csv` (lower case, parameters dropped)."""
    return header.split(";", 1)[0].strip().lower()


def resolve_accept(header: str, supported: tuple[str, ...], default: str) -> str:
    """The response type: blank or */* -> `default`; else the first listed type we support (`text/*` -> the
    first supported text type); else 406.

    Types compare case-insensitively with spaces around `;` removed, so
    `application/jsonlines; data=text` matches `application/jsonlines;data=text`.
    """
    candidates = [c.strip() for c in header.split(",") if c.strip()]
    if not candidates:
        return default
    for candidate in candidates:
        parts = [part.strip() for part in candidate.lower().split(";")]
        norm = ";".join(p for p in parts if p and not p.startswith(("q=", "charset=")))
        if norm in supported:
            return norm
        if norm == "*/*":
            return default
        if norm.endswith("/*"):  # `text/*`: the default if it fits, else the first supported type that does
            fitting = [t for t in (default, *supported) if t.startswith(norm[:-1])]
            if fitting:
                return fitting[0]
    raise HttpError(406, f"Accept type {header!r} is not supported. Supported accept types: {', '.join(supported)}")


def default_accept(value: str, supported: tuple[str, ...], fallback: str) -> str:
    """SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT checked once at start-up: blank -> `fallback`; unsupported -> ValueError."""
    try:
        return resolve_accept(value, supported, fallback)
    except HttpError:
        raise ValueError(f"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT={value!r} is not supported; "
                         f"use one of {', '.join(supported)}") from None


def _read_body(limit: int) -> bytes:
    """The request body, read no further than `limit` + 1 bytes; larger -> 413."""
    length = request.content_length
    if length is not None and length > limit:
        raise HttpError(413, f"payload of {length} bytes exceeds the limit of {limit} bytes (MAX_CONTENT_LENGTH)")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise HttpError(413, f"payload exceeds the limit of {limit} bytes (MAX_CONTENT_LENGTH)")
    return body


def _shorten(message: str, limit: int = 1000) -> str:
    """An error message cut to `limit` characters (a 1 MB unseen label must not come back whole)."""
    return message if len(message) <= limit else message[: limit - 20] + f"... ({len(message)} chars)"


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
    def execution_parameters() -> Response:
        body = {
            "MaxConcurrentTransforms": settings.workers,
            "BatchStrategy": model.batch_strategy,
            "MaxPayloadInMB": settings.max_payload_mb,
        }
        return app.json.response(body)

    @app.get("/metrics")
    def metrics_text() -> Response:
        return Response(metrics.render(), mimetype="text/plain; version=0.0.4")

    @app.post("/invocations")
    def invocations() -> Response:
        started = time.perf_counter()
        status, rows = 500, 0
        try:
            body = _read_body(settings.max_payload_bytes)
            if not body.strip():
                status = 204
                return Response(b"", status=204)
            reply = model.invoke(Invocation(body, request.headers.get("Content-Type", ""),
                                            request.headers.get("Accept", "")))
            status, rows = 200, reply.rows
            return Response(reply.body, status=200, content_type=reply.content_type)
        except HttpError as exc:
            status = exc.status
            return Response(_shorten(exc.message), status=exc.status, mimetype="text/plain")
        except Exception:
            log.exception("%s: unexpected error while handling /invocations", name)
            return Response("internal error while handling the request (see the container log)", status=500,
                            mimetype="text/plain")
        finally:
            metrics.count("requests_total", status=str(status))
            metrics.count("rows_total", rows)
            metrics.observe("request_latency", time.perf_counter() - started)

    return app
