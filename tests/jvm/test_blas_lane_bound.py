"""The documented bound between Spark 4 machines with different Vector API lane counts (`jvm.linalg`): every lane
count, and Java11BLAS, gives the same dot product within 2 γ(n+1) Σ|x_i w_i| (exact rational arithmetic)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jvm.linalg import JAVA11, DotWeights, ddot_row

pytestmark = pytest.mark.unit

LANES = (JAVA11, 1, 2, 4, 8, 16)
U = Fraction(1, 2**53)
NUMBER = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False).map(lambda x: x + 0.0)


def bound(x: list[float], w: list[float]) -> Fraction:
    n = len(x)
    gamma = (n + 1) * U / (1 - (n + 1) * U)
    return 2 * gamma * sum((abs(Fraction(a) * Fraction(b)) for a, b in zip(x, w, strict=True)), Fraction(0))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NUMBER, NUMBER), max_size=70))
def test_every_lane_count_is_within_the_documented_bound(pairs):
    x, w = [a for a, _ in pairs], [b for _, b in pairs]
    dots = [DotWeights(np.array(w), vector_lanes=lanes).dot_row(x) for lanes in LANES]
    squares = [ddot_row(x, lanes) for lanes in LANES]
    for values, limit in ((dots, bound(x, w)), (squares, bound(x, x))):
        assert max(map(Fraction, values)) - min(map(Fraction, values)) <= limit, (values, float(limit))


def test_the_bound_is_reached_in_order_of_magnitude_by_cancelling_sums():
    """Not vacuous: lane counts do differ, by ulps of Σ|x_i w_i| rather than of the (cancelled) result."""
    rng = np.random.default_rng(4)
    spread = []
    for _ in range(200):
        x, w = rng.normal(size=24).tolist(), rng.normal(size=24).tolist()
        dots = [DotWeights(np.array(w), vector_lanes=lanes).dot_row(x) for lanes in LANES]
        spread.append(float((max(map(Fraction, dots)) - min(map(Fraction, dots))) / bound(x, w)))
    assert 0.0 < max(spread) <= 1.0
