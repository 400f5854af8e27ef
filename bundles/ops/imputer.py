"""imputer: replace a missing number with the fitted surrogate, Spark `ImputerModel` written as MLeap's `imputer`.

MLeap registers `imputer` only for its own single-column extension Imputer; Spark's built-in ImputerModel
(multi-column) has no MLeap writer. We write it as one `imputer` node per column with the attributes the
MLeap runtime reads: `nullable_input` (bool), `surrogate_value` (double), `missing_value` (double; NaN as
null) and `strategy` (string); ports `input`/`output`. Follows MLeap: null, NaN and `missing_value` all become
the surrogate (Spark leaves NaN alone when missingValue is set to something else).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import TransformError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape, node_names, spark_columns


class Imputer(Op):
    op_name = "imputer"
    spark_classes = ("ImputerModel",)
    output_struct = "basic"

    def __init__(self, name: str, shape: Shape, surrogate: float, missing: float = math.nan,
                 strategy: str = "mean", nullable_input: bool = True):
        super().__init__(name, Shape.single(shape.input_cols[0], shape.output_cols[0]))
        self.surrogate = float(surrogate)
        self.missing = float(missing)
        self.strategy = strategy
        self.nullable_input = bool(nullable_input)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Imputer:
        return cls(name, shape, attrs.double("surrogate_value"), attrs.double("missing_value", math.nan),
                   attrs.string("strategy", "mean"), attrs.boolean("nullable_input", True))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {
            "nullable_input": v.boolean(self.nullable_input),
            "surrogate_value": v.double(self.surrogate),
            "missing_value": v.double(self.missing),
            "strategy": v.string(self.strategy),
        }
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        columns = spark_columns(stage)
        surrogates = stage.surrogateDF.collect()[0]
        return [cls(name, Shape.single(i, o), surrogates[i], stage.getMissingValue(), stage.getStrategy())
                for name, (i, o) in zip(node_names(stage, len(columns)), columns, strict=True)]

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        raw = frame.column(in_col)
        if raw.dtype == object:
            x = np.empty(len(raw), dtype=np.float64)
            for i, value in enumerate(raw):
                try:
                    x[i] = math.nan if value is None else float(value)
                except (TypeError, ValueError):
                    raise frame.error(i, in_col, f"not a number: {value!r}") from None
        else:
            x = raw.astype(np.float64)
        missing = np.isnan(x) | (x == self.missing)
        frame.columns[self.shape.output_cols[0]] = np.where(missing, self.surrogate, x)

    def transform_row(self, row: dict[str, Any]) -> None:
        value = row[self.shape.input_cols[0]]
        try:
            x = math.nan if value is None else float(value)
        except (TypeError, ValueError):
            raise TransformError(f"not a number: {value!r}", column=self.shape.input_cols[0]) from None
        row[self.shape.output_cols[0]] = self.surrogate if x != x or x == self.missing else x
