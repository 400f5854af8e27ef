"""naive_bayes: Spark `NaiveBayesModel`: multinomial, bernoulli, complement and gaussian.

Attributes `num_features`, `num_classes`, `pi` (log class priors), `theta` (tensor [classes, features],
column-major), `sigma` (same shape, gaussian only), `model_type`, `thresholds` (when set).

Raw prediction as Spark computes it (theta stored row-major, so its gemv is one fused multiply-add
chain per class on Spark 3.5, VectorBLAS's lanes on Spark 4 as the bundle records: `jvm.linalg.MatrixWeights`):
- multinomial: pi + theta x (x must be non-negative);
- complement: theta x, minus its log-sum-exp (max subtracted; x non-negative);
- bernoulli: (pi + row sums of log1p(-exp(theta))) + (theta - log1p(-exp(theta))) x (x must be 0 or 1);
- gaussian: (pi - 0.5 * row sums of log(sigma)) - 0.5 * sum_j (x_j - theta_ij)^2 / sigma_ij.
Sparse features stay sparse (Spark's gemv over a SparseVector's non-zeros, in index order): the cost is the
non-zeros times the classes; only gaussian reads every feature (as Spark's loop does) and densifies.
Probability: Spark's softmax (`jvm.linalg.softmax`). Multinomial raw predictions are exact; the other
types go through Java's exp/log (not reproducible by the C library): within 1e-12 relative.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import ProbabilisticClassifier, read_thresholds, spark_shape, spark_thresholds
from jvm.java_math import exp, exp_row, log, log1p_row, log_row
from jvm.linalg import JAVA11, MatrixWeights, ordered_sums, softmax, softmax_row
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix, dense_row

MODEL_TYPES = ("multinomial", "bernoulli", "complement", "gaussian")
ZERO = 0.0


class NaiveBayes(ProbabilisticClassifier):
    op_name = "naive_bayes"
    spark_classes = ("NaiveBayesModel",)
    sparse_features = True  # raw predictions of sparse features as Spark's sparse gemv (jvm.linalg)

    def __init__(self, name: str, shape: Shape, pi: np.ndarray, theta: np.ndarray, model_type: str = "multinomial",
                 sigma: np.ndarray | None = None, thresholds: list[float] | None = None,
                 vector_lanes: int = JAVA11):
        if model_type not in MODEL_TYPES:
            raise BundleError(f"node {name!r}: naive_bayes model_type must be one of {MODEL_TYPES}")
        pi = np.asarray(pi, dtype=np.float64)
        theta = np.asarray(theta, dtype=np.float64).reshape(len(pi), -1)
        super().__init__(name, shape, len(pi), theta.shape[1], thresholds)
        self.pi, self.theta, self.model_type = pi, theta, model_type
        self.sigma = None if sigma is None else np.asarray(sigma, dtype=np.float64).reshape(theta.shape)
        if model_type == "gaussian" and (self.sigma is None or self.sigma.size != theta.size):
            raise BundleError(f"node {name!r}: a gaussian naive_bayes needs sigma of shape {theta.shape}")
        if model_type == "multinomial":
            self.gemv = MatrixWeights(theta, pi, vector_lanes=vector_lanes)
        elif model_type == "complement":
            self.gemv = MatrixWeights(theta, np.zeros(len(pi)), vector_lanes=vector_lanes)
        elif model_type == "bernoulli":
            neg_theta = np.fromiter((log1p_row(-exp_row(t)) for t in theta.ravel().tolist()), dtype=np.float64,
                                    count=theta.size).reshape(theta.shape)
            # pi + Spark's gemv of the row-major negTheta with a vector of ones (Java11BLAS: the row's values
            # added in order from 0.0)
            base = MatrixWeights(neg_theta, pi, vector_lanes=vector_lanes).apply(np.ones((1, theta.shape[1])))[0]
            self.gemv = MatrixWeights(theta - neg_theta, base, vector_lanes=vector_lanes)
        else:
            log_vars = log(self.sigma)
            self.base = (-0.5 * (ordered_sums(log_vars) + 0.0)) + pi
            self._theta_rows, self._sigma_rows = theta.tolist(), self.sigma.tolist()
            self._base_row = self.base.tolist()

    # reader / writer
    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> NaiveBayes:
        # MLeap's own writer spells it as its Scala case object: "Multinomial", "Bernoulli"
        model_type = (attrs.string("model_type", "multinomial") or "multinomial").lower()
        sigma = attrs.matrix("sigma", None) if model_type == "gaussian" else None
        return cls(name, shape, attrs.tensor("pi"), attrs.matrix("theta"), model_type, sigma, read_thresholds(attrs),
                   ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"num_features": v.long(self.num_features), "num_classes": v.long(self.num_classes),
                 "pi": v.tensor(self.pi), "theta": v.matrix(self.theta), "model_type": v.string(self.model_type)}
        if self.sigma is not None:
            attrs["sigma"] = v.matrix(self.sigma)
        if self.thresholds is not None:
            attrs["thresholds"] = v.doubles(self.thresholds.tolist())
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        if not stage.theta.isTransposed:
            raise BundleError(f"{stage.uid}: NaiveBayesModel with a column-major theta is not supported")
        model_type = stage.getModelType()
        sigma = stage.sigma.toArray() if model_type == "gaussian" else None
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), stage.pi.toArray(), stage.theta.toArray(),
                    model_type, sigma, spark_thresholds(stage), ctx.vector_lanes)]

    # runtime
    def _check(self, matrix: np.ndarray | SparseMatrix) -> None:
        """Spark's requirement on the values (a sparse row's stored values; its absent zeros pass)."""
        values = matrix.values if isinstance(matrix, SparseMatrix) else matrix
        if self.model_type in ("multinomial", "complement"):
            good = values >= 0
            message = "naive Bayes requires non-negative feature values"
        elif self.model_type == "bernoulli":
            good = (values == 0) | (values == 1)
            message = "Bernoulli naive Bayes requires 0 or 1 feature values"
        else:
            return
        if good.all():
            return
        if isinstance(matrix, SparseMatrix):
            row = int(matrix.row_ids()[np.argmin(good)])
        else:
            row = int(np.argmax(~good.all(axis=1)))
        raise TransformError(f"row {row}: {message}", column=self.features_col)

    def raw(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        self._check(matrix)
        if self.model_type == "gaussian":
            matrix = dense_matrix(matrix)
            s = np.zeros((len(matrix), self.num_classes))
            for j in range(self.num_features):
                d = matrix[:, j:j + 1] - self.theta[None, :, j]
                s = s + d * d / self.sigma[None, :, j]
            return self.base[None, :] - 0.5 * s
        raw = self.gemv.apply(matrix)
        if self.model_type == "complement":
            top = raw.max(axis=1)
            total = np.zeros(len(raw))
            for k in range(raw.shape[1]):
                total = total + exp(raw[:, k] - top)
            raw = raw - (log(total) + top)[:, None]
        return raw

    def raw_row(self, values: list[float] | SparseVector) -> list[float]:
        stored = values.values if isinstance(values, SparseVector) else values
        if self.model_type not in ("multinomial", "complement") or not all(map(ZERO.__le__, stored)):
            self._check(np.array([stored], dtype=np.float64))  # (NaN fails 0.0 <= x too)
        if self.model_type == "gaussian":
            values = dense_row(values)
            out = []
            for base, mean, var in zip(self._base_row, self._theta_rows, self._sigma_rows, strict=True):
                s = 0.0
                for x, m, sv in zip(values, mean, var, strict=True):
                    d = x - m
                    s += d * d / sv
                out.append(base - 0.5 * s)
            return out
        raw = self.gemv.apply_row(values)
        if self.model_type == "complement":
            top = max(raw)
            total = 0.0
            for r in raw:
                total += exp_row(r - top)
            lse = log_row(total) + top
            raw = [r - lse for r in raw]
        return raw

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        return softmax(raw)

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        return softmax_row(raw)

