"""support_vector_machine: MLeap's op for spark.mllib's linear `SVMModel` (binary), as MLeap's
`SupportVectorMachineModel` runs it (0.9.6 to 0.25: the same op).

Attributes `coefficients` (tensor), `intercept`, `num_classes` (must be 2; absent: 2), `thresholds` (two
doubles, optional). Ports `features` -> `raw_prediction`, `probability`, `prediction` (each when present).
- margin = BLAS.dot(coefficients, x) + intercept (Spark's dot, `jvm.linalg`; a sparse x by its non-zeros);
- raw_prediction = [-margin, margin];
- probability = the raw vector itself: MLeap's `rawToProbabilityInPlace` is the identity (so is its Spark
  wrapper's `raw2probabilityInPlace`): not a probability;
- prediction: without thresholds the first maximum of raw, i.e. 1.0 when margin > 0 else 0.0 (NaN: 0.0),
  which is spark.mllib's `SVMModel.predict` with its default threshold 0.0; with thresholds (t0, t1) the first
  maximum of (-margin / t0, margin / t1), a zero threshold scaling to +inf (MLeap's `probabilityToPrediction`).
spark.mllib models are not pipeline stages: `from_mllib` builds the op from a fitted
`pyspark.mllib.classification.SVMModel`.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Shape
from bundles.ops.model_op import (
    FEATURES,
    PREDICTION,
    PROBABILITY,
    RAW_PREDICTION,
    ModelOp,
    require_binary,
    spark_argmax,
    spark_argmax_row,
)
from jvm.linalg import JAVA11, DotWeights


def mleap_scaled(values: np.ndarray, thresholds: list[float]) -> np.ndarray:
    """MLeap's thresholded probabilities: p / t per class, +inf where t == 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.column_stack([np.full(len(values), math.inf) if t == 0.0 else values[:, k] / t
                                for k, t in enumerate(thresholds)])


class SupportVectorMachine(ModelOp):
    op_name = "support_vector_machine"
    output_ports: ClassVar[tuple[str, ...]] = (RAW_PREDICTION, PROBABILITY, PREDICTION)
    sparse_features = True

    def __init__(self, name: str, shape: Shape, coefficients: np.ndarray, intercept: float = 0.0,
                 thresholds: list[float] | None = None, vector_lanes: int = JAVA11):
        coefficients = np.asarray(coefficients, dtype=np.float64)
        super().__init__(name, shape, len(coefficients))
        if thresholds is not None and len(thresholds) != 2:
            raise BundleError(f"node {name!r}: support_vector_machine needs 2 thresholds, got {len(thresholds)}")
        self.coefficients = coefficients
        self.intercept = float(intercept)
        self.thresholds = None if thresholds is None else [float(t) for t in thresholds]
        self.weights = DotWeights(coefficients, vector_lanes=vector_lanes)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> SupportVectorMachine:
        require_binary(attrs, name, cls.op_name)
        return cls(name, shape, attrs.tensor("coefficients"), attrs.double("intercept", 0.0),
                   attrs.doubles("thresholds", None), ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"coefficients": v.tensor(self.coefficients), "intercept": v.double(self.intercept),
                 "num_classes": v.long(2)}
        if self.thresholds is not None:
            attrs["thresholds"] = v.doubles(self.thresholds)
        return attrs, self.shape

    @classmethod
    def from_mllib(cls, model: Any, name: str = "svm", features: str = FEATURES,
                   outputs: tuple[str, ...] = (RAW_PREDICTION, PROBABILITY, PREDICTION),
                   vector_lanes: int = JAVA11) -> SupportVectorMachine:
        """The op of a fitted `pyspark.mllib.classification.SVMModel`; `outputs` are the ports to write (each
        into the column of its port's name); `vector_lanes`: the BLAS order of its Spark (`bundles.provenance`).
        Its threshold must be the default 0.0 or cleared (MLeap's op predicts margin > 0): another threshold is
        refused."""
        threshold = model.threshold
        if threshold is not None and threshold != 0.0:
            raise BundleError(f"node {name!r}: MLeap's support_vector_machine predicts margin > 0; the SVMModel's "
                              f"threshold {threshold} cannot be written (clear it or set it to 0.0)")
        shape = Shape([(FEATURES, features)], [(port, port) for port in outputs])
        return cls(name, shape, model.weights.toArray(), model.intercept, vector_lanes=vector_lanes)

    def params(self) -> dict[str, Any]:
        return {"features": len(self.coefficients), "thresholds": self.thresholds}

    def _predict(self, raw: np.ndarray) -> np.ndarray:
        return spark_argmax(raw if self.thresholds is None else mleap_scaled(raw, self.thresholds))

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        margin = self.weights.dot(matrix) + self.intercept
        raw = np.column_stack([-margin, margin])
        return {RAW_PREDICTION: raw, PROBABILITY: raw.copy(), PREDICTION: self._predict(raw)}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        margin = self.weights.dot_row(values) + self.intercept
        raw = [-margin, margin]
        scaled = raw if self.thresholds is None else [math.inf if t == 0.0 else p / t
                                                      for p, t in zip(raw, self.thresholds, strict=True)]
        return {RAW_PREDICTION: raw, PROBABILITY: list(raw), PREDICTION: spark_argmax_row(scaled)}
