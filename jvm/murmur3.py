"""MurmurHash3 x86_32 as Spark's `Murmur3_x86_32` computes it (HashingTF, FeatureHasher: seed 42).

Spark 3 hashes a string's UTF-8 bytes with `hashUnsafeBytes2` (standard MurmurHash3: the 1-3 trailing
bytes form one little-endian block). Spark 2's HashingTF used `hashUnsafeBytes`, which mixes each
trailing byte as its own sign-extended block, so the two index most terms differently. MLeap's
`hashing_term_frequency` records the version in `hashUnsafeBytesVersion` (2 since MLeap 0.18; absent,
the MLeap runtime assumes 1); both are implemented here. Java encodes an unpaired surrogate as "?".
"""

from __future__ import annotations

import struct

SEED = 42
_M32 = 0xFFFFFFFF


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M32


def _mix_k1(k1: int) -> int:
    return (_rotl((k1 * 0xCC9E2D51) & _M32, 15) * 0x1B873593) & _M32


def _mix_h1(h1: int, k1: int) -> int:
    return (_rotl(h1 ^ k1, 13) * 5 + 0xE6546B64) & _M32


def _fmix(h1: int, length: int) -> int:
    h1 ^= length
    h1 ^= h1 >> 16
    h1 = (h1 * 0x85EBCA6B) & _M32
    h1 ^= h1 >> 13
    h1 = (h1 * 0xC2B2AE35) & _M32
    h1 ^= h1 >> 16
    return h1 - (1 << 32) if h1 & 0x80000000 else h1  # Java int


def hash_bytes(data: bytes, seed: int = SEED, version: int = 2) -> int:
    """Spark's `hashUnsafeBytes2` (version 2, Spark 3) or `hashUnsafeBytes` (version 1, Spark 2), as a Java int."""
    n = len(data)
    aligned = n - n % 4
    h1 = seed & _M32
    for (block,) in struct.iter_unpack("<I", data[:aligned]):
        h1 = _mix_h1(h1, _mix_k1(block))
    if version == 1:
        for b in data[aligned:]:
            h1 = _mix_h1(h1, _mix_k1((b - 256 if b > 127 else b) & _M32))
    elif aligned < n:
        h1 ^= _mix_k1(int.from_bytes(data[aligned:], "little"))
    return _fmix(h1, n)


def hash_int(value: int, seed: int = SEED) -> int:
    return _fmix(_mix_h1(seed & _M32, _mix_k1(value & _M32)), 4)


def hash_long(value: int, seed: int = SEED) -> int:
    h1 = _mix_h1(seed & _M32, _mix_k1(value & _M32))
    return _fmix(_mix_h1(h1, _mix_k1((value >> 32) & _M32)), 8)


def utf8(text: str) -> bytes:
    """Java's `String.getBytes(UTF_8)`: an unpaired surrogate becomes "?"."""
    return text.encode("utf-8", errors="replace")


def hash_term(term: object, version: int = 2) -> int:
    """Spark's `FeatureHasher.murmur3Hash` of one term (HashingTF's hash of an array element)."""
    if term is None:
        return SEED
    if isinstance(term, str):
        return hash_bytes(utf8(term), SEED, version)
    if isinstance(term, bool):
        return hash_int(1 if term else 0)
    if isinstance(term, int):
        return hash_long(term) if not -2**31 <= term < 2**31 else hash_int(term)
    if isinstance(term, float):
        (bits,) = struct.unpack("<q", struct.pack("<d", term if term == term else float("nan")))
        return hash_long(bits)
    raise TypeError(f"HashingTF cannot hash a {type(term).__name__}")


def non_negative_mod(x: int, mod: int) -> int:
    """Spark's `Utils.nonNegativeMod`: Java's `x % mod`, plus `mod` when negative (= Python's `%`)."""
    return x % mod


class TermIndex:
    """term -> nonNegativeMod(hash, size), remembered (at most `limit` terms, then forgotten at once), so a
    vocabulary that repeats is hashed once: the single-row path's cost is then a dict lookup per term."""

    def __init__(self, size: int, version: int = 2, limit: int = 1 << 16):
        self.size, self.version, self.limit = size, version, limit
        self.known: dict[object, int] = {}

    def __call__(self, term: object) -> int:
        index = self.known.get(term)
        if index is None:
            index = non_negative_mod(hash_term(term, self.version), self.size)
            if len(self.known) >= self.limit:
                self.known.clear()
            self.known[term] = index
        return index

    def all(self, terms: list) -> list[int]:
        known = self.known.get
        indices = [known(term) for term in terms]
        return indices if None not in indices else [self(term) for term in terms]
