"""isotonic_regression: Spark `IsotonicRegressionModel`: piecewise linear interpolation between boundaries.

Attributes `boundaries`, `predictions` (lists), `isotonic` (boolean), `feature_index` (long, only when the
features column is a vector; then that slot is the input). Port `features` (a double or a vector) ->
`prediction`. Exact, as Spark's mllib model: `java.util.Arrays.binarySearch` over the boundaries (its exact
probe sequence: with repeated boundaries the index found decides the prediction), the first / last
prediction outside the range, else y1 + (y2 - y1) * (x - x1) / (x2 - x1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape, vector_input
from bundles.ops.model_op import Regressor, spark_shape

_FLIP = np.int64(0x7FFFFFFFFFFFFFFF)


def java_order(values: np.ndarray) -> np.ndarray:
    """int64 keys ordered as Java's `Double.compare` (-0.0 < 0.0, every NaN the largest and equal)."""
    values = np.where(np.isnan(values), np.nan, np.asarray(values, dtype=np.float64))  # canonical NaN
    bits = values.view(np.int64)
    return np.where(bits < 0, bits ^ _FLIP, bits)


def binary_search(keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """`Arrays.binarySearch(a, key)` for every query: the index found, or -(insertion point) - 1."""
    low = np.zeros(len(queries), dtype=np.int64)
    high = np.full(len(queries), len(keys) - 1, dtype=np.int64)
    found = np.full(len(queries), -1, dtype=np.int64)
    active = low <= high
    while active.any():
        mid = (low + high) >> 1
        mid_keys = keys[np.where(active, mid, 0)]
        less = active & (mid_keys < queries)
        more = active & (mid_keys > queries)
        hit = active & ~less & ~more
        found = np.where(hit, mid, found)
        low = np.where(less, mid + 1, low)
        high = np.where(more, mid - 1, high)
        active = active & ~hit & (low <= high)
    return np.where(found >= 0, found, -(low + 1))


class IsotonicRegression(Regressor):
    op_name = "isotonic_regression"
    spark_classes = ("IsotonicRegressionModel",)

    def __init__(self, name: str, shape: Shape, boundaries: list[float], predictions: list[float],
                 isotonic: bool = True, feature_index: int | None = None):
        super().__init__(name, shape)
        if len(boundaries) != len(predictions) or not boundaries:
            raise BundleError(f"node {name!r}: isotonic_regression needs as many boundaries as predictions (> 0)")
        self.boundaries = np.asarray(boundaries, dtype=np.float64)
        self.predictions = np.asarray(predictions, dtype=np.float64)
        self.isotonic = bool(isotonic)
        self.feature_index = feature_index
        self.keys = java_order(self.boundaries)
        self.input_struct = "basic" if feature_index is None else "vector"

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> IsotonicRegression:
        return cls(name, shape, attrs.doubles("boundaries"), attrs.doubles("predictions"),
                   attrs.boolean("isotonic", False), attrs.integer("feature_index", None))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"boundaries": v.doubles(self.boundaries.tolist()), "predictions": v.doubles(self.predictions.tolist()),
                 "isotonic": v.boolean(self.isotonic)}
        if self.feature_index is not None:
            attrs["feature_index"] = v.long(self.feature_index)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        vector_input = ctx.schema is None or ctx.schema[stage.getFeaturesCol()].dataType.simpleString() == "vector"
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), stage.boundaries.toArray().tolist(),
                    stage.predictions.toArray().tolist(), stage.getIsotonic(),
                    stage.getFeatureIndex() if vector_input else None)]

    def _column(self, matrix: np.ndarray) -> np.ndarray:
        index = 0 if self.feature_index is None else self.feature_index
        if index >= matrix.shape[1]:
            raise TransformError(f"feature_index {index} is outside a vector of size {matrix.shape[1]}",
                                 column=self.features_col)
        return matrix[:, index]

    def features(self, frame: Frame) -> np.ndarray:
        return as_float_matrix(frame.column(self.features_col), self.features_col, frame)

    def features_row(self, row: dict[str, Any]) -> list[float]:
        value = row[self.features_col]
        try:
            return [float(value)] if self.feature_index is None else vector_input(value)
        except (TypeError, ValueError):
            raise TransformError(f"not a number or vector: {value!r}", column=self.features_col) from None

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        x = self._column(matrix)
        found = binary_search(self.keys, java_order(x))
        insert = -found - 1
        n = len(self.boundaries)
        lo = np.clip(insert - 1, 0, n - 1)
        hi = np.clip(insert, 0, n - 1)
        b, p = self.boundaries, self.predictions
        with np.errstate(all="ignore"):
            between = p[lo] + (p[hi] - p[lo]) * (x - b[lo]) / (b[hi] - b[lo])
        out = np.where(found >= 0, p[np.clip(found, 0, n - 1)], between)
        out = np.where((found < 0) & (insert == n), p[-1], out)
        return np.where((found < 0) & (insert == 0), p[0], out)

    def predict_row(self, values: list[float]) -> float:
        return float(self.predict(np.array([values], dtype=np.float64))[0])
