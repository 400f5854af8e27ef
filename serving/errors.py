"""What can go wrong with a request, as domain errors: raised by codecs, schemas, models and the pipeline.

Nothing here knows HTTP; `serving.http_errors` maps each type to a status and a body, once for every server.
Messages name the field, row (1-based) or container at fault.
"""

from __future__ import annotations

MESSAGE_LIMIT = 1000  # characters: a 1 MB unseen label must not come back whole


def shorten(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """`message` cut to `limit` characters, saying how long it was."""
    return message if len(message) <= limit else message[: limit - 20] + f"... ({len(message)} chars)"


class ServingError(Exception):
    """A request that cannot be answered; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadInput(ServingError):
    """The request's content is wrong: malformed CSV/JSON, a bad value, a row of the wrong width, no rows."""


class UnsupportedMediaType(ServingError):
    """The Content-Type is not one the model reads, or the body cannot be read as that type."""


class NotAcceptable(ServingError):
    """No type listed in Accept is one the model writes."""


class PayloadTooLarge(ServingError):
    """The body is over the size limit."""


class ModelError(ServingError):
    """A container of a pipeline refused the request or failed on it (SageMaker's ModelError).

    `status` is the container's own answer (0: none), `text` its message, worded as SageMaker words it."""

    def __init__(self, container: str, status: int, text: str):
        kind = "client" if 0 < status < 500 else "server"
        super().__init__(f'Received {kind} error ({status}) from {container} with message "{text}"')
        self.container, self.status, self.text = container, status, text


class OversizedHop(ServingError):
    """A container's answer is over the limit for the next container (SageMaker: 5 MB between containers)."""

    def __init__(self, container: str, next_container: str, size: int):
        super().__init__(f"Received response from {container} with status code 200. However, the request payload "
                         f"from {container} to {next_container} is {size} bytes, which has exceeded the maximum "
                         "limit of 5 MB.")


class Unavailable(ServingError):
    """A container cannot be reached (crashed or restarting); retrying shortly may pass."""
