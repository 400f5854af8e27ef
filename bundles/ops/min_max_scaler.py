"""min_max_scaler: rescale each vector slot from [min, max] to [minValue, maxValue], Spark `MinMaxScalerModel`.

Attributes `min`, `max` (tensors: the fitted originalMin/originalMax), `minValue`, `maxValue` (doubles; read
defaults 0.0/1.0, which MLeap <= 0.16 bundles omit). Ports `input`/`output`. MLeap 0.9.6 always scales to
[0, 1] (it has no minValue/maxValue), so target 0.9 refuses any other range.
Float64 order as Spark 3: `(x - min) * ((maxValue - minValue) / (max - min)) + minValue`; a constant slot
(max == min) gives `(maxValue + minValue) / 2`; NaN stays NaN. (MLeap 0.20 computes
`(x - min) / (max - min) * (maxValue - minValue) + minValue`, which can differ from Spark in the last bit; we
follow Spark, since the Spark job's own output is what models are trained on.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.vector_map import VectorMapOp


class MinMaxScaler(VectorMapOp):
    op_name = "min_max_scaler"
    spark_classes = ("MinMaxScalerModel",)

    def __init__(self, name: str, shape: Shape, original_min: np.ndarray, original_max: np.ndarray,
                 min_value: float = 0.0, max_value: float = 1.0):
        if len(original_min) != len(original_max):
            raise BundleError(f"node {name!r}: min has {len(original_min)} values, max {len(original_max)}")
        super().__init__(name, shape, len(original_min))
        self.original_min = np.asarray(original_min, dtype=np.float64)
        self.original_max = np.asarray(original_max, dtype=np.float64)
        self.min_value, self.max_value = float(min_value), float(max_value)
        scale = self.max_value - self.min_value
        ranges = self.original_max - self.original_min
        self.factor = np.array([scale / r if r != 0 else 0.0 for r in ranges])
        self.constant = (self.max_value + self.min_value) / 2
        self._rows = list(zip(self.original_min.tolist(), self.factor.tolist(), strict=True))

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MinMaxScaler:
        return cls(name, shape, attrs.tensor("min"), attrs.tensor("max"), attrs.double("minValue", 0.0),
                   attrs.double("maxValue", 1.0))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9" and (self.min_value, self.max_value) != (0.0, 1.0):
            raise BundleError(f"node {self.name!r}: the 0.9 form cannot hold min={self.min_value:g}, "
                              f"max={self.max_value:g} (MLeap 0.9.6 always scales to [0, 1]); write target 0.20")
        attrs = {"min": v.tensor(self.original_min), "max": v.tensor(self.original_max),
                 "minValue": v.double(self.min_value), "maxValue": v.double(self.max_value)}
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, Shape.single(stage.getInputCol(), stage.getOutputCol()),
                    stage.originalMin.toArray(), stage.originalMax.toArray(), stage.getMin(), stage.getMax())]

    def apply(self, matrix: np.ndarray) -> np.ndarray:
        scaled = (matrix - self.original_min) * self.factor + self.min_value
        out = np.where(self.factor != 0, scaled, self.constant)
        return np.where(np.isnan(matrix), matrix, out)

    def apply_row(self, values: list[float]) -> list[float]:
        return [x if x != x else (x - lo) * f + self.min_value if f != 0 else self.constant
                for x, (lo, f) in zip(values, self._rows, strict=True)]
