"""Splitting an input file into records (SplitType) and packing records into requests (BatchStrategy).

Line: one record per non-blank line, its line end removed (`\n` or `\r\n`). RecordIO: MXNet RecordIO
frames (magic 0xced7230a, little-endian length word, data padded to 4 bytes), each kept whole. None:
the whole file is one record.
Requests: SingleRecord sends one record, without padding (no line end / no RecordIO padding);
MultiRecord sends as many records as fit in MaxPayloadInMB, each with its padding (line end).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

RECORDIO_MAGIC = 0xCED7230A


class RecordError(ValueError):
    """A record that cannot be sent: `record` is its 1-based number in the file (0: the file as a whole)."""

    def __init__(self, record: int, message: str):
        super().__init__(message)
        self.record = record


@dataclass(frozen=True)
class Request:
    """One invocation: records `first`..`first + count - 1` (0-based) of the file and the bytes sent."""

    first: int
    count: int
    payload: bytes


def split(data: bytes, split_type: str) -> list[bytes]:
    """The file's records, without padding."""
    if split_type == "None":
        return [data] if data.strip() else []
    if split_type == "Line":
        return [line.removesuffix(b"\r") for line in data.split(b"\n") if line.strip()]
    return _recordio(data)


def _recordio(data: bytes) -> list[bytes]:
    records, pos = [], 0
    while pos < len(data):
        if len(data) - pos < 8:
            raise RecordError(len(records) + 1, f"truncated RecordIO header at byte {pos}")
        magic, word = struct.unpack_from("<II", data, pos)
        if magic != RECORDIO_MAGIC:
            raise RecordError(len(records) + 1, f"bad RecordIO magic at byte {pos}")
        length = word & ((1 << 29) - 1)
        end = pos + 8 + length
        if end > len(data):
            raise RecordError(len(records) + 1, f"RecordIO record at byte {pos} runs past the end of the file")
        records.append(data[pos:end])
        pos = end + (-length % 4)
    return records


def padding(split_type: str, record: bytes) -> bytes:
    """What MultiRecord keeps after a record: its line end, or its RecordIO padding."""
    if split_type == "Line":
        return b"\n"
    if split_type == "RecordIO":
        return b"\0" * (-(len(record) - 8) % 4)
    return b""


def pack(records: list[bytes], split_type: str, strategy: str, limit: int | None,
         cap: int | None = None) -> list[Request]:
    """Requests in record order; RecordError when one record alone is over `limit` bytes. `cap`: a smaller
    size per request (sized so that a container's answer stays within the limit between containers); a
    record over it goes alone."""
    for i, record in enumerate(records):
        if limit is not None and len(record) > limit:
            what = "the file" if split_type == "None" else f"record {i + 1}"
            raise RecordError(0 if split_type == "None" else i + 1,
                              f"{what} is {len(record)} bytes, over MaxPayloadInMB (--max-payload-mb, {limit} bytes)"
                              + (" (SplitType None sends the whole file in one request)" if split_type == "None"
                                 else ""))
    if strategy == "SingleRecord" or split_type == "None":
        return [Request(i, 1, r) for i, r in enumerate(records)]
    requests: list[Request] = []
    parts: list[bytes] = []
    first = size = 0
    limit = limit if cap is None else cap if limit is None else min(limit, cap)
    for i, record in enumerate(records):
        piece = record + padding(split_type, record)
        if parts and limit is not None and size + len(piece) > limit:
            requests.append(Request(first, len(parts), b"".join(parts)))
            parts, first, size = [], i, 0
        parts.append(piece)
        size += len(piece)
    if parts:
        requests.append(Request(first, len(parts), b"".join(parts)))
    return requests
