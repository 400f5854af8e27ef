"""gaussian_mixture: Spark `GaussianMixtureModel`: the most probable component and each one's probability.

Attributes `weights` (list), `means` (list of tensors), `covs` (list of [n, n] tensors, column-major).
Ports `features` -> `probability` (vector, when set), `prediction` (an integer column: the argmax).

As Spark's `MultivariateGaussian.logpdf`: the covariance's eigen-decomposition gives a pseudo-inverse root
(eigenvalues at or below EPSILON * max * n are dropped) and the log pseudo-determinant; per component
p = EPSILON + weight * exp(logpdf(x)), divided by the sum of the p. Spark decomposes with
LAPACK through netlib's JVM port, we with NumPy's LAPACK: the eigenvectors differ in the last bits, and a
near-singular covariance amplifies that. Measured against Spark: probabilities within 1e-9 relative or
1e-14 absolute (tiny probabilities of degenerate components), not the 1e-12 relative asked of other ops;
the predicted component is Spark's except where two components are that close.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from bundles import values as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.linalg import EPSILON, exp, log_row, sequential_sum
from bundles.ops.base import Op, Shape
from bundles.predictors import PREDICTION, PROBABILITY, ModelOp, spark_argmax, spark_argmax_row, spark_shape


class Gaussian:
    """One component: `logpdf` as Spark's MultivariateGaussian computes it."""

    def __init__(self, mean: np.ndarray, cov: np.ndarray):
        self.mean = np.asarray(mean, dtype=np.float64)
        d, u = np.linalg.eigh(np.asarray(cov, dtype=np.float64))
        tol = EPSILON * float(np.max(d)) * len(self.mean)
        kept = d > tol  # none kept (a degenerate component): logpdf is the constant, as in Spark
        log_pseudo_det = float(sum(log_row(x) for x in d[kept]))
        scale = np.where(kept, np.sqrt(1.0 / np.where(kept, d, 1.0)), 0.0)
        self.root_sigma_inv = scale[:, None] * u.T
        self.u = -0.5 * (len(self.mean) * log_row(2.0 * math.pi) + log_pseudo_det)

    def logpdf(self, matrix: np.ndarray) -> np.ndarray:
        z = (matrix - self.mean[None, :]) @ self.root_sigma_inv.T
        return self.u + sequential_sum(z * z) * -0.5


class GaussianMixture(ModelOp):
    op_name = "gaussian_mixture"
    spark_classes = ("GaussianMixtureModel",)
    output_ports: ClassVar[tuple[str, ...]] = (PROBABILITY, PREDICTION)

    def __init__(self, name: str, shape: Shape, weights: list[float], means: list[np.ndarray], covs: list[np.ndarray]):
        if not weights or len(weights) != len(means) or len(means) != len(covs):
            raise BundleError(f"node {name!r}: gaussian_mixture needs as many weights, means and covs (> 0)")
        super().__init__(name, shape, len(means[0]))
        self.weights = [float(w) for w in weights]
        self.means = [np.asarray(m, dtype=np.float64).ravel() for m in means]
        self.covs = [np.asarray(c, dtype=np.float64).reshape(len(m), len(m)) for m, c in zip(self.means, covs,
                                                                                              strict=True)]
        self.components = [Gaussian(m, c) for m, c in zip(self.means, self.covs, strict=True)]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> GaussianMixture:
        return cls(name, shape, attrs.doubles("weights"), attrs.tensors("means"), attrs.tensors("covs"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"means": v.tensors(self.means), "covs": v.tensors(self.covs),
                "weights": v.doubles(self.weights)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        gaussians = stage.gaussians
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), list(stage.weights),
                    [g.mean.toArray() for g in gaussians], [g.cov.toArray() for g in gaussians])]

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        p = np.column_stack([EPSILON + w * exp(g.logpdf(matrix)) for g, w in zip(self.components, self.weights,
                                                                                 strict=True)])
        with np.errstate(divide="ignore", invalid="ignore"):
            return p / sequential_sum(p)[:, None]

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        probability = self.probabilities(matrix)
        return {PROBABILITY: probability, PREDICTION: spark_argmax(probability).astype(np.int64)}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        probability = self.probabilities(np.array([values], dtype=np.float64))[0].tolist()
        return {PROBABILITY: probability, PREDICTION: int(spark_argmax_row(probability))}


