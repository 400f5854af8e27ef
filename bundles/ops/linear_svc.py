"""linear_svc: Spark `LinearSVCModel` (binary; not probabilistic).

Attributes `num_classes` (2), `coefficients`, `intercept`, `threshold` (on the margin; absent or `{}`: 0.0).
Ports `features` -> `raw_prediction` [-margin, margin] (when set), `prediction` = margin > threshold.
Exact: margin = BLAS.dot(x, coefficients) + intercept, Spark's own dot product (`jvm.linalg`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import Classifier, require_binary, spark_shape
from jvm.linalg import JAVA11, DotWeights


class LinearSVC(Classifier):
    op_name = "linear_svc"
    spark_classes = ("LinearSVCModel",)
    sparse_features = True  # Spark's BLAS.dot over a sparse vector's non-zeros, in index order (jvm.linalg)

    def __init__(self, name: str, shape: Shape, coefficients: np.ndarray, intercept: float = 0.0,
                 threshold: float = 0.0, vector_lanes: int = JAVA11):
        coefficients = np.asarray(coefficients, dtype=np.float64)
        super().__init__(name, shape, 2, len(coefficients))
        self.coefficients = coefficients
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self.weights = DotWeights(coefficients, vector_lanes=vector_lanes)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> LinearSVC:
        require_binary(attrs, name, cls.op_name)
        return cls(name, shape, attrs.tensor("coefficients"), attrs.double("intercept", 0.0),
                   attrs.double("threshold", 0.0), ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9":
            raise BundleError(f"node {self.name!r}: MLeap 0.9 has no linear_svc op (added in MLeap 0.10); "
                              "write target 0.20")
        return {"num_classes": v.long(2), "coefficients": v.tensor(self.coefficients),
                "intercept": v.double(self.intercept), "threshold": v.double(self.threshold)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), stage.coefficients.toArray(), stage.intercept,
                    stage.getThreshold(), ctx.vector_lanes)]

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        margin = self.weights.dot(matrix) + self.intercept
        return np.column_stack([-margin, margin])

    def raw_row(self, values: list[float]) -> list[float]:
        margin = self.weights.dot_row(values) + self.intercept
        return [-margin, margin]

    def raw_to_prediction(self, raw: np.ndarray) -> np.ndarray:
        return (raw[:, 1] > self.threshold).astype(np.float64)

    def raw_to_prediction_row(self, raw: list[float]) -> float:
        return 1.0 if raw[1] > self.threshold else 0.0
