"""Shared base of the ops that map one vector column to another of the same size, value by value.

Subclasses give `apply` (a (rows, size) float64 matrix -> new matrix) and `apply_row` (a list of
floats -> new list); both must do the same float64 operations in the same order as Spark. A subclass that
only scales (Spark's `StandardScalerModel` transform without centering, which `MaxAbsScalerModel` runs too)
sets `sparse_scale` (one factor per slot): a sparse input then stays sparse, its stored values times the
factor at their index, as Spark's `transformSparseWithScale`; the cost is the stored entries.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from bundles.errors import TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape, vector_input
from jvm.vectors import SparseMatrix, SparseVector


def reciprocal(values: np.ndarray, at_zero: float) -> np.ndarray:
    """1 / v per slot (IEEE division, as Spark's `1 / v`), `at_zero` where v == 0."""
    out = np.full(len(values), at_zero)
    np.divide(1.0, values, out=out, where=values != 0)
    return out


class VectorMapOp(Op):
    input_struct: ClassVar[str] = "vector"
    output_struct: ClassVar[str] = "vector"

    sparse_scale: np.ndarray | None = None

    def __init__(self, name: str, shape: Shape, size: int):
        super().__init__(name, Shape.single(shape.input_cols[0], shape.output_cols[0]))
        self.size = int(size)

    def _check_size(self, size: int, column: str) -> None:
        if self.size >= 0 and size != self.size:
            raise TransformError(f"expected a vector of size {self.size}, got {size}", column=column)

    def apply(self, matrix: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def apply_row(self, values: list[float]) -> list[float]:
        raise NotImplementedError

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        column = frame.column(in_col)
        if self.sparse_scale is not None and isinstance(column, SparseMatrix):
            self._check_size(column.size, in_col)
            frame.columns[self.shape.output_cols[0]] = column.with_values(
                column.values * self.sparse_scale[column.indices])
            return
        matrix = as_float_matrix(column, in_col, frame)
        self._check_size(matrix.shape[1], in_col)
        frame.columns[self.shape.output_cols[0]] = self.apply(matrix)

    def transform_row(self, row: dict[str, Any]) -> None:
        in_col = self.shape.input_cols[0]
        value = row[in_col]
        if self.sparse_scale is not None and isinstance(value, SparseVector):
            self._check_size(value.size, in_col)
            scale = self.sparse_scale
            row[self.shape.output_cols[0]] = SparseVector(value.size, value.indices, [
                x * s for x, s in zip(value.values, scale[value.indices].tolist(), strict=True)])
            return
        try:
            values = vector_input(value)
        except (TypeError, ValueError) as exc:
            raise TransformError(f"not a vector of numbers: {exc}", column=in_col) from None
        self._check_size(len(values), in_col)
        row[self.shape.output_cols[0]] = self.apply_row(values)
