"""count_vectorizer: vocabulary term counts, Spark `CountVectorizerModel` -> SparseVector(len(vocabulary)).

Attributes `vocabulary` (string list), `binary` (boolean), `min_tf` (double). Per document: count the
tokens found in the vocabulary; keep counts >= min_tf (an absolute count when min_tf >= 1, else a
fraction of the document's token count, all tokens counted); binary writes 1.0 for each kept term.
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
from jvm.vectors import SparseMatrix, SparseVector


class CountVectorizer(RowMapOp):
    op_name = "count_vectorizer"
    spark_classes = ("CountVectorizerModel",)
    output_kind = "sparse"

    def __init__(self, name: str, shape: Shape, vocabulary: list[str], binary: bool = False, min_tf: float = 1.0):
        super().__init__(name, shape)
        self.vocabulary, self.binary, self.min_tf = list(vocabulary), bool(binary), float(min_tf)
        self.size = len(self.vocabulary)
        self._index = {term: i for i, term in enumerate(self.vocabulary)}

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> CountVectorizer:
        return cls(name, shape, attrs.strings("vocabulary"), attrs.boolean("binary", False),
                   attrs.double("min_tf", 1.0))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"vocabulary": v.strings(self.vocabulary), "binary": v.boolean(self.binary),
                "min_tf": v.double(self.min_tf)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        if any(term is None for term in stage.vocabulary):
            raise BundleError(f"Spark stage CountVectorizerModel ({stage.uid}): a null term in the vocabulary "
                              "cannot be written (MLeap refuses it too)")
        return [cls(stage.uid, cls.single_shape(stage), list(stage.vocabulary), stage.getBinary(), stage.getMinTF())]

    def apply(self, value: list[str]) -> SparseVector:
        lookup = self._index.get
        found = [i for i in map(lookup, value) if i is not None]
        found.sort()
        keys: list[int] = []
        counts: list[float] = []
        last = -1
        for i in found:  # runs of one index: its count
            if i != last:
                keys.append(i)
                counts.append(1.0)
                last = i
            else:
                counts[-1] += 1.0
        threshold = self.min_tf if self.min_tf >= 1.0 else len(value) * self.min_tf
        if threshold > 1.0:
            kept = [k for k, c in enumerate(counts) if c >= threshold]
            keys, counts = [keys[k] for k in kept], [counts[k] for k in kept]
        return SparseVector(self.size, keys, [1.0] * len(keys) if self.binary else counts)

    def transform(self, frame: Frame) -> None:
        """Columnar: every token's vocabulary index at once (-1: unknown), then one sort of (row, index) keys
        gives each row's counts in index order; the same counts, threshold and values as `apply`."""
        in_col = self.shape.input_cols[0]
        documents = string_lists(frame.column(in_col), in_col, frame)
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        lookup = self._index.get
        found = np.fromiter((lookup(t, -1) for t in chain.from_iterable(documents)), dtype=np.int64,
                            count=int(lengths.sum()))
        known = found >= 0
        keys = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)[known] * self.size + found[known]
        unique, counts = np.unique(keys, return_counts=True)
        rows = unique // self.size
        counts = counts.astype(np.float64)
        threshold = self.min_tf if self.min_tf >= 1.0 else lengths[rows] * self.min_tf
        keep = counts >= threshold
        unique, counts, rows = unique[keep], counts[keep], rows[keep]
        indptr = np.zeros(len(documents) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(documents)), out=indptr[1:])
        values = np.ones(len(unique)) if self.binary else counts
        frame.columns[self.shape.output_cols[0]] = SparseMatrix(self.size, indptr, unique - rows * self.size, values)
