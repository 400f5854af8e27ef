"""normalizer: divide a vector by its p-norm (unchanged when the norm is 0), Spark `Normalizer`.

Attributes `p_norm` (double) and `input_size` (int, the vector size); ports `input`/`output`.
The norm is accumulated slot by slot in order, as Spark's `Vectors.norm` does: p=1 sum of |x|, p=2
sqrt of the sum of x*x, p=inf the max |x| (NaN ignored), else (sum |x|^p)^(1/p); then each value is
divided by it. p = +Infinity is written as JSON null (like every non-finite double) and read back
as NaN, so a NaN `p_norm` means +Infinity (real MLeap 0.20 reads it as NaN too and then fails every
transform with "p>=1": a documented interop divergence, case `normalizer.inf`).
For p other than 1, 2 and inf, Java's `Math.pow` may differ from C's `pow` in the last bit. A sparse input
stays sparse (Spark divides a SparseVector's stored values; the zeros it skips add nothing to the norm).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape
from bundles.ops.vector_assembler import spark_shape
from bundles.ops.vector_map import VectorMapOp
from jvm.vectors import SparseMatrix, SparseVector


class Normalizer(VectorMapOp):
    op_name = "normalizer"
    spark_classes = ("Normalizer",)

    def __init__(self, name: str, shape: Shape, p: float, size: int = -1):
        if not p >= 1.0:
            raise BundleError(f"node {name!r}: normalizer p_norm must be >= 1, got {p}")
        super().__init__(name, shape, size)
        self.p = float(p)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Normalizer:
        p = attrs.double("p_norm")
        return cls(name, shape, math.inf if math.isnan(p) else p, attrs.integer("input_size", -1))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"p_norm": v.double(self.p)}
        if self.size >= 0:
            attrs["input_size"] = v.integer(self.size)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        in_col = stage.getInputCol()
        data_shape = spark_shape(ctx.schema[in_col])
        size = int(data_shape["tensorShape"]["dimensions"][0]["size"]) if data_shape["base"] == "tensor" else -1
        return [cls(stage.uid, Shape.single(in_col, stage.getOutputCol()), stage.getP(), size or -1)]

    def _norms(self, matrix: np.ndarray) -> np.ndarray:
        acc = np.zeros(len(matrix))
        for j in range(matrix.shape[1]):
            col = np.abs(matrix[:, j])
            if self.p == 1.0:
                acc += col
            elif self.p == 2.0:
                acc += matrix[:, j] * matrix[:, j]
            elif math.isinf(self.p):
                acc = np.where(col > acc, col, acc)
            else:
                acc += np.power(col, self.p)
        if self.p == 2.0:
            return np.sqrt(acc)
        if self.p == 1.0 or math.isinf(self.p):
            return acc
        return np.power(acc, 1.0 / self.p)

    def apply(self, matrix: np.ndarray) -> np.ndarray:
        norms = self._norms(matrix)[:, None]
        return np.where(norms != 0.0, matrix / np.where(norms != 0.0, norms, 1.0), matrix)

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        column = frame.column(in_col)
        if not isinstance(column, SparseMatrix):
            return super().transform(frame)
        self._check_size(column.size, in_col)
        rows, values = column.row_ids(), column.values
        if self.p == 1.0:
            norms = np.bincount(rows, weights=np.abs(values), minlength=len(column))
        elif self.p == 2.0:
            norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(column)))
        elif math.isinf(self.p):
            norms = np.zeros(len(column))
            np.fmax.at(norms, rows, np.abs(values))  # NaN ignored, as Spark's max loop (`value > max`)
        else:
            norms = np.power(np.bincount(rows, weights=np.power(np.abs(values), self.p), minlength=len(column)),
                             1.0 / self.p)
        scale = norms[rows]
        frame.columns[self.shape.output_cols[0]] = column.with_values(
            np.where(scale != 0.0, values / np.where(scale != 0.0, scale, 1.0), values))

    def transform_row(self, row: dict[str, Any]) -> None:
        value = row[self.shape.input_cols[0]]
        if not isinstance(value, SparseVector):
            return super().transform_row(row)
        self._check_size(value.size, self.shape.input_cols[0])
        row[self.shape.output_cols[0]] = SparseVector(value.size, value.indices, self.apply_row(value.values))

    def _check_size(self, size: int, column: str) -> None:
        if self.size >= 0 and size != self.size:
            raise TransformError(f"expected a vector of size {self.size}, got {size}", column=column)

    def apply_row(self, values: list[float]) -> list[float]:
        norm = 0.0
        for x in values:
            if self.p == 1.0:
                norm += abs(x)
            elif self.p == 2.0:
                norm += x * x
            elif math.isinf(self.p):
                norm = abs(x) if abs(x) > norm else norm
            else:
                norm += math.pow(abs(x), self.p)
        if self.p == 2.0:
            norm = math.sqrt(norm)
        elif not (self.p == 1.0 or math.isinf(self.p)):
            norm = math.pow(norm, 1.0 / self.p)
        return [x / norm for x in values] if norm != 0.0 else list(values)
