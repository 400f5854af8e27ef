"""The one place where domain errors become HTTP answers, for every server (containers and the front end).

`render(exc)` gives the status, headers and body: plain text on `/invocations`; on the SageMaker runtime API
path an AWS JSON error (`{"message", "OriginalStatusCode"?, "OriginalMessage"?}` with `x-amzn-ErrorType`),
so boto3 raises `ModelError`, `ValidationError` & co. Anything that is not a `ServingError` is a 500 with
a generic message: the details go to the log, never to the client.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass

from serving.codecs import JSON
from serving.errors import (
    BadInput,
    ModelError,
    NotAcceptable,
    OversizedHop,
    PayloadTooLarge,
    ServingError,
    Unavailable,
    UnsupportedMediaType,
    shorten,
)

STATUS: dict[type[ServingError], int] = {
    BadInput: 400, NotAcceptable: 406, PayloadTooLarge: 413, UnsupportedMediaType: 415,
    ModelError: 424, OversizedHop: 424, Unavailable: 503,
}
AWS_ERROR_TYPE: dict[int, str] = {424: "ModelError", 500: "InternalFailure", 503: "ServiceUnavailable"}
INTERNAL_MESSAGE = "internal error while handling the request (see the server log)"


@dataclass(frozen=True)
class ErrorAnswer:
    status: int
    headers: list[tuple[str, str]]  # Content-Type, Content-Length and, on the runtime API, x-amzn-ErrorType
    body: bytes

    @property
    def status_line(self) -> str:
        """`424 Failed Dependency`, for WSGI's start_response."""
        return f"{self.status} {http.client.responses.get(self.status, 'Error')}"


def status_of(exc: BaseException) -> int:
    """The HTTP status of a domain error (the closest type in STATUS); 500 for anything else."""
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def message_of(exc: BaseException) -> str:
    """What the client reads: the domain error's message (shortened), or the generic 500 message."""
    if not isinstance(exc, ServingError):
        return INTERNAL_MESSAGE
    return shorten(exc.message)


def render(exc: BaseException, runtime_api: bool = False) -> ErrorAnswer:
    """The answer to a request that raised `exc`."""
    status, message = status_of(exc), message_of(exc)
    if not runtime_api:
        return _answer(status, "text/plain; charset=utf-8", message.encode())
    doc: dict[str, object] = {"message": message}
    if isinstance(exc, ModelError):
        doc.update(OriginalStatusCode=exc.status, OriginalMessage=shorten(exc.text))
    answer = _answer(status, JSON, json.dumps(doc).encode())
    answer.headers.append(("x-amzn-ErrorType", AWS_ERROR_TYPE.get(status, "ValidationError")))
    return answer


def _answer(status: int, content_type: str, body: bytes) -> ErrorAnswer:
    return ErrorAnswer(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], body)
