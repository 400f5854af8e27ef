"""vector_assembler: concatenate scalar and vector columns into one float64 vector, Spark `VectorAssembler`.

`input_shapes` records each input as scalar or tensor(size) from the fitted DataFrame's schema. Follows
MLeap: NaN passes through (Spark's default handleInvalid=error would fail); null is an error. A sparse
input (HashingTF, CountVectorizer) keeps the output sparse. -0.0 comes out as 0.0: Spark keeps only the
non-zero values (`v != 0.0`), so a negative zero is never stored (adding 0.0 maps -0.0 to 0.0, nothing else).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import values as v
from bundles.context import Context
from bundles.errors import TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape
from bundles.vectors import SparseMatrix, SparseVector, concat_rows, hstack


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
            out = hstack(parts)  # a stored -0.0 -> 0.0, as Spark (a new matrix: `out` may be an input's)
            frame.columns[self.shape.output_cols[0]] = SparseMatrix(out.size, out.indptr, out.indices,
                                                                    out.values + 0.0)
            return
        out = np.hstack(parts) if parts else np.zeros((len(frame), 0))
        out += 0.0  # -0.0 -> 0.0, as Spark
        frame.columns[self.shape.output_cols[0]] = out

    def transform_row(self, row: dict[str, Any]) -> None:
        out: list[float] = []
        for c in self.shape.input_cols:
            value = row[c]
            if value.__class__ is float:  # the common case first: the lean path is per request
                out.append(value + 0.0)
            elif isinstance(value, list):
                out.extend([x + 0.0 for x in value])
            elif isinstance(value, SparseVector):
                joined = concat_rows([row[c] for c in self.shape.input_cols])  # a stored -0.0 -> 0.0, as Spark
                row[self.shape.output_cols[0]] = SparseVector(joined.size, joined.indices,
                                                              [x + 0.0 for x in joined.values])
                return
            elif value is None:
                raise TransformError("null value", column=c)
            else:
                try:
                    out.append(float(value) + 0.0)
                except (TypeError, ValueError):
                    raise TransformError(f"not a number: {value!r}", column=c) from None
        row[self.shape.output_cols[0]] = out
