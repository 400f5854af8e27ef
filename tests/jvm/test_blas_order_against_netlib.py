"""`jvm.linalg`'s dot products and matrix-vector products against dev.ludovic.netlib's own JVM BLAS, bit for bit:
Java11BLAS (Spark 3.5's, and Spark 4's with the Vector API off) and VectorBLAS (Spark 4's launcher default) at
every lane count the JVM can be given (8 with AVX-512, 4 with AVX2, 2, 1), hundreds of calls each so that
C2's compiled kernels (the Vector API intrinsics) answer as well as the interpreted ones."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jvm.linalg import JAVA11, ColumnMajorGemv, DotWeights, MatrixWeights, ddot_row, ddot_rows
from tests.helpers.jdk import NetlibBlasOracle

pytestmark = [pytest.mark.interop, pytest.mark.filterwarnings("ignore::RuntimeWarning")]  # inf - inf: NaN, as Java

CALLS = 900  # per kernel and lane count: the oracle's JIT compiles the kernels with C2 after 200 calls


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))


def numbers(rng: np.random.Generator, n: int) -> list[float]:
    """n doubles over many magnitudes and signs (sums that cancel), with an occasional 0.0 / -0.0 / inf / NaN."""
    values = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 9, n)
    special = rng.random(n) < 0.02
    values[special] = rng.choice([0.0, -0.0, math.inf, -math.inf, math.nan], special.sum())
    return values.tolist()


@pytest.fixture(scope="module", params=[None, 8, 4, 2, 1], ids=lambda p: "java11" if p is None else f"vector{p}")
def blas(request):
    """(the oracle, the `vector_lanes` to compare with: the lanes the JVM reports, at most those asked for)."""
    oracle = NetlibBlasOracle(request.param)
    name, lanes = oracle.implementation()
    assert name == ("Java11BLAS" if request.param is None else "VectorBLAS")
    yield oracle, lanes if request.param else JAVA11
    oracle.close()


def test_ddot_is_netlibs(blas):
    oracle, lanes = blas
    rng = np.random.default_rng(29 + lanes)
    for _ in range(CALLS):
        n = int(rng.integers(0, 40))
        x, w = numbers(rng, n), numbers(rng, n)
        want = oracle.ddot(x, w)
        weights = DotWeights(np.array(w), vector_lanes=lanes)
        got = [weights.dot_row(x), float(weights.dot(np.array([x]).reshape(1, n))[0])]
        if all(math.isfinite(v) for v in w):
            got.append(weights.row_function()(x))
        assert all(same(g, want) for g in got), (n, x, w, want, got)
        assert same(ddot_row(x, lanes), oracle.ddot(x, x))
        assert same(float(ddot_rows(np.array([x]).reshape(1, n), lanes)[0]), oracle.ddot(x, x))


def test_dgemv_transposed_is_netlibs(blas):
    """Spark's gemv with a row-major matrix (`MatrixWeights` "dense_row"): dgemv "T", alpha = beta = 1."""
    oracle, lanes = blas
    rng = np.random.default_rng(31 + lanes)
    for _ in range(CALLS // 3):
        k, n = int(rng.integers(1, 6)), int(rng.integers(1, 30))
        a = [numbers(rng, n) for _ in range(k)]
        x, b = numbers(rng, n), numbers(rng, k)
        want = oracle.dgemv("T", [list(col) for col in zip(*a, strict=True)], x, 1.0, 1.0, b)
        weights = MatrixWeights(np.array(a), np.array(b), "dense_row", vector_lanes=lanes)
        for got in (weights.apply_row(x), weights.apply(np.array([x]))[0].tolist()):
            assert all(same(g, w) for g, w in zip(got, want, strict=True)), (a, x, b, want, got)


def test_dgemv_plain_is_netlibs(blas):
    """Spark's gemv with a column-major matrix (`ColumnMajorGemv`): dgemv "N", any alpha and beta."""
    oracle, lanes = blas
    rng = np.random.default_rng(37 + lanes)
    for _ in range(CALLS // 3):
        m, n = int(rng.integers(1, 20)), int(rng.integers(1, 12))
        a = [numbers(rng, n) for _ in range(m)]
        x, y = numbers(rng, n), numbers(rng, m)
        alpha, beta = (float(rng.choice([1.0, -1.0, 0.5, 3.0])), float(rng.choice([0.0, 1.0, -2.0])))
        want = oracle.dgemv("N", a, x, alpha, beta, y)
        gemv = ColumnMajorGemv(np.array(a), vector_lanes=lanes)
        for got in (gemv.apply_row(x, alpha, beta, y), gemv.apply(np.array([x]), alpha, beta, np.array(y))[0].tolist()):
            assert all(same(g, w) for g, w in zip(got, want, strict=True)), (m, n, alpha, beta, want, got)
