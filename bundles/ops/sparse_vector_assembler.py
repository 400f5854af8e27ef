"""sparse_vector_assembler: a community op (not MLeap's, no Spark class) that assembles like VectorAssembler
but outputs a sparse vector holding only the non-missing values, so that xgboost sees the left-out slots as
missing (an absent entry of a sparse row is missing to xgboost4j, as in MLeap's xgboost runtime).

Read from the real pixar bundle (MLeap 0.13): attributes `field_names` (the input columns), `outputCol`,
`field_type_bases` (basic types, e.g. long/double), `field_type_shapes` (data shapes: scalar, or tensor of
a size), `missingDoubles` (values treated as missing; NaN matches NaN) and `missingNone` (a null input is
missing; else a null is an error). Ports `input0..` -> `output`. Slot i of the output is input i's value
(a tensor input takes one slot per entry); an explicit 0.0 stays an entry. Written back as read (no writer
from Spark).
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
from jvm.vectors import SparseMatrix, SparseVector


class SparseVectorAssembler(Op):
    op_name = "sparse_vector_assembler"
    input_struct = "basic"

    def __init__(self, name: str, shape: Shape, bases: list[str], shapes: list[dict], missing: list[float],
                 missing_none: bool):
        super().__init__(name, shape)
        if not len(shape.input_cols) == len(bases) == len(shapes):
            raise BundleError(f"node {name!r}: {len(shape.input_cols)} inputs, {len(bases)} field_type_bases, "
                              f"{len(shapes)} field_type_shapes")
        self.bases, self.shapes = bases, shapes
        self.sizes = [int(s["tensorShape"]["dimensions"][0]["size"]) if s.get("base") == "tensor" else 1
                      for s in shapes]
        self.missing = [float(m) for m in missing]
        self._missing_numbers = frozenset(m for m in self.missing if not math.isnan(m))
        self._missing_nan = any(math.isnan(m) for m in self.missing)
        self.missing_none = bool(missing_none)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> SparseVectorAssembler:
        names = attrs.strings("field_names", shape.input_cols)
        if names != shape.input_cols:
            raise BundleError(f"{attrs.where}: field_names {names} differ from the node's inputs {shape.input_cols}")
        return cls(name, shape, attrs.basic_types("field_type_bases"), attrs.data_shapes("field_type_shapes"),
                   attrs.doubles("missingDoubles", []), attrs.boolean("missingNone", False))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"field_names": v.strings(self.shape.input_cols), "outputCol": v.string(self.shape.output_cols[0]),
                 "field_type_bases": v.basic_types(self.bases), "missingNone": v.boolean(self.missing_none),
                 "field_type_shapes": v.data_shapes(self.shapes), "missingDoubles": v.doubles(self.missing)}
        return attrs, self.shape

    def params(self) -> dict[str, Any]:
        missing = [m if math.isfinite(m) else str(m) for m in self.missing]  # "nan": inspect prints strict JSON
        return {"size": sum(self.sizes), "missing": missing, "missing_none": self.missing_none}

    def input_struct_of(self, column: str) -> str:
        return "vector" if self.shapes[self.shape.input_cols.index(column)].get("base") == "tensor" else "basic"

    def is_missing(self, x: float) -> bool:
        return x in self._missing_numbers or (self._missing_nan and x != x)

    # columnar: each input as (rows, size) values and a mask of the entries kept
    def transform(self, frame: Frame) -> None:
        values, keep = [], []
        for col, size in zip(self.shape.input_cols, self.sizes, strict=True):
            x, present = self._column(frame, col, size)
            missing = np.isin(x, list(self._missing_numbers)) if self._missing_numbers else np.zeros(x.shape, bool)
            if self._missing_nan:
                missing |= np.isnan(x)
            values.append(x)
            keep.append(present & ~missing)
        x, k = np.hstack(values), np.hstack(keep)
        rows, cols = np.nonzero(k)
        indptr = np.zeros(len(frame) + 1, dtype=np.int64)
        np.cumsum(k.sum(axis=1), out=indptr[1:])
        frame.columns[self.shape.output_cols[0]] = SparseMatrix(x.shape[1], indptr, cols, x[rows, cols])

    def _column(self, frame: Frame, col: str, size: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, size) float64 values and a mask of the present entries (False for nulls, absent sparse slots)."""
        column = frame.column(col)
        if isinstance(column, SparseMatrix):
            present = np.zeros(column.shape, dtype=bool)
            present[column.row_ids(), column.indices] = True
            return column.toarray(), present
        if column.dtype != object:
            x = column.astype(np.float64, copy=False).reshape(len(column), -1)
            if x.shape[1] != size:
                raise TransformError(f"expected {size} value(s) a row, got {x.shape[1]}", column=col)
            return x, np.ones(x.shape, dtype=bool)
        x = np.zeros((len(column), size))
        present = np.ones((len(column), size), dtype=bool)
        for i, value in enumerate(column):
            try:
                x[i], present[i] = self._entries(value, col, size)
            except TransformError as exc:
                raise frame.error(i, col, exc.reason) from None
        return x, present

    def _entries(self, value: Any, col: str, size: int) -> tuple[list[float], list[bool]]:
        if value is None:
            if not self.missing_none:
                raise TransformError("null value (missingNone is not set)", column=col)
            return [0.0] * size, [False] * size
        if isinstance(value, SparseVector):
            x, present = [0.0] * value.size, [False] * value.size
            for i, e in zip(value.indices, value.values, strict=True):
                x[i], present[i] = e, True
            return x, present
        try:
            x = [float(e) for e in value] if isinstance(value, list | tuple | np.ndarray) else [float(value)]
        except (TypeError, ValueError):
            raise TransformError(f"not a number: {value!r}", column=col) from None
        if len(x) != size:
            raise TransformError(f"expected {size} value(s), got {len(x)}", column=col)
        return x, [True] * size

    def transform_row(self, row: dict[str, Any]) -> None:
        indices: list[int] = []
        values: list[float] = []
        offset = 0
        for col, size in zip(self.shape.input_cols, self.sizes, strict=True):
            if col not in row:
                raise TransformError(f"input column {col!r} is missing")
            entries, present = self._entries(row[col], col, size)
            for i, (x, here) in enumerate(zip(entries, present, strict=True)):
                if here and not self.is_missing(x):
                    indices.append(offset + i)
                    values.append(x)
            offset += size
        row[self.shape.output_cols[0]] = SparseVector(offset, indices, values)
