"""generalized_linear_regression: Spark `GeneralizedLinearRegressionModel`, every family and link Spark has.

Attributes `coefficients`, `intercept`, `family` (gaussian, binomial, poisson, gamma, tweedie), `link`
(absent: the family's default; always written, MLeap 0.9.6 requires it). MLeap's runtime has no tweedie family:
a tweedie model whose link is one of MLeap's (power 0 / 1 / -1 / 0.5) is written as the poisson (or the
gaussian / gamma it projects as) family with that link, which real MLeap loads with Spark's numbers; any other
power is written as `tweedie` with `variance_power` and, when set, `link_power` (our addition: MLeap cannot
load it). Ports `features` -> `link_prediction` (when set), `prediction`.

As Spark: eta = BLAS.dot(x, coefficients) + intercept + 0.0 (no offset column), prediction =
family.project(link.unlink(eta)); tweedie with variance power 0 / 1 / 2 is gaussian / poisson / gamma, its
link is power(link_power) (0: log, 1: identity, -1: inverse, 0.5: sqrt), by default power(1 - variance power).
The link prediction is exact; the prediction is exact for the identity, inverse and sqrt links and within
1e-12 relative for the others (Java's exp/pow/erf are not the C library's: `jvm.linalg`).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import PREDICTION, Regressor, spark_shape
from jvm.java_math import exp_row
from jvm.linalg import JAVA11, DotWeights

LINK_PREDICTION = "link_prediction"
EPSILON = 1e-16
MAX = 1.7976931348623157e308
DEFAULT_LINKS = {"gaussian": "identity", "binomial": "logit", "poisson": "log", "gamma": "inverse"}
LINKS = ("identity", "log", "inverse", "logit", "probit", "cloglog", "sqrt")
TWEEDIE_LINKS = {0.0: "log", 1.0: "identity", -1.0: "inverse", 0.5: "sqrt"}


def resolve(family: str, link: str | None, variance_power: float, link_power: float | None) -> tuple[str, str, float]:
    """(family used for projection, link name, power of a "power" link) as Spark's `FamilyAndLink`."""
    if family == "tweedie":
        projected = {0.0: "gaussian", 1.0: "poisson", 2.0: "gamma"}.get(variance_power, "tweedie")
        power = 1.0 - variance_power if link_power is None else link_power
        if link_power is None and projected != "tweedie":
            return projected, DEFAULT_LINKS[projected], power
        return projected, TWEEDIE_LINKS.get(power, "power"), power
    if family not in DEFAULT_LINKS:
        raise BundleError(f"unknown generalized linear regression family {family!r}")
    link = link or DEFAULT_LINKS[family]
    if link not in LINKS:
        raise BundleError(f"unknown generalized linear regression link {link!r}")
    return family, link, 0.0


def _normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _power(eta: float, exponent: float) -> float:
    try:
        return math.pow(eta, exponent)
    except (ValueError, OverflowError):
        return math.nan if eta < 0 else math.inf
    except ZeroDivisionError:
        return math.inf


def unlink(link: str, power: float, eta: float) -> float:
    """Spark `Link.unlink` (Java semantics: divisions by zero give infinities, never errors)."""
    if link == "identity":
        return eta
    if link == "log":
        return exp_row(eta)
    if link == "inverse":
        return 1.0 / eta if eta != 0.0 else math.copysign(math.inf, eta)
    if link == "logit":
        return 1.0 / (1.0 + exp_row(-1.0 * eta))
    if link == "probit":
        return _normal_cdf(eta)
    if link == "cloglog":
        return 1.0 - exp_row(-1.0 * exp_row(eta))
    if link == "sqrt":
        return eta * eta
    return exp_row(eta) if power == 0.0 else _power(eta, 1.0 / power)


