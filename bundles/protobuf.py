"""A minimal protobuf (proto3) decoder for the tree files MLeap writes as `tree.pb`: decision trees
(`ml.bundle.dtree.Node`) and bisecting k-means cluster trees (`ml.bundle.ctree.Node`).

A file is a sequence of messages, each a 4-byte big-endian length then the serialized message
(`length_prefixed`); a message is decoded to its (field number, wire type, value) triples (`fields`).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from bundles.errors import BundleError

Fields = list[tuple[int, int, Any]]


def length_prefixed(path: Path) -> list[bytes]:
    """The messages of a length-prefixed file; a bad length is a BundleError naming the file and byte."""
    data = path.read_bytes()
    out, i = [], 0
    while i < len(data):
        if i + 4 > len(data):
            raise BundleError(f"{path}: truncated node length at byte {i}")
        (size,) = struct.unpack(">i", data[i:i + 4])
        if size < 0 or i + 4 + size > len(data):
            raise BundleError(f"{path}: node at byte {i} claims {size} bytes")
        out.append(data[i + 4:i + 4 + size])
        i += 4 + size
    if not out:
        raise BundleError(f"{path}: no nodes")
    return out


def fields(buf: bytes) -> Fields:
    """(field number, wire type, value) of a message: varints as int, fixed64/fixed32 and LEN as bytes.
    A malformed message is a ValueError."""
    out, i, n = [], 0, len(buf)

    def varint() -> int:
        nonlocal i
        shift = result = 0
        while True:
            if i >= n:
                raise ValueError("truncated varint")
            b = buf[i]
            i += 1
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result
            shift += 7

    while i < n:
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            out.append((number, wire, varint()))
        elif wire == 1:
            out.append((number, wire, buf[i:i + 8]))
            i += 8
        elif wire == 2:
            size = varint()
            out.append((number, wire, buf[i:i + size]))
            i += size
        elif wire == 5:
            out.append((number, wire, buf[i:i + 4]))
            i += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if i > n:
            raise ValueError("truncated field")
    return out


def first(message: Fields, number: int, default: Any = None) -> Any:
    """The value of field `number` (its first occurrence), or `default`."""
    return next((value for num, _, value in message if num == number), default)


def double(message: Fields, number: int) -> float:
    """A double field (0.0 when absent, as proto3)."""
    return struct.unpack("<d", first(message, number, b"\0" * 8))[0]


def int32(message: Fields, number: int) -> int:
    """An int32/uint32 varint field read as a signed 32-bit value (0 when absent)."""
    value = int(first(message, number, 0)) & 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def doubles(message: Fields, number: int) -> list[float]:
    """A repeated double field, packed (LEN) or not (fixed64)."""
    out: list[float] = []
    for num, wire, value in message:
        if num == number:
            if wire == 2 and len(value) % 8 == 0:
                out.extend(struct.unpack(f"<{len(value) // 8}d", value))
            elif wire == 1:
                out.append(struct.unpack("<d", value)[0])
            else:
                raise ValueError(f"field {number} is not a double")
    return out
