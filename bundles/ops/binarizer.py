"""binarizer: 1.0 where x > threshold else 0.0, for a scalar or every slot of a vector, Spark `Binarizer`.

Attributes `threshold` (double) and `input_shapes` (ONE data_shape despite the name: scalar, or tensor with
its size; MLeap's Spark and runtime writers use that key and real MLeap 0.9.6 and 0.20 cannot load a node
without it; `input_shape`, as 2017 MLeap 0.8 files have it, is read too); ports `input`/`output`.
A multi-column Spark Binarizer (`inputCols`/`thresholds`) is written as one node per column.
Follows MLeap: NaN -> 0.0 always (Spark 3 gives 1.0 for NaN inside a vector when threshold < 0).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape, node_names, spark_columns, vector_input
from bundles.ops.vector_assembler import spark_shape


class Binarizer(Op):
    op_name = "binarizer"
    spark_classes = ("Binarizer",)

    def __init__(self, name: str, shape: Shape, threshold: float, input_shape: dict | None = None):
        super().__init__(name, Shape.single(shape.input_cols[0], shape.output_cols[0]))
        self.threshold = float(threshold)
        self.input_shape = input_shape or v.scalar_shape()
        self.is_vector = self.input_shape.get("base") == "tensor"
        self.input_struct = self.output_struct = "vector" if self.is_vector else "basic"

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Binarizer:
        key = "input_shapes" if "input_shapes" in attrs else "input_shape"
        return cls(name, shape, attrs.double("threshold", 0.0), attrs.data_shape(key, None))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"threshold": v.double(self.threshold), "input_shapes": v.data_shape(self.input_shape)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        columns = spark_columns(stage)
        thresholds = stage.getThresholds() if len(columns) > 1 or stage.isSet("inputCols") else [stage.getThreshold()]
        return [cls(name, Shape.single(i, o), t, spark_shape(ctx.schema[i]))
                for name, (i, o), t in zip(node_names(stage, len(columns)), columns, thresholds, strict=True)]

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        matrix = as_float_matrix(frame.column(in_col), in_col, frame)
        out = (matrix > self.threshold).astype(np.float64)
        frame.columns[self.shape.output_cols[0]] = out if self.is_vector else out[:, 0]

    def transform_row(self, row: dict[str, Any]) -> None:
        in_col = self.shape.input_cols[0]
        value = row[in_col]
        try:
            if self.is_vector:
                out: Any = [1.0 if x > self.threshold else 0.0 for x in vector_input(value)]
            else:
                out = 1.0 if float(value) > self.threshold else 0.0
        except (TypeError, ValueError):
            raise TransformError(f"not a number: {value!r}", column=in_col) from None
        row[self.shape.output_cols[0]] = out
