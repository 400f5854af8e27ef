"""idf: scale each slot of a term-frequency vector by its inverse document frequency, Spark `IDFModel`.

Attribute `idf` (double tensor; Spark 3 writers also add `docFreq`/`numDocs`, which the runtime does not
need). Sparse input stays sparse (stored entries times idf[index]), dense input stays dense.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp
from jvm.vectors import SparseMatrix, SparseVector, dense_row


class IDF(RowMapOp):
    op_name = "idf"
    spark_classes = ("IDFModel",)
    input_struct = "vector"
    input_type = "double"
    output_kind = "vector"

    def __init__(self, name: str, shape: Shape, idf: np.ndarray, doc_freq: list[int] | None = None,
                 num_docs: int | None = None):
        super().__init__(name, shape)
        self.idf = np.asarray(idf, dtype=np.float64)
        self._idf = self.idf.tolist()
        self.size = len(self._idf)
        self.doc_freq, self.num_docs = doc_freq, num_docs

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> IDF:
        return cls(name, shape, attrs.tensor("idf"), attrs.integers("docFreq", None), attrs.integer("numDocs", None))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"idf": v.tensor(self.idf)}
        if self.doc_freq is not None and ctx.target != "0.9":
            attrs["docFreq"] = v.longs(self.doc_freq)
            attrs["numDocs"] = v.long(self.num_docs or 0)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, cls.single_shape(stage), stage.idf.toArray(), list(stage.docFreq), stage.numDocs)]

    def _check(self, size: int, column: str) -> None:
        if size != self.size:
            raise TransformError(f"expected a vector of size {self.size}, got {size}", column=column)

    def transform(self, frame: Frame) -> None:
        in_col, out_col = self.shape.input_cols[0], self.shape.output_cols[0]
        column = frame.column(in_col)
        if isinstance(column, SparseMatrix):
            self._check(column.size, in_col)
            frame.columns[out_col] = column.with_values(column.values * self.idf[column.indices])
            return
        matrix = as_float_matrix(column, in_col, frame)
        self._check(matrix.shape[1], in_col)
        frame.columns[out_col] = matrix * self.idf

    def transform_row(self, row: dict[str, Any]) -> None:
        in_col = self.shape.input_cols[0]
        value = row[in_col]
        if isinstance(value, SparseVector):
            self._check(value.size, in_col)
            # gathered from the float64 array: a 2^20-wide list of floats costs a cache miss or two per entry
            out: Any = SparseVector(value.size, value.indices, [x * w for x, w in zip(
                value.values, self.idf[value.indices].tolist(), strict=True)])
        else:
            try:
                dense = dense_row(value)
            except (TypeError, ValueError) as exc:
                raise TransformError(f"not a vector of numbers: {exc}", column=in_col) from None
            self._check(len(dense), in_col)
            out = [x * w for x, w in zip(dense, self._idf, strict=True)]
        row[self.shape.output_cols[0]] = out
