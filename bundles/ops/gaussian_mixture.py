"""gaussian_mixture: Spark `GaussianMixtureModel`: the most probable component and each one's probability.

Attributes `weights` (list), `means` (list of tensors), `covs` (list of [n, n] tensors, column-major).
Ports `features` -> `probability` (vector, when set), `prediction` (an integer column: the argmax).

Spark 3.5's `MultivariateGaussian`, step for step: breeze `eigSym` of the covariance (LAPACK dsyev on the JVM's
F2J reference LAPACK: `jvm.lapack.dsyev`, bit for bit); tol = EPSILON * max(d) * n; the log
pseudo-determinant sums log(d) over d > tol from 0.0; rootSigmaInv[i, j] = sqrt(1 / d_i) * U[j, i] (0 where
d_i <= tol), stored column-major; rootSigmaInvMulMu = rootSigmaInv mean and, per point,
v = rootSigmaInvMulMu - rootSigmaInv x (both Java11BLAS dgemv "N": `ColumnMajorGemv`), logpdf = u - 0.5 * v.v
(Java11BLAS ddot); from a Spark 4 bundle, VectorBLAS's dgemv and ddot (`bundles.provenance`). A sparse x
takes Spark's sparse gemv instead: v_i = -(x's stored entries times
rootSigmaInv[i, k], summed from 0.0 in index order) + rootSigmaInvMulMu_i. Per component
p = EPSILON + weight * exp(logpdf), divided by the sum of the p added in order.
Exact but for `Math.log` / `Math.exp`: the JVM's intrinsics are not correctly rounded and differ from the C
library's by one ulp for about 0.01 % (log) and 0.24 % (exp) of arguments (measured on 10**6 each). A one-ulp exp
moves that probability by ~2e-16 relative; a one-ulp log of an eigenvalue moves u, hence logpdf, by one ulp of u
(<= |logpdf| * 2.2e-16 relative on exp(logpdf), < 2e-13 while it is representable). Stated tolerance: 1e-12
relative (measured: see tests/bundles/test_bundle_model_clustering.py); the predicted component is Spark's.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import PREDICTION, PROBABILITY, ModelOp, spark_argmax, spark_argmax_row, spark_shape
from jvm.java_math import exp, exp_row, log_row
from jvm.lapack import dsyev
from jvm.linalg import EPSILON, JAVA11, ColumnMajorGemv, ddot_row, ddot_rows, sequential_sum, sparse_dot, sparse_dot_row
from jvm.vectors import SparseMatrix, SparseVector


class Gaussian:
    """One component: `logpdf` as Spark's MultivariateGaussian computes it (see the module docstring)."""

    def __init__(self, mean: np.ndarray, cov: np.ndarray, vector_lanes: int = JAVA11):
        self.mean = np.asarray(mean, dtype=np.float64)
        self.vector_lanes = vector_lanes
        n = len(self.mean)
        try:
            d, u, info = dsyev(np.asarray(cov, dtype=np.float64).reshape(n, n))
        except ValueError as exc:
            raise ValueError(f"covariance: {exc}") from None
        if info > 0:
            raise ValueError(f"the covariance's eigen-decomposition did not converge (LAPACK dsyev info {info}); "
                             "Spark fails on it too (breeze NotConvergedException)")
        self.eigenvalues = d
        tol = EPSILON * float(np.max(d)) * n
        kept = [x > tol for x in d.tolist()]  # none kept (a degenerate component): logpdf is the constant, as in Spark
        log_pseudo_det = 0.0
        for x, keep in zip(d.tolist(), kept, strict=True):
            if keep:
                log_pseudo_det += log_row(x)
        scale = np.array([math.sqrt(1.0 / x) if keep else 0.0 for x, keep in zip(d.tolist(), kept, strict=True)])
        # breeze diag(scale) * u.t through dgemm: one non-zero product per entry, a dropped one +0.0
        self.root_sigma_inv = scale[:, None] * u.T + 0.0
        self.gemv = ColumnMajorGemv(self.root_sigma_inv, vector_lanes)
        self.root_rows = self.root_sigma_inv.tolist()
        self.root_mu = self.gemv.apply_row(self.mean.tolist(), 1.0, 0.0, [0.0] * n)
        self.u = -0.5 * (n * log_row(2.0 * math.pi) + log_pseudo_det)

    def logpdf(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        if isinstance(matrix, SparseMatrix):  # Spark's gemv(dense A, sparse x): sum * -1.0 + 1.0 * y per row of A
            z = np.column_stack([-sparse_dot(matrix, w) + mu for w, mu in zip(self.root_sigma_inv, self.root_mu,
                                                                               strict=True)])
        else:
            z = self.gemv.apply(matrix, -1.0, 1.0, np.array(self.root_mu))
        return self.u - 0.5 * ddot_rows(z, self.vector_lanes)

    def logpdf_row(self, values: list[float] | SparseVector) -> float:
        if isinstance(values, SparseVector):
            z = [-sparse_dot_row(values, w) + mu for w, mu in zip(self.root_rows, self.root_mu, strict=True)]
        else:
            z = self.gemv.apply_row(values, -1.0, 1.0, self.root_mu)
        return self.u - 0.5 * ddot_row(z, self.vector_lanes)


class GaussianMixture(ModelOp):
    op_name = "gaussian_mixture"
    spark_classes = ("GaussianMixtureModel",)
    output_ports: ClassVar[tuple[str, ...]] = (PROBABILITY, PREDICTION)
    sparse_features = True  # sparse points take Spark's sparse gemv (see Gaussian.logpdf)

    def __init__(self, name: str, shape: Shape, weights: list[float], means: list[np.ndarray], covs: list[np.ndarray],
                 vector_lanes: int = JAVA11):
        if not weights or len(weights) != len(means) or len(means) != len(covs):
            raise BundleError(f"node {name!r}: gaussian_mixture needs as many weights, means and covs (> 0)")
        super().__init__(name, shape, len(means[0]))
        self.weights = [float(w) for w in weights]
        self.means = [np.asarray(m, dtype=np.float64).ravel() for m in means]
        self.covs = [np.asarray(c, dtype=np.float64).reshape(len(m), len(m)) for m, c in zip(self.means, covs,
                                                                                              strict=True)]
        try:
            self.components = [Gaussian(m, c, vector_lanes) for m, c in zip(self.means, self.covs, strict=True)]
        except ValueError as exc:
            raise BundleError(f"node {name!r}: gaussian_mixture: {exc}") from None

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> GaussianMixture:
        return cls(name, shape, attrs.doubles("weights"), attrs.tensors("means"), attrs.tensors("covs"),
                   ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"means": v.tensors(self.means), "covs": v.tensors(self.covs),
                "weights": v.doubles(self.weights)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        gaussians = stage.gaussians
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), list(stage.weights),
                    [g.mean.toArray() for g in gaussians], [g.cov.toArray() for g in gaussians], ctx.vector_lanes)]

    def probabilities(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        p = np.column_stack([EPSILON + w * exp(g.logpdf(matrix)) for g, w in zip(self.components, self.weights,
                                                                                 strict=True)])
        with np.errstate(divide="ignore", invalid="ignore"):
            return p / sequential_sum(p)[:, None]

    def outputs(self, matrix: np.ndarray | SparseMatrix, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        probability = self.probabilities(matrix)
        return {PROBABILITY: probability, PREDICTION: spark_argmax(probability).astype(np.int64)}

    def outputs_row(self, values: list[float] | SparseVector, ports: tuple[str, ...]) -> dict[str, Any]:
        p = [EPSILON + w * exp_row(g.logpdf_row(values)) for g, w in zip(self.components, self.weights,
                                                                         strict=True)]
        total = 0.0
        for x in p:
            total += x
        with np.errstate(divide="ignore", invalid="ignore"):
            probability = (np.array(p) / total).tolist()
        return {PROBABILITY: probability, PREDICTION: int(spark_argmax_row(probability))}


