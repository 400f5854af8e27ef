"""Engines score request payloads: `invoke(requests) -> bodies`; see serving/batch/job.py for the contract."""

from __future__ import annotations

from serving.errors import OversizedHop


class InvocationError(Exception):
    """A request the model refused or that could not be delivered; `record` is the 0-based record in the file
    (the first one of the request when the bad one could not be found). `transient`: the failure is not the
    records' fault (no answer, throttled, a server error), so re-sending them one by one would not find a bad one.
    `oversized`: the request, or a container's answer to it on its way to the next (`hop`), was over a size
    limit (413, or a 424 for a hop); fewer records per request may pass."""

    def __init__(self, record: int, message: str, transient: bool = False, oversized: bool = False,
                 hop: OversizedHop | None = None):
        super().__init__(message)
        self.record = record
        self.transient = transient
        self.oversized = oversized or hop is not None
        self.hop = hop
