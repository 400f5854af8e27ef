"""logistic_regression: Spark `LogisticRegressionModel`, binary and multinomial.

Attributes: `num_classes` (long). Binary: `coefficients` (tensor), `intercept`, `threshold` (absent: 0.5;
`{}`: 0.0). Multinomial: `coefficient_matrix` (tensor [classes, features], column-major), `intercept_vector`,
`thresholds` (only when set). A 2-class model trained with family="multinomial" is written in the matrix
form (MLeap's own writer cannot serialize it; its reader needs more than 2 classes for that form).
`coefficient_layout` (our addition, ignored by MLeap; absent = "dense_row"): how Spark stored the matrix
(dense or sparse, row- or column-major), which fixes Spark's summation order (`jvm.linalg.MatrixWeights`).

Arithmetic, as Spark does it (dot and gemv in the BLAS order of the Spark the bundle records, 3.5's or 4's:
`bundles.provenance`):
- binary: margin = BLAS.dot(x, coefficients) + intercept (exact, `jvm.linalg`); raw = [-margin, margin];
  probability p0 = 1 / (1 + exp(-raw0)), p1 = 1 - p0; prediction from the raw margin against
  log(t / (1 - t)) (-inf for t = 0, +inf for t = 1), from p1 > t without a raw column, and from the score
  1 / (1 + exp(-margin)) > t without either.
- multinomial: margins = Spark's gemv in the stored layout (exact but for a dense column-major matrix);
  probability = softmax with the max subtracted (`Utils.softmax`: +inf margin -> one-hot; sum of exps, then
  scaled by 1 / sum); prediction = argmax of raw, or probability / thresholds when thresholds are set.
Raw predictions are exact; probabilities are within 1e-12 relative of Spark's (Java's `Math.exp` is not
correctly rounded and no C library reproduces it: see `jvm.linalg`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import (
    PREDICTION,
    PROBABILITY,
    RAW_PREDICTION,
    ProbabilisticClassifier,
    spark_shape,
    spark_thresholds,
)
from jvm.java_math import exp, exp_row
from jvm.linalg import JAVA11, LAYOUTS, DotWeights, MatrixWeights, softmax, softmax_row, spark_matrix_layout

DEFAULT_THRESHOLD = 0.5


class LogisticRegression(ProbabilisticClassifier):
    op_name = "logistic_regression"
    spark_classes = ("LogisticRegressionModel",)
    sparse_features = True  # margins of sparse features as Spark's sparse dot / gemv (jvm.linalg)

    def __init__(self, name: str, shape: Shape, coefficients: np.ndarray, intercepts: np.ndarray,
                 multinomial: bool, threshold: float = DEFAULT_THRESHOLD, thresholds: list[float] | None = None,
                 layout: str = "dense_row", vector_lanes: int = JAVA11):
        """`coefficients`: (classes, features) when multinomial, else (features,); `intercepts` likewise."""
        coefficients = np.asarray(coefficients, dtype=np.float64)
        intercepts = np.atleast_1d(np.asarray(intercepts, dtype=np.float64))
        if multinomial:
            if coefficients.ndim != 2 or coefficients.shape[0] != len(intercepts):
                raise BundleError(f"node {name!r}: coefficient_matrix {coefficients.shape} does not match "
                                  f"{len(intercepts)} intercepts")
            classes, features = coefficients.shape
        else:
            classes, features = 2, len(coefficients)
        super().__init__(name, shape, classes, features, thresholds if multinomial else None)
        self.multinomial = multinomial
        self.coefficients = coefficients
        self.intercepts = intercepts
        self.threshold = float(threshold)
        if multinomial:
            if layout not in LAYOUTS:
                raise BundleError(f"node {name!r}: coefficient_layout must be one of {LAYOUTS}")
            self.layout = layout
            self.margins = MatrixWeights(coefficients, intercepts, layout, vector_lanes)
        else:
            self.weights = DotWeights(coefficients, vector_lanes=vector_lanes)
            self.intercept = float(intercepts[0])
            t = self.threshold
            self.raw_threshold = -math.inf if t == 0.0 else math.inf if t == 1.0 else math.log(t / (1.0 - t))

    # reader / writer
    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> LogisticRegression:
        if "coefficient_matrix" in attrs:
            return cls(name, shape, attrs.matrix("coefficient_matrix"), attrs.tensor("intercept_vector"), True,
                       thresholds=attrs.doubles("thresholds", None),
                       layout=attrs.string("coefficient_layout", "dense_row"), vector_lanes=ctx.vector_lanes)
        return cls(name, shape, attrs.tensor("coefficients"), np.array([attrs.double("intercept", 0.0)]), False,
                   threshold=attrs.double("threshold", DEFAULT_THRESHOLD), vector_lanes=ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"num_classes": v.long(self.num_classes)}
        if self.multinomial:
            attrs["coefficient_matrix"] = v.matrix(self.coefficients)
            attrs["intercept_vector"] = v.tensor(self.intercepts)
            if self.thresholds is not None:
                attrs["thresholds"] = v.doubles(self.thresholds.tolist())
            if self.layout != "dense_row":
                attrs["coefficient_layout"] = v.string(self.layout)
        else:
            if ctx.target == "0.9" and self.threshold != DEFAULT_THRESHOLD and len(self.shape.outputs) > 1:
                raise BundleError(f"node {self.name!r}: MLeap 0.9 ignores a binary logistic regression threshold "
                                  f"({self.threshold}) once raw prediction or probability is output (it takes the "
                                  "argmax); write target 0.20")
            attrs["coefficients"] = v.tensor(self.coefficients)
            attrs["intercept"] = v.double(self.intercept)
            attrs["threshold"] = v.double(self.threshold)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = spark_shape(stage, cls.output_ports)
        family = stage.getOrDefault("family")
        if family == "multinomial" or (family == "auto" and stage.numClasses > 2):
            matrix = stage.coefficientMatrix
            return [cls(stage.uid, shape, matrix.toArray(), stage.interceptVector.toArray(), True,
                        thresholds=spark_thresholds(stage), layout=spark_matrix_layout(matrix),
                        vector_lanes=ctx.vector_lanes)]
        return [cls(stage.uid, shape, stage.coefficients.toArray(), np.array([stage.intercept]), False,
                    threshold=stage.getThreshold(), vector_lanes=ctx.vector_lanes)]

    # runtime
    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """Binary: a list of the right size through the generated dot product (`DotWeights.row_function`) and
        the same steps as `outputs_row`; anything else (and multinomial) through `transform_row`."""
        if self.multinomial:
            return self.transform_row
        features, size, intercept = self.features_col, self.num_features, self.intercept
        dot = self.weights.row_function()
        raw_col, probability_col, prediction_col = (self.columns.get(p) for p in (RAW_PREDICTION, PROBABILITY,
                                                                                  PREDICTION))
        raw_threshold, threshold, general = self.raw_threshold, self.threshold, self.transform_row

        def run(row: dict[str, Any]) -> None:
            x = row[features]
            if x.__class__ is not list or len(x) != size:
                general(row)
                return
            try:
                margin = dot(x) + intercept
            except TypeError:  # not numbers: transform_row names the column
                general(row)
                return
            if raw_col is not None:
                row[raw_col] = [-margin, margin]
                if probability_col is not None:
                    try:  # exp_row inlined: raw_to_probability_row's exp(-raw[0])
                        p0 = 1.0 / (1.0 + math.exp(margin))
                    except OverflowError:
                        p0 = 0.0  # 1 / (1 + inf)
                    row[probability_col] = [p0, 1.0 - p0]
                row[prediction_col] = 1.0 if margin > raw_threshold else 0.0
            elif probability_col is not None:
                p0 = 1.0 / (1.0 + exp_row(margin))
                row[probability_col] = [p0, 1.0 - p0]
                row[prediction_col] = 1.0 if 1.0 - p0 > threshold else 0.0
            else:
                row[prediction_col] = 1.0 if 1.0 / (1.0 + exp_row(-margin)) > threshold else 0.0

        return run

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        if self.multinomial:
            return self.margins.apply(matrix)
        margin = self.weights.dot(matrix) + self.intercept
        return np.column_stack([-margin, margin])

    def raw_row(self, values: list[float]) -> list[float]:
        if self.multinomial:
            return self.margins.apply_row(values)
        margin = self.weights.dot_row(values) + self.intercept
        return [-margin, margin]

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        if self.multinomial:
            return softmax(raw)
        p0 = 1.0 / (1.0 + exp(-raw[:, 0]))
        return np.column_stack([p0, 1.0 - p0])

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        if self.multinomial:
            return softmax_row(raw)
        p0 = 1.0 / (1.0 + exp_row(-raw[0]))
        return [p0, 1.0 - p0]

    def raw_to_prediction(self, raw: np.ndarray) -> np.ndarray:
        if self.multinomial:
            return super().raw_to_prediction(raw)
        return (raw[:, 1] > self.raw_threshold).astype(np.float64)

    def raw_to_prediction_row(self, raw: list[float]) -> float:
        if self.multinomial:
            return super().raw_to_prediction_row(raw)
        return 1.0 if raw[1] > self.raw_threshold else 0.0

    def probability_to_prediction(self, probability: np.ndarray) -> np.ndarray:
        if self.multinomial:
            return super().probability_to_prediction(probability)
        return (probability[:, 1] > self.threshold).astype(np.float64)

    def probability_to_prediction_row(self, probability: list[float]) -> float:
        if self.multinomial:
            return super().probability_to_prediction_row(probability)
        return 1.0 if probability[1] > self.threshold else 0.0

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        if self.multinomial:
            return super().predict(matrix)
        score = 1.0 / (1.0 + exp(-(self.weights.dot(matrix) + self.intercept)))
        return (score > self.threshold).astype(np.float64)

    def predict_row(self, values: list[float]) -> float:
        if self.multinomial:
            return super().predict_row(values)
        score = 1.0 / (1.0 + exp_row(-(self.weights.dot_row(values) + self.intercept)))
        return 1.0 if score > self.threshold else 0.0
