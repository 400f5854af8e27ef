"""The SageMaker inference container contract, written once for every container: what a served model is
(`Model.invoke(Invocation) -> Reply`), the error a client must see (`HttpError`), and Accept/Content-Type
negotiation. The HTTP side is `serving.wsgi` (shared with the pipeline front end) and `serving.container`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


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
