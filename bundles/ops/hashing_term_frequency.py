"""hashing_term_frequency: term counts at hashed indices, Spark `HashingTF` -> SparseVector(num_features).

Attributes `num_features` (long), `binary` (boolean), `hashUnsafeBytesVersion` (int: 2 = Spark 3's standard
MurmurHash3 of the UTF-8 bytes, seed 42; 1 = Spark 2's variant; MLeap's runtime reads an absent value
as 1, and so do we). Index = nonNegativeMod(hash, num_features); binary sets 1.0 instead of counting.
MLeap's hash (`Murmur3_x86_32.hashUnsafeBytes2`) equals Spark 3's `FeatureHasher.murmur3Hash`; the one
difference is the version default, so the writer always records version 2, and refuses target 0.9
(MLeap 0.9.6 knows only version 1 and would index most terms differently).
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.frame import Frame, string_lists
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp
from jvm import murmur3
from jvm.vectors import SparseMatrix, SparseVector


class HashingTermFrequency(RowMapOp):
    op_name = "hashing_term_frequency"
    spark_classes = ("HashingTF",)
    output_kind = "sparse"

    def __init__(self, name: str, shape: Shape, num_features: int = 1 << 18, binary: bool = False, version: int = 2):
        super().__init__(name, shape)
        if int(num_features) < 1 or version not in (1, 2):
            raise BundleError(f"node {name!r}: hashing_term_frequency needs num_features >= 1 and version 1 or 2")
        self.size, self.binary, self.version = int(num_features), bool(binary), int(version)
        self.index_of = murmur3.TermIndex(self.size, self.version)

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

    def apply(self, value: list) -> SparseVector:
        indices = self.index_of.all(value)
        indices.sort()
        keys: list[int] = []
        counts: list[float] = []
        last = -1
        for i in indices:
            if i != last:
                keys.append(i)
                counts.append(1.0)
                last = i
            elif not self.binary:
                counts[-1] += 1.0
        return SparseVector(self.size, keys, counts)

    def transform(self, frame: Frame) -> None:
        """Columnar: every token's index at once, then one sort of (row, index) keys gives the CSR column."""
        in_col = self.shape.input_cols[0]
        documents = string_lists(frame.column(in_col), in_col, frame)
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        indices = np.array(self.index_of.all(list(chain.from_iterable(documents))), dtype=np.int64)
        keys = np.repeat(np.arange(len(documents), dtype=np.int64), lengths) * self.size + indices
        unique, counts = np.unique(keys, return_counts=True)
        rows = unique // self.size
        indptr = np.zeros(len(documents) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(documents)), out=indptr[1:])
        values = np.ones(len(unique)) if self.binary else counts.astype(np.float64)
        frame.columns[self.shape.output_cols[0]] = SparseMatrix(self.size, indptr, unique - rows * self.size, values)
