"""standard_scaler: (x - mean) * (1 / std) per slot of a vector, Spark `StandardScalerModel`.

Attributes `mean` (tensor, only when withMean) and `std` (tensor, only when withStd); ports `input`/`output`.
Like Spark (and MLeap), the scale is the precomputed reciprocal `1/std` (0 where std == 0) and values are
multiplied by it, never divided by std. Without `mean` a sparse vector stays sparse (its stored values
scaled), as in Spark; with it the output is dense (Spark densifies to subtract).
Same attributes for both writer targets.

Spark 3's `RobustScalerModel` computes (x - median) * (1 / range) with the same zero rule (Spark runs
StandardScaler's own transform for it), so it is written as this op with mean = median (withCentering)
and std = range (withScaling).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.vector_map import VectorMapOp, reciprocal


class StandardScaler(VectorMapOp):
    op_name = "standard_scaler"
    spark_classes = ("StandardScalerModel", "RobustScalerModel")

    def __init__(self, name: str, shape: Shape, mean: np.ndarray | None, std: np.ndarray | None):
        if mean is None and std is None:
            raise BundleError(f"node {name!r}: standard_scaler needs 'mean', 'std' or both")
        size = len(mean) if mean is not None else len(std)  # type: ignore[arg-type]
        if mean is not None and std is not None and len(mean) != len(std):
            raise BundleError(f"node {name!r}: mean has {len(mean)} values, std {len(std)}")
        super().__init__(name, shape, size)
        self.mean = None if mean is None else np.asarray(mean, dtype=np.float64)
        self.std = None if std is None else np.asarray(std, dtype=np.float64)
        self.scale = None if self.std is None else reciprocal(self.std, 0.0)
        self._mean_row = None if self.mean is None else self.mean.tolist()
        self.sparse_scale = self.scale if self.mean is None else None  # without centering, sparse stays sparse
        self._scale_row = None if self.scale is None else self.scale.tolist()

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> StandardScaler:
        return cls(name, shape, attrs.tensor("mean", None), attrs.tensor("std", None))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {}
        if self.mean is not None:
            attrs["mean"] = v.tensor(self.mean)
        if self.std is not None:
            attrs["std"] = v.tensor(self.std)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        if type(stage).__name__ == "RobustScalerModel":
            mean = stage.median.toArray() if stage.getWithCentering() else None
            std = stage.range.toArray() if stage.getWithScaling() else None
        else:
            mean = stage.mean.toArray() if stage.getWithMean() else None
            std = stage.std.toArray() if stage.getWithStd() else None
        if mean is None and std is None:
            raise BundleError(f"{stage.uid}: {type(stage).__name__} that neither centers nor scales has no bundle form")
        return [cls(stage.uid, Shape.single(stage.getInputCol(), stage.getOutputCol()), mean, std)]

    def apply(self, matrix: np.ndarray) -> np.ndarray:
        out = matrix - self.mean if self.mean is not None else matrix
        return out * self.scale if self.scale is not None else out.copy()

    def apply_row(self, values: list[float]) -> list[float]:
        if self._mean_row is not None:
            values = [x - m for x, m in zip(values, self._mean_row, strict=True)]
        if self._scale_row is not None:
            values = [x * s for x, s in zip(values, self._scale_row, strict=True)]
        return values
