"""aft_survival_regression: Spark `AFTSurvivalRegressionModel` (Weibull accelerated failure time).

Attributes `coefficients`, `intercept`, `scale`, `quantile_probabilities` (list). Ports `features` ->
`prediction` = exp(BLAS.dot(coefficients, x) + intercept) and, when set, `quantiles` = prediction *
exp(log(-log1p(-p)) * scale) per probability p (Spark precomputes the second factor and scales it).
Within 1e-12 relative of Spark: the dot product is exact, the exp/log are the C library's, not Java's
(`jvm.linalg`).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import PREDICTION, Regressor, spark_shape
from jvm.java_math import exp, exp_row, log_row
from jvm.linalg import JAVA11, DotWeights

QUANTILES = "quantiles"


class AFTSurvivalRegression(Regressor):
    op_name = "aft_survival_regression"
    spark_classes = ("AFTSurvivalRegressionModel",)
    sparse_features = True  # Spark's BLAS.dot over a sparse vector's non-zeros, in index order (jvm.linalg)
    output_ports: ClassVar[tuple[str, ...]] = (PREDICTION, QUANTILES)

    def __init__(self, name: str, shape: Shape, coefficients: np.ndarray, intercept: float, scale: float,
                 quantile_probabilities: list[float], vector_lanes: int = JAVA11):
        coefficients = np.asarray(coefficients, dtype=np.float64)
        super().__init__(name, shape, len(coefficients))
        self.coefficients = coefficients
        self.intercept = float(intercept)
        self.scale = float(scale)
        self.quantile_probabilities = [float(p) for p in quantile_probabilities]
        self.weights = DotWeights(coefficients, vector_lanes=vector_lanes)
        self.factors = [exp_row(log_row(-math.log1p(-p)) * self.scale) for p in self.quantile_probabilities]
        self._factors = np.array(self.factors, dtype=np.float64)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> AFTSurvivalRegression:
        return cls(name, shape, attrs.tensor("coefficients"), attrs.double("intercept", 0.0),
                   attrs.double("scale", 0.0), attrs.doubles("quantile_probabilities", []), ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"coefficients": v.tensor(self.coefficients), "intercept": v.double(self.intercept),
                "quantile_probabilities": v.doubles(self.quantile_probabilities),
                "scale": v.double(self.scale)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), stage.coefficients.toArray(), stage.intercept,
                    stage.scale, list(stage.getQuantileProbabilities()), ctx.vector_lanes)]

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return exp(self.weights.dot(matrix) + self.intercept)

    def predict_row(self, values: list[float]) -> float:
        return exp_row(self.weights.dot_row(values) + self.intercept)

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        prediction = self.predict(matrix)
        return {PREDICTION: prediction, QUANTILES: prediction[:, None] * self._factors[None, :]}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        prediction = self.predict_row(values)
        return {PREDICTION: prediction, QUANTILES: [prediction * f for f in self.factors]}
