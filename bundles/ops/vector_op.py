"""Shared base of the ops that read one vector column, dense or sparse, and write one output column.

A subclass gives four transforms, each following Spark's own code path for that input kind:
`dense` ((rows, size) float64 -> output column), `sparse` (SparseMatrix -> output column),
`dense_row` (list of floats -> value) and `sparse_row` (SparseVector -> value). The base reads the
input (a 2-D array, a SparseMatrix, or an object column of per-row vectors), checks the vector size
when the op knows it (`size` >= 0), and turns a ValueError of the op into a TransformError naming the
row (columnar: the first bad row, found by re-running rows one by one) and the column.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape, vector_input
from bundles.ops.vector_assembler import spark_shape
from jvm.vectors import SparseMatrix, SparseVector


def spark_vector_size(ctx: Context, column: str) -> int:
    """The size of vector column `column` in the transformed sample's schema (-1 when unknown)."""
    data_shape = spark_shape(ctx.schema[column]) if ctx.schema is not None else {"base": "scalar"}
    if data_shape.get("base") != "tensor":
        return -1
    return int(data_shape["tensorShape"]["dimensions"][0]["size"]) or -1


class VectorOp(Op):
    input_struct: ClassVar[str] = "vector"
    output_struct: ClassVar[str] = "vector"

    def __init__(self, name: str, shape: Shape, size: int = -1):
        super().__init__(name, Shape.single(shape.input_cols[0], shape.output_cols[0]))
        self.size = int(size)

    @property
    def in_col(self) -> str:
        return self.shape.input_cols[0]

    @property
    def out_col(self) -> str:
        return self.shape.output_cols[0]

    def dense(self, matrix: np.ndarray) -> Any:
        raise NotImplementedError

    def sparse(self, matrix: SparseMatrix) -> Any:
        raise NotImplementedError

    def dense_row(self, values: list[float]) -> Any:
        raise NotImplementedError

    def sparse_row(self, vector: SparseVector) -> Any:
        raise NotImplementedError

    def sized(self, attrs: dict[str, dict]) -> tuple[dict[str, dict], Shape]:
        """`store`'s answer: `attrs` plus `input_size` when the size is known."""
        if self.size >= 0:
            attrs["input_size"] = v.integer(self.size)
        return attrs, self.shape

    def check_size(self, size: int) -> None:
        if self.size >= 0 and size != self.size:
            raise TransformError(f"expected a vector of size {self.size}, got {size}", column=self.in_col)

    def transform(self, frame: Frame) -> None:
        column = frame.column(self.in_col)
        if isinstance(column, np.ndarray) and column.dtype == object and len(column) and \
                isinstance(column[0], SparseVector):
            column = SparseMatrix.from_rows(list(column), column[0].size)
        try:
            if isinstance(column, SparseMatrix):
                self.check_size(column.size)
                out = self.sparse(column)
            else:
                matrix = as_float_matrix(column, self.in_col, frame)
                self.check_size(matrix.shape[1])
                out = self.dense(matrix)
        except ValueError as exc:
            if isinstance(exc, TransformError):
                raise
            raise self._first_bad_row(frame, column, exc) from None
        self.put(frame, out)

    def put(self, frame: Frame, out: Any) -> None:
        """Store the columnar result (an op whose `dense`/`sparse` return more than the column overrides it)."""
        frame.columns[self.out_col] = out

    def _first_bad_row(self, frame: Frame, column: Any, exc: ValueError) -> TransformError:
        for i in range(len(frame)):
            try:
                self.transform_row({self.in_col: column[i]})
            except TransformError as bad:
                return frame.error(i, self.in_col, bad.reason)
        return TransformError(str(exc), column=self.in_col)

    def transform_row(self, row: dict[str, Any]) -> None:
        value = row[self.in_col]
        try:
            if isinstance(value, SparseVector):
                self.check_size(value.size)
                out = self.sparse_row(value)
            else:
                try:
                    values = vector_input(value.tolist() if isinstance(value, np.ndarray) else value)
                except (TypeError, ValueError) as exc:
                    raise TransformError(f"not a vector of numbers: {exc}", column=self.in_col) from None
                self.check_size(len(values))
                out = self.dense_row(values)
        except TransformError:
            raise
        except ValueError as exc:
            raise TransformError(str(exc), column=self.in_col) from None
        row[self.out_col] = out
