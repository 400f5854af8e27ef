"""What can go wrong with a request, as domain errors: raised by codecs, schemas, models and the pipeline.

Nothing here knows HTTP; `serving.http_errors` maps each type to a status and a body, once for every server.
Messages name the field, row (1-based) or container at fault.
"""

from __future__ import annotations

import re

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

    LIMIT = 5 * 1024 * 1024  # bytes
    _WORDS = re.compile(r"the request payload from (\S+) to (\S+) is (\d+) bytes, which has exceeded")

    def __init__(self, container: str, next_container: str, size: int):
        super().__init__(f"Received response from {container} with status code 200. However, the request payload "
                         f"from {container} to {next_container} is {size} bytes, which has exceeded the maximum "
                         "limit of 5 MB.")
        self.container, self.next_container, self.size = container, next_container, size

    @classmethod
    def parse(cls, text: str) -> OversizedHop | None:
        """The error a front end's (or SageMaker's) 424 message describes, None for another message."""
        match = cls._WORDS.search(text)
        return cls(match.group(1), match.group(2), int(match.group(3))) if match else None

    def one_line(self) -> str:
        """What every engine and `predict` say when one record alone makes a hop too big."""
        return (f"the answer of {self.container} to this record alone is {self.size} bytes, over the 5 MB "
                f"SageMaker allows from {self.container} to {self.next_container}; no --max-payload-mb makes "
                "it fit (requests are already split to one record)")


class Unavailable(ServingError):
    """A container cannot be reached (crashed or restarting); retrying shortly may pass."""
