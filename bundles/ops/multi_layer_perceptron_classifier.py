"""multi_layer_perceptron_classifier: Spark `MultilayerPerceptronClassificationModel`.

Attributes `layers` (long list: inputs, hidden sizes..., classes), `weights` (tensor: per layer, the
(out x in) matrix column-major, then the out biases), `thresholds` (when set). Ports `features` ->
`raw_prediction` (the last affine layer's output), `probability` (its softmax), `prediction`.

As Spark's `FeedForwardModel`: hidden layers are affine then sigmoid 1 / (1 + exp(-z)); the top layer is
affine; softmax subtracts the max (starting from Scala's Double.MinValue) and divides by the sum. Spark runs
the affine layers through netlib dgemm (a tiled JVM kernel with fused multiply-adds); we use one
fused multiply-add chain per output: within 1e-12 relative (the sigmoid's exp is not Java's either).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import (
    PROBABILITY,
    RAW_PREDICTION,
    ProbabilisticClassifier,
    read_thresholds,
    refuse_legacy_outputs,
    spark_shape,
    spark_thresholds,
)
from jvm.java_math import exp, exp_row
from jvm.linalg import MatrixWeights, softmax, softmax_row
from jvm.vectors import SparseMatrix, SparseVector


class MultiLayerPerceptronClassifier(ProbabilisticClassifier):
    op_name = "multi_layer_perceptron_classifier"
    spark_classes = ("MultilayerPerceptronClassificationModel",)
    sparse_features = True  # Spark densifies; the first layer skips the zeros exactly (MatrixWeights.apply_chain)

    def __init__(self, name: str, shape: Shape, layers: list[int], weights: np.ndarray,
                 thresholds: list[float] | None = None):
        layers = [int(n) for n in layers]
        weights = np.asarray(weights, dtype=np.float64)
        expected = sum(a * b + b for a, b in zip(layers, layers[1:], strict=False))
        if len(layers) < 2 or len(weights) != expected:
            raise BundleError(f"node {name!r}: layers {layers} need {expected} weights, got {len(weights)}")
        super().__init__(name, shape, layers[-1], layers[0], thresholds)
        self.layers, self.weights = layers, weights
        self.affine = []
        offset = 0
        for n_in, n_out in zip(layers, layers[1:], strict=False):
            matrix = weights[offset:offset + n_in * n_out].reshape((n_out, n_in), order="F")
            offset += n_in * n_out
            self.affine.append(MatrixWeights(matrix, weights[offset:offset + n_out]))
            offset += n_out
        self.skip_zeros = bool(np.isfinite(self.affine[0].matrix).all())  # see MatrixWeights.apply_chain

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MultiLayerPerceptronClassifier:
        return cls(name, shape, attrs.integers("layers"), attrs.tensor("weights"), read_thresholds(attrs))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        refuse_legacy_outputs(self, ctx.target, (RAW_PREDICTION, PROBABILITY))
        attrs = {"layers": v.longs(self.layers), "weights": v.tensor(self.weights)}
        if self.thresholds is not None:
            attrs["thresholds"] = v.doubles(self.thresholds.tolist())
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), list(stage.getLayers()),
                    stage.weights.toArray(), spark_thresholds(stage))]

    def raw(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        first = self.affine[0]
        if isinstance(matrix, SparseMatrix):
            out = first.apply_chain(matrix) if self.skip_zeros else first.apply(matrix.toarray())
        else:
            out = first.apply(matrix)
        for layer in self.affine[1:]:
            out = layer.apply(1.0 / (1.0 + exp(-out)))
        return out

    def raw_row(self, values: list[float] | SparseVector) -> list[float]:
        first = self.affine[0]
        if isinstance(values, SparseVector):
            out = first.apply_chain_row(values) if self.skip_zeros else first.apply_row(values.dense())
        else:
            out = first.apply_row(values)
        for layer in self.affine[1:]:
            out = layer.apply_row([1.0 / (1.0 + exp_row(-z)) for z in out])
        return out

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        return softmax(raw, divide=True)

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        return softmax_row(raw, divide=True)
