"""max_abs_scaler: divide each vector slot by its fitted max |x|, Spark `MaxAbsScalerModel`.

Attribute `maxAbs` (tensor); ports `input`/`output`. Float64 order as Spark 3: multiply by the reciprocal
`1 / maxAbs` (1.0 where maxAbs == 0). (MLeap 0.20 divides by maxAbs instead, which can differ in the
last bit; we follow Spark, whose output the model was trained on.) MLeap also clips every output to [-1, 1],
which Spark does not: a value beyond the fitted range gives Spark's |x / maxAbs| > 1 here (a documented
divergence: interop case `max_abs_scaler.beyond_the_fit_range`, interop/README.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.vector_map import VectorMapOp, reciprocal


class MaxAbsScaler(VectorMapOp):
    op_name = "max_abs_scaler"
    spark_classes = ("MaxAbsScalerModel",)

    def __init__(self, name: str, shape: Shape, max_abs: np.ndarray):
        super().__init__(name, shape, len(max_abs))
        self.max_abs = np.asarray(max_abs, dtype=np.float64)
        self.scale = reciprocal(self.max_abs, 1.0)
        self._scale_row = self.scale.tolist()
        self.sparse_scale = self.scale  # Spark runs StandardScaler's transform: a sparse vector stays sparse

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MaxAbsScaler:
        return cls(name, shape, attrs.tensor("maxAbs"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"maxAbs": v.tensor(self.max_abs)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, Shape.single(stage.getInputCol(), stage.getOutputCol()), stage.maxAbs.toArray())]

    def apply(self, matrix: np.ndarray) -> np.ndarray:
        return matrix * self.scale

    def apply_row(self, values: list[float]) -> list[float]:
        return [x * s for x, s in zip(values, self._scale_row, strict=True)]
