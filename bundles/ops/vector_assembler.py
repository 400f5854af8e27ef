"""vector_assembler: concatenate scalar and vector columns into one float64 vector, Spark `VectorAssembler`.

`input_shapes` records each input as scalar or tensor(size) from the fitted DataFrame's schema. Follows
MLeap: NaN passes through (Spark's default handleInvalid=error would fail); null is an error. A sparse
input (HashingTF, CountVectorizer) keeps the output sparse. Spark's and MLeap's `assemble` keep only the
values `!= 0.0`, so a -0.0 input (scalar or vector slot) comes out as 0.0 and a stored zero of a sparse
input is dropped; here `x + 0.0` turns -0.0 into 0.0 (and leaves every other value, NaN included, alone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape
from jvm.vectors import SparseMatrix, SparseVector, concat_rows, hstack

_PLUS_ZERO = (0.0).__add__  # x -> 0.0 + x: -0.0 becomes 0.0


def without_zeros(matrix: SparseMatrix) -> SparseMatrix:
    """The column without its stored zeros (either sign), as Spark's assembler keeps only values != 0.0."""
    keep = matrix.values != 0.0
    if keep.all():
        return matrix
    indptr = np.zeros(len(matrix.indptr), dtype=np.int64)
    np.cumsum(np.bincount(matrix.row_ids()[keep], minlength=len(matrix)), out=indptr[1:])
    return SparseMatrix(matrix.size, indptr, matrix.indices[keep], matrix.values[keep])


def sparse_without_zeros(vector: SparseVector) -> SparseVector:
    """One row's `without_zeros`."""
    if 0.0 not in vector.values:
        return vector
    kept = [(i, x) for i, x in zip(vector.indices, vector.values, strict=True) if x != 0.0]
    return SparseVector(vector.size, [i for i, _ in kept], [x for _, x in kept])


def spark_shape(field: Any) -> dict:
    """The Bundle.ML data_shape of a Spark StructField (vector sizes from ML attribute metadata)."""
    from pyspark.ml.linalg import VectorUDT

    if isinstance(field.dataType, VectorUDT):
        attrs = field.metadata.get("ml_attr", {})
        size = attrs.get("num_attrs") or sum(len(a) for a in attrs.get("attrs", {}).values())
        return v.tensor_shape(size, field.nullable)
    return v.scalar_shape(field.nullable)


class VectorAssembler(Op):
    op_name = "vector_assembler"
    spark_classes = ("VectorAssembler",)

    def __init__(self, name: str, shape: Shape, input_shapes: list[dict]):
        super().__init__(name, shape)
        self.input_shapes = input_shapes
        self.sizes = [int(s["tensorShape"]["dimensions"][0]["size"]) if s.get("base") == "tensor" else 1
                      for s in input_shapes]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> VectorAssembler:
        shapes = attrs.data_shapes("input_shapes", [])
        if not shapes:  # MLeap 0.8 bundles carry no shapes: treat every input as a scalar
            shapes = [v.scalar_shape() for _ in shape.inputs]
        return cls(name, shape, shapes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        shape = Shape([(f"input{i}", c) for i, c in enumerate(self.shape.input_cols)],
                      [("output", self.shape.output_cols[0])])
        return {"input_shapes": v.data_shapes(self.input_shapes)}, shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        ins = stage.getInputCols()
        shapes = [spark_shape(ctx.schema[c]) for c in ins]
        return [cls(stage.uid, Shape([(f"input{i}", c) for i, c in enumerate(ins)],
                                     [("output", stage.getOutputCol())]), shapes)]

    def params(self) -> dict[str, Any]:
        return {"input_sizes": self.sizes, "size": sum(self.sizes)}

    def input_struct_of(self, column: str) -> str:
        i = self.shape.input_cols.index(column)
        return "vector" if self.input_shapes[i].get("base") == "tensor" else "basic"

    def warm_up_input(self, column: str) -> Any:
        """A zero vector of the input's recorded size (None for a scalar input)."""
        i = self.shape.input_cols.index(column)
        return [0.0] * self.sizes[i] if self.input_struct_of(column) == "vector" else None

    def transform(self, frame: Frame) -> None:
        columns = [frame.column(c) for c in self.shape.input_cols]
        parts = [col if isinstance(col, SparseMatrix) else as_float_matrix(col, c, frame)
                 for c, col in zip(self.shape.input_cols, columns, strict=True)]
        if any(isinstance(p, SparseMatrix) for p in parts):  # a sparse input keeps the output sparse
            frame.columns[self.shape.output_cols[0]] = without_zeros(hstack(parts))
            return
        out = np.hstack(parts) if parts else np.zeros((len(frame), 0))
        out += 0.0  # -0.0 -> 0.0, as Spark's assembler (it skips zeros)
        frame.columns[self.shape.output_cols[0]] = out

    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """Generated code for the row whose scalar inputs are floats and tensor inputs lists (as the schema
        says); any other row goes through `transform_row`."""
        names = [f"v{i}" for i in range(len(self.sizes))]
        kinds = ["list" if s.get("base") == "tensor" else "float" for s in self.input_shapes]
        parts = [f"*map(_PLUS_ZERO, {n})" if kind == "list" else f"{n} + 0.0" for n, kind in zip(names, kinds,
                                                                                                strict=True)]
        checks = " and ".join(f"{n}.__class__ is {kind}" for n, kind in zip(names, kinds, strict=True)) or "True"
        source = "\n".join([
            "def run(row):",
            *(f"    {n} = row[{c!r}]" for n, c in zip(names, self.shape.input_cols, strict=True)),
            f"    if {checks}:",
            f"        row[{self.shape.output_cols[0]!r}] = [{', '.join(parts)}]",
            "    else:",
            "        general(row)",
        ])
        scope = {"_PLUS_ZERO": _PLUS_ZERO, "general": self.transform_row}
        exec(compile(source, f"<vector_assembler {self.name}>", "exec"), scope)  # noqa: S102 - our own source
        return scope["run"]

    def transform_row(self, row: dict[str, Any]) -> None:
        out: list[float] = []
        for c in self.shape.input_cols:
            value = row[c]
            if value.__class__ is float:  # the common case first: the lean path is per request
                out.append(value + 0.0)
            elif isinstance(value, list):
                out.extend(map(_PLUS_ZERO, value))
            elif isinstance(value, SparseVector):
                row[self.shape.output_cols[0]] = sparse_without_zeros(
                    concat_rows([row[c] for c in self.shape.input_cols]))
                return
            elif value is None:
                raise TransformError("null value", column=c)
            else:
                try:
                    out.append(float(value) + 0.0)
                except (TypeError, ValueError):
                    raise TransformError(f"not a number: {value!r}", column=c) from None
        row[self.shape.output_cols[0]] = out
