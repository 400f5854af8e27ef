"""linear_regression: Spark `LinearRegressionModel`: prediction = BLAS.dot(x, coefficients) + intercept.

Attributes `coefficients` (tensor), `intercept` (`{}` or absent: 0.0); ports `features` -> `prediction`.
Exact: the dot product is Spark's own (netlib ddot with fused multiply-adds, `jvm.linalg`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import Regressor, spark_shape
from jvm.linalg import JAVA11, DotWeights


class LinearRegression(Regressor):
    op_name = "linear_regression"
    spark_classes = ("LinearRegressionModel",)
    sparse_features = True  # Spark's BLAS.dot over a sparse vector's non-zeros, in index order (jvm.linalg)

    def __init__(self, name: str, shape: Shape, coefficients: np.ndarray, intercept: float = 0.0,
                 vector_lanes: int = JAVA11):
        coefficients = np.asarray(coefficients, dtype=np.float64)
        super().__init__(name, shape, len(coefficients))
        self.coefficients = coefficients
        self.intercept = float(intercept)
        self.weights = DotWeights(coefficients, vector_lanes=vector_lanes)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> LinearRegression:
        return cls(name, shape, attrs.tensor("coefficients"), attrs.double("intercept", 0.0), ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"coefficients": v.tensor(self.coefficients), "intercept": v.double(self.intercept)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), stage.coefficients.toArray(), stage.intercept,
                    ctx.vector_lanes)]

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.weights.dot(matrix) + self.intercept

    def predict_row(self, values: list[float]) -> float:
        return self.weights.dot_row(values) + self.intercept
