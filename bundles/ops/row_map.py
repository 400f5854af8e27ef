"""Shared base of the ops that compute each row's output from its one input value (the text ops).

A subclass gives `apply` (one input value -> one output value), `input_kind` (how the input column is
read: "text" a string, "tokens" an array of strings, "number" a double) and `output_kind` ("tokens",
"sparse" for a SparseVector of `size` slots, "dense" for a list of floats, "vector" either, "label" a
string, "number" a float). The columnar transform maps `apply` over the batch and builds one column (an
object column of lists or strings, a SparseMatrix, a float64 matrix or array); a ValueError from `apply`
becomes a TransformError naming the row.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from bundles.errors import TransformError
from bundles.frame import Frame, object_column, string_list, string_lists, text_values
from bundles.ops.base import Op, Shape, spark_columns
from jvm.vectors import SparseMatrix


def text_value(value: Any, column: str) -> str:
    if value.__class__ is str:
        return value
    if value is None:
        raise TransformError("null value", column=column)
    return str(value)


def number_value(value: Any, column: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TransformError("null value" if value is None else f"not a number: {value!r}", column=column) from None


class RowMapOp(Op):
    input_kind: ClassVar[str] = "tokens"
    output_kind: ClassVar[str] = "tokens"
    input_struct: ClassVar[str] = "array"
    input_type: ClassVar[str] = "string"
    size: int = -1  # output vector size (output_kind "sparse")

    def __init__(self, name: str, shape: Shape):
        super().__init__(name, Shape.single(shape.input_cols[0], shape.output_cols[0]))

    @property
    def output_struct(self) -> str:  # type: ignore[override]
        return {"tokens": "array", "label": "basic", "number": "basic"}.get(self.output_kind, "vector")

    @property
    def output_type(self) -> str:  # type: ignore[override]
        return "string" if self.output_kind in ("tokens", "label") else "double"

    @classmethod
    def single_shape(cls, stage: Any) -> Shape:
        (pair,) = spark_columns(stage)
        return Shape.single(*pair)

    def apply(self, value: Any) -> Any:
        raise NotImplementedError

    def _inputs(self, frame: Frame, name: str) -> list:
        column = frame.column(name)
        if self.input_kind == "text":
            return text_values(column, name, frame)
        if self.input_kind == "tokens":
            return string_lists(column, name, frame)
        if isinstance(column, np.ndarray) and column.dtype != object:
            return column.astype(np.float64, copy=False).tolist()
        return [number_value(v, name) for v in column]

    def _input(self, value: Any, name: str) -> Any:
        if self.input_kind == "text":
            return text_value(value, name)
        if self.input_kind == "tokens":
            return string_list(value, name)
        return number_value(value, name)

    def transform(self, frame: Frame) -> None:
        in_col, out_col = self.shape.input_cols[0], self.shape.output_cols[0]
        outputs = []
        for i, value in enumerate(self._inputs(frame, in_col)):
            try:
                outputs.append(self.apply(value))
            except ValueError as exc:
                raise frame.error(i, in_col, str(exc)) from None
        frame.columns[out_col] = self.column_of(outputs)

    def column_of(self, outputs: list) -> Any:
        if self.output_kind == "sparse":
            return SparseMatrix.from_rows(outputs, self.size)
        if self.output_kind == "dense":
            return np.array(outputs, dtype=np.float64).reshape(len(outputs), -1)
        if self.output_kind == "number":
            return np.array(outputs, dtype=np.float64)
        return object_column(outputs)

    def transform_row(self, row: dict[str, Any]) -> None:
        in_col = self.shape.input_cols[0]
        value = self._input(row[in_col], in_col)
        try:
            row[self.shape.output_cols[0]] = self.apply(value)
        except ValueError as exc:
            raise TransformError(str(exc), column=in_col) from None
