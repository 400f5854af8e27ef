"""Engines score request payloads: `invoke(requests) -> bodies`; see serving/batch/job.py for the contract."""

from __future__ import annotations


class InvocationError(Exception):
    """A request the model refused or that could not be delivered; `record` is the 0-based record in the file
    (the first one of the request when the bad one could not be found). `transient`: the failure is not the
    records' fault (no answer, throttled, a server error), so re-sending them one by one would not find a bad one."""

    def __init__(self, record: int, message: str, transient: bool = False):
        super().__init__(message)
        self.record = record
        self.transient = transient
