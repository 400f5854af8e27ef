"""bucketizer: number -> bucket index (float64) by sorted `splits`, Spark `Bucketizer`.

Attributes `splits` (double list; -Inf/+Inf written as null, restored from NaN at the ends) and
`handle_invalid` (error/skip/keep; absent in MLeap 0.8 bundles -> error); ports `input`/`output`.
MLeap's op is single-column, so a multi-column Spark Bucketizer (`inputCols`/`splitsArray`) is written as
one node per column (skip then drops a row with NaN in any of them, as Spark does).
Bucket i holds splits[i] <= x < splits[i+1]; x == last split goes to the last bucket; outside the splits
is always an error; NaN: keep -> len(splits) - 1, skip -> row dropped, error -> error. Spark searches the splits
with Java's `Arrays.binarySearch`, which orders -0.0 below 0.0: an input -0.0 falls in the bucket below a split
0.0 (and outside the splits when 0.0 is the first), after the `x == last split` check.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame, SkipRow, as_float_matrix
from bundles.ops.base import Op, Shape, node_names, spark_columns
from jvm.number_text import java_double

HANDLE_INVALID = ("error", "skip", "keep")
NAN_MESSAGE = "Bucketizer encountered NaN value. To handle or skip NaNs, try setting Bucketizer.handleInvalid."


def restore_splits(splits: list[float]) -> list[float]:
    """NaN (JSON null) at the first/last position means -Inf/+Inf."""
    out = list(splits)
    if out and math.isnan(out[0]):
        out[0] = -math.inf
    if out and math.isnan(out[-1]):
        out[-1] = math.inf
    return out


class Bucketizer(Op):
    op_name = "bucketizer"
    spark_classes = ("Bucketizer",)
    output_struct = "basic"

    def __init__(self, name: str, shape: Shape, splits: list[float], handle_invalid: str = "error"):
        super().__init__(name, Shape.single(shape.input_cols[0], shape.output_cols[0]))
        self.splits = restore_splits([float(s) for s in splits])
        if len(self.splits) < 3 or any(not a < b for a, b in zip(self.splits, self.splits[1:], strict=False)):
            raise BundleError(f"node {name!r}: splits must be at least 3 strictly increasing values")
        if handle_invalid not in HANDLE_INVALID:
            raise BundleError(f"node {name!r}: handle_invalid must be one of {HANDLE_INVALID}")
        self.handle_invalid = handle_invalid
        self._splits = np.array(self.splits)
        zero = [i for i, s in enumerate(self.splits) if s == 0.0 and math.copysign(1.0, s) > 0]
        self._positive_zero = zero[0] if zero else None  # where a -0.0 input stops (Java's order)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Bucketizer:
        return cls(name, shape, attrs.doubles("splits"), attrs.string("handle_invalid", "error"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"splits": v.doubles(self.splits), "handle_invalid": v.string(self.handle_invalid)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        columns = spark_columns(stage)
        splits = stage.getSplitsArray() if stage.isSet("inputCols") else [stage.getSplits()]
        return [cls(name, Shape.single(i, o), s, stage.getHandleInvalid())
                for name, (i, o), s in zip(node_names(stage, len(columns)), columns, splits, strict=True)]

    def warm_up_input(self, column: str) -> Any:
        """A split value (every split lies inside the buckets): the first finite one."""
        return next((s for s in self.splits if math.isfinite(s)), 0.0)

    def _bounds_message(self, x: float) -> str:
        lo, hi = (java_double(s) for s in (self.splits[0], self.splits[-1]))
        return (f"Feature value {java_double(x)} out of Bucketizer bounds [{lo}, {hi}].  "
                "Check your features, or loosen the lower/upper bound constraints.")

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        x = as_float_matrix(frame.column(in_col), in_col, frame)[:, 0]
        nan = np.isnan(x)
        if nan.any() and self.handle_invalid == "error":
            raise frame.error(int(np.argmax(nan)), in_col, NAN_MESSAGE)
        below_zero = (x == 0.0) & np.signbit(x) if self._positive_zero is not None else np.zeros(len(x), bool)
        outside = ~nan & ((x < self.splits[0]) | (x > self.splits[-1])
                          | (below_zero & (self._positive_zero == 0) & (x != self.splits[-1])))
        if outside.any():
            pos = int(np.argmax(outside))
            raise frame.error(pos, in_col, self._bounds_message(float(x[pos])))
        index = np.searchsorted(self._splits, x, side="right").astype(np.float64) - 1.0
        index[below_zero] = float(self._positive_zero or 0) - 1.0
        index[x == self.splits[-1]] = len(self.splits) - 2
        index[nan] = len(self.splits) - 1
        frame.columns[self.shape.output_cols[0]] = index
        if nan.any() and self.handle_invalid == "skip":
            frame.keep(~nan)

    def transform_row(self, row: dict[str, Any]) -> None:
        in_col = self.shape.input_cols[0]
        try:
            x = float(row[in_col])
        except (TypeError, ValueError):
            raise TransformError(f"not a number: {row[in_col]!r}", column=in_col) from None
        if math.isnan(x):
            if self.handle_invalid == "skip":
                raise SkipRow
            if self.handle_invalid == "error":
                raise TransformError(NAN_MESSAGE, column=in_col)
            index = len(self.splits) - 1
        elif x == self.splits[-1]:
            index = len(self.splits) - 2
        elif x < self.splits[0] or x > self.splits[-1] or (
                x == 0.0 and self._positive_zero == 0 and math.copysign(1.0, x) < 0):
            raise TransformError(self._bounds_message(x), column=in_col)
        elif x == 0.0 and self._positive_zero is not None and math.copysign(1.0, x) < 0:
            index = self._positive_zero - 1
        else:
            index = bisect.bisect_right(self.splits, x) - 1
        row[self.shape.output_cols[0]] = float(index)
