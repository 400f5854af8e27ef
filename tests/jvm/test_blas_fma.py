"""Spark's BLAS order and Java's `Math.fma`, emulated without a hardware FMA: each result equals the exact
value rounded once (Fraction arithmetic as the oracle)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jvm.linalg import DotWeights, fma, fma_row, split

pytestmark = pytest.mark.unit


def exact_fma(a: float, b: float, c: float) -> float:
    return float(Fraction(a) * Fraction(b) + Fraction(c))  # float(Fraction) rounds to nearest, ties to even


FINITE = st.floats(min_value=-1e30, max_value=1e30, allow_nan=False, allow_subnormal=False)


@settings(max_examples=300, deadline=None)
@given(FINITE, FINITE, FINITE)
def test_fma_emulation_is_correctly_rounded(a, b, c):
    want = exact_fma(a, b, c)
    assert fma_row(a, b, c, split(b)) == want
    assert fma(np.array([a]), b, np.array([c]))[0] == want


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e3, 1e3), st.sampled_from([1.0, 0.1, 0.05, 0.3])), min_size=1, max_size=13))
def test_dot_sums_as_java11_blas_ddot(pairs):
    x, w = [p for p, _ in pairs], [q for _, q in pairs]
    n, block = len(x), len(x) - len(x) % 4
    sums = [0.0] * 4
    for i in range(0, block, 4):
        for j in range(4):
            sums[j] = exact_fma(x[i + j], w[i + j], sums[j])
    total = 0.0 + (((sums[0] + sums[1]) + sums[2]) + sums[3])
    for i in range(block, n):
        total = exact_fma(x[i], w[i], total)
    weights = DotWeights(np.array(w))
    assert weights.dot_row(x) == total
    assert weights.dot(np.array([x]))[0] == total
