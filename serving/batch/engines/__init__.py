"""Engines score request payloads: `invoke(requests) -> bodies`; see serving/batch/job.py for the contract."""

from __future__ import annotations


class InvocationError(Exception):
    """A request the model refused or that could not be delivered; `record` is the 0-based record in the file
    (the first one of the request when the bad one could not be found) and `transient` tells if retrying helped."""

    def __init__(self, record: int, message: str, status: int = 0):
        super().__init__(message)
        self.record = record
        self.status = status