def project(family: str, mu: float) -> float:
    """Spark `Family.project`: keep the mean in the family's range."""
    if family == "gaussian":
        return -MAX if mu == -math.inf else MAX if mu == math.inf else mu
    if family == "binomial":
        return EPSILON if mu < EPSILON else 1.0 - EPSILON if mu > 1.0 - EPSILON else mu
    return EPSILON if mu < EPSILON else MAX if math.isinf(mu) else mu


class GeneralizedLinearRegression(Regressor):
    op_name = "generalized_linear_regression"
    spark_classes = ("GeneralizedLinearRegressionModel",)
    sparse_features = True  # Spark's BLAS.dot over a sparse vector's non-zeros, in index order (jvm.linalg)
    output_ports: ClassVar[tuple[str, ...]] = (LINK_PREDICTION, PREDICTION)

    def __init__(self, name: str, shape: Shape, coefficients: np.ndarray, intercept: float, family: str,
                 link: str | None = None, variance_power: float = 0.0, link_power: float | None = None,
                 vector_lanes: int = JAVA11):
        coefficients = np.asarray(coefficients, dtype=np.float64)
        super().__init__(name, shape, len(coefficients))
        self.coefficients = coefficients
        self.intercept = float(intercept)
        self.family, self.link = family, link
        self.variance_power, self.link_power = float(variance_power), link_power
        self.projected, self.link_name, self.power = resolve(family, link, self.variance_power, link_power)
        self.weights = DotWeights(coefficients, vector_lanes=vector_lanes)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> GeneralizedLinearRegression:
        return cls(name, shape, attrs.tensor("coefficients"), attrs.double("intercept", 0.0),
                   attrs.string("family"), attrs.string("link", None) or None, attrs.double("variance_power", 0.0),
                   attrs.double("link_power", None), ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"coefficients": v.tensor(self.coefficients), "intercept": v.double(self.intercept),
                 "family": v.string(self.family), "link": v.string(self.link_name)}
        if self.family == "tweedie" and self.link_name in LINKS:
            # MLeap has no tweedie family; Spark's tweedie projects the mean as poisson and gamma do, and its
            # power links 0 / 1 / -1 / 0.5 are MLeap's log / identity / inverse / sqrt: the same prediction
            attrs["family"] = v.string("poisson" if self.projected == "tweedie" else self.projected)
        elif self.family == "tweedie":
            del attrs["link"]
            attrs["variance_power"] = v.double(self.variance_power)
            if self.link_power is not None:
                attrs["link_power"] = v.double(self.link_power)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        if stage.isDefined("offsetCol") and stage.getOrDefault("offsetCol"):
            raise BundleError(f"{stage.uid}: GeneralizedLinearRegressionModel with an offset column has no bundle "
                              "form (MLeap's op takes the features only)")
        family = stage.getFamily().lower()
        link = stage.getLink().lower() if stage.isDefined("link") else None
        link_power = stage.getLinkPower() if stage.isDefined("linkPower") else None
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), stage.coefficients.toArray(), stage.intercept,
                    family, link, stage.getVariancePower(), link_power, ctx.vector_lanes)]

    def link_row(self, values: list[float]) -> float:
        return self.weights.dot_row(values) + self.intercept + 0.0

    def fitted(self, eta: float) -> float:
        return project(self.projected, unlink(self.link_name, self.power, eta))

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.outputs(matrix, (PREDICTION,))[PREDICTION]

    def predict_row(self, values: list[float]) -> float:
        return self.fitted(self.link_row(values))

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        eta = self.weights.dot(matrix) + self.intercept + 0.0
        if self.link_name == "identity" and self.projected == "gaussian":
            mu = np.clip(eta, -MAX, MAX)
        else:
            mu = np.fromiter(map(self.fitted, eta.tolist()), dtype=np.float64, count=len(eta))
        return {LINK_PREDICTION: eta, PREDICTION: mu}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        eta = self.link_row(values)
        return {LINK_PREDICTION: eta, PREDICTION: self.fitted(eta)}
