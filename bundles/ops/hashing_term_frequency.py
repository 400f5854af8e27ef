"""hashing_term_frequency: term counts at hashed indices, Spark `HashingTF` -> SparseVector(num_features).

Attributes `num_features` (long), `binary` (boolean), `hashUnsafeBytesVersion` (int: 2 = Spark 3's standard
MurmurHash3 of the UTF-8 bytes, seed 42; 1 = Spark 2's variant; MLeap's runtime reads an absent value
as 1, and so do we). Index = nonNegativeMod(hash, num_features); binary sets 1.0 instead of counting.
MLeap's hash (`Murmur3_x86_32.hashUnsafeBytes2`) equals Spark 3's `FeatureHasher.murmur3Hash`; the one
difference is the version default, so the writer always records version 2, and refuses target 0.9
(MLeap 0.9.6 knows only version 1 and would index most terms differently).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from bundles import murmur3
from bundles import values as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp
from bundles.vectors import SparseVector

CACHE_LIMIT = 1 << 16  # remembered term -> index pairs (the single-row path hashes each term once)


class HashingTermFrequency(RowMapOp):
    op_name = "hashing_term_frequency"
    spark_classes = ("HashingTF",)
    output_kind = "sparse"

    def __init__(self, name: str, shape: Shape, num_features: int = 1 << 18, binary: bool = False, version: int = 2):
        super().__init__(name, shape)
        if int(num_features) < 1 or version not in (1, 2):
            raise BundleError(f"node {name!r}: hashing_term_frequency needs num_features >= 1 and version 1 or 2")
        self.size, self.binary, self.version = int(num_features), bool(binary), int(version)
        self._index: dict[Any, int] = {}

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> HashingTermFrequency:
        return cls(name, shape, attrs.integer("num_features"), attrs.boolean("binary", False),
                   attrs.integer("hashUnsafeBytesVersion", 1))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9" and self.version == 2:
            raise BundleError(f"node {self.name!r}: MLeap 0.9 hashes terms as Spark 2 did; write target 0.20")
        attrs = {"num_features": v.long(self.size), "binary": v.boolean(self.binary)}
        if ctx.target != "0.9":
            attrs["hashUnsafeBytesVersion"] = v.integer(self.version)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, cls.single_shape(stage), stage.getNumFeatures(), stage.getBinary(), 2)]

    def index_of(self, term: Any) -> int:
        index = self._index.get(term)
        if index is None:
            index = murmur3.non_negative_mod(murmur3.hash_term(term, self.version), self.size)
            if len(self._index) >= CACHE_LIMIT:
                self._index.clear()
            self._index[term] = index
        return index

    def apply(self, value: list) -> SparseVector:
        known = self._index.get
        indices = [known(term) for term in value]
        if None in indices:
            indices = [self.index_of(term) for term in value]
        counts = Counter(indices)
        keys = sorted(counts)
        return SparseVector(self.size, keys, [1.0] * len(keys) if self.binary else [float(counts[k]) for k in keys])
