"""Shared base of the ops that map one vector column to another of the same size, value by value.

Subclasses give `apply` (a (rows, size) float64 matrix -> new matrix) and `apply_row` (a list of
floats -> new list); both must do the same float64 operations in the same order as Spark.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from bundles.errors import TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape, vector_input


class VectorMapOp(Op):
    input_struct: ClassVar[str] = "vector"
    output_struct: ClassVar[str] = "vector"

    def __init__(self, name: str, shape: Shape, size: int):
        super().__init__(name, Shape.single(shape.input_cols[0], shape.output_cols[0]))
        self.size = int(size)

    def apply(self, matrix: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def apply_row(self, values: list[float]) -> list[float]:
        raise NotImplementedError

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        matrix = as_float_matrix(frame.column(in_col), in_col, frame)
        if self.size >= 0 and matrix.shape[1] != self.size:
            raise TransformError(f"expected a vector of size {self.size}, got {matrix.shape[1]}", column=in_col)
        frame.columns[self.shape.output_cols[0]] = self.apply(matrix)

    def transform_row(self, row: dict[str, Any]) -> None:
        in_col = self.shape.input_cols[0]
        try:
            values = vector_input(row[in_col])
        except (TypeError, ValueError) as exc:
            raise TransformError(f"not a vector of numbers: {exc}", column=in_col) from None
        if self.size >= 0 and len(values) != self.size:
            raise TransformError(f"expected a vector of size {self.size}, got {len(values)}", column=in_col)
        row[self.shape.output_cols[0]] = self.apply_row(values)
