"""The SageMaker inference contract's pieces, written once for every server (containers and the front end).

No web framework here: a request is an `Invocation`, an answer a `Reply`; `read_body` enforces the body
limit on any WSGI input stream; `resolve_accept` picks the response type (406 otherwise);
`execution_parameters` answers GET /execution-parameters. Errors are `serving.errors` types, rendered
by `serving.http_errors`. The HTTP side, and a container's app, is `serving.http_app`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, Protocol

from serving.codecs import canonical
from serving.errors import BadInput, NotAcceptable, PayloadTooLarge

if TYPE_CHECKING:
    import numpy as np

MULTI_RECORD, SINGLE_RECORD = "MULTI_RECORD", "SINGLE_RECORD"
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4"


class Invocation(NamedTuple):
    body: bytes
    content_type: str  # the raw header value ("" when absent)
    accept: str  # the raw header value ("" when absent)


class Reply(NamedTuple):
    body: bytes
    content_type: str
    rows: int = 0


class Model(Protocol):
    """What a container serves: invoke one request, and a warm-up run before /ping turns healthy. Servers and
    batch engines reach a model through this protocol only; containers subclass it for the bulk defaults.

    `invoke` raises `serving.errors` types for the request's faults; anything else it raises is a bug or a
    broken model (a 500, logged)."""

    batch_strategy: str
    no_content_for_empty_body: bool  # a 0-byte body -> 204 (else the model answers it, with its 4xx)

    def invoke(self, request: Invocation) -> Reply: ...

    def warm_up(self) -> None: ...

    def csv_features(self, body: bytes) -> np.ndarray | None:
        """Bulk path for the batch engines: a whole body of plain CSV rows answered as one float matrix (rows x
        values, what `invoke` writes as text/csv) in one columnar pass; None (the default) when the model has
        no such path or the body is off it (the engine then sends requests, which answer exactly)."""
        return None

    def csv_scores(self, features: np.ndarray) -> bytes | None:
        """Bulk path for the batch engines: the text/csv body `invoke` answers in batch mode to CSV rows holding
        `features` (rows x features), in one call on every core; None (the default) when it cannot vouch."""
        return None


@lru_cache(maxsize=256)  # a client sends the same few headers again and again; a 406 is never cached
def resolve_accept(header: str, supported: tuple[str, ...], default: str) -> str:
    """The response type: blank or */* -> `default`; else the first listed type we support (`text/*` -> the
    first supported text type); else 406.

    Types compare by their registered name (`codecs.canonical`: case-insensitive, spaces around `;` removed,
    aliases resolved), so `application/jsonlines; data=text` matches `application/jsonlines;data=text`.
    """
    candidates = [c.strip() for c in header.split(",") if c.strip()]
    if not candidates:
        return default
    for candidate in candidates:
        norm = canonical(candidate)
        if norm in supported:
            return norm
        if norm == "*/*":
            return default
        if norm.endswith("/*"):  # `text/*`: the default if it fits, else the first supported type that does
            fitting = [t for t in (default, *supported) if t.startswith(norm[:-1])]
            if fitting:
                return fitting[0]
    raise NotAcceptable(f"Accept type {header!r} is not supported. Supported accept types: {', '.join(supported)}")


def default_accept(value: str, supported: tuple[str, ...], fallback: str) -> str:
    """SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT checked once at start-up: blank -> `fallback`; unsupported -> ValueError."""
    try:
        return resolve_accept(value, supported, fallback)
    except NotAcceptable:
        raise ValueError(f"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT={value!r} is not supported; "
                         f"use one of {', '.join(supported)}") from None


def read_body(stream: BinaryIO, content_length: str | int | None, limit: int, chunked: bool = False) -> bytes:
    """The request body, read no further than `limit` + 1 bytes; PayloadTooLarge above `limit`.

    `content_length` is the header's value (None or "" for a chunked body, read up to the limit). A chunked
    body that reads as nothing is BadInput: the HTTP server ends a malformed chunked stream, or one sent with
    a Content-Length too (RFC 9112 6.1: how requests are smuggled), silently, as if it were empty."""
    if content_length not in (None, ""):
        try:
            length = int(content_length)
        except ValueError:
            raise BadInput(f"invalid Content-Length header {content_length!r}") from None
        if length > limit:
            raise _too_large(limit, f"request body of {length} bytes")
        return stream.read(length) if length > 0 else b""
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise _too_large(limit, "request body")
    if not body and chunked:
        raise BadInput("the chunked request body is empty or malformed (or also has a Content-Length)")
    return body


def _too_large(limit: int, what: str) -> PayloadTooLarge:
    """The one 413 wording: the limit in bytes and in MB (MAX_CONTENT_LENGTH; 6 MB by default)."""
    return PayloadTooLarge(f"{what} exceeds the limit of {limit} bytes ({limit / 2**20:g} MB)")


def execution_parameters(workers: int, batch_strategy: str, max_payload_mb: int) -> dict[str, Any]:
    """The answer to GET /execution-parameters."""
    return {"MaxConcurrentTransforms": workers, "BatchStrategy": batch_strategy, "MaxPayloadInMB": max_payload_mb}


def strictest(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """A pipeline's execution parameters from its containers': fewest transforms, smallest payload,
    SINGLE_RECORD if any container says so."""
    return execution_parameters(
        min(a["MaxConcurrentTransforms"] for a in answers),
        MULTI_RECORD if all(a["BatchStrategy"] == MULTI_RECORD for a in answers) else SINGLE_RECORD,
        min(a["MaxPayloadInMB"] for a in answers))
