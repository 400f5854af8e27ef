"""Java's `Math` on Python floats and float64 arrays: never an exception, IEEE results as the JVM gives them.

`+ - * /`, `%` (`java_rem`), `sqrt`, `abs`, `floor`, `ceil`, `Math.round`, `min`, `max` and `pow`'s special
cases are exact. Java's transcendental intrinsics (`exp`, `log`, `log1p`, `sin`, `cos`, `tan`, `pow`) are not
correctly rounded and no C library reproduces them: we use the C library's (Python's `math`), which agrees
with Java for all but about 0.3 % of arguments and then differs by one unit in the last place (NumPy's SIMD
`exp` differs for about 5 %, so the array forms map the scalar one). Ops whose outputs go through them state a
relative tolerance (1e-12).
"""

from __future__ import annotations

import math

import numpy as np


def exp_row(x: float) -> float:
    """Java `Math.exp` semantics with the C library's value: overflow is +inf, never an error."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def log_row(x: float) -> float:
    """Java `Math.log` semantics: log(0) = -inf, log(x < 0) = NaN, never an error."""
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


def log1p_row(x: float) -> float:
    """Java `Math.log1p` semantics: log1p(-1) = -inf, below -1 NaN, never an error."""
    return math.log1p(x) if x > -1.0 else (-math.inf if x == -1.0 else math.nan)


def _elementwise(function, values: np.ndarray) -> np.ndarray:
    flat = np.fromiter(map(function, np.ravel(values).tolist()), dtype=np.float64, count=np.size(values))
    return flat.reshape(np.shape(values))


def exp(values: np.ndarray) -> np.ndarray:
    """Element-wise `exp_row` (the same values as the single-row path)."""
    return _elementwise(exp_row, values)


def log(values: np.ndarray) -> np.ndarray:
    """Element-wise `log_row`."""
    return _elementwise(log_row, values)


def java_round(x: float) -> float:
    """`Math.round(double)` as a double: floor(x + 1/2) computed exactly, NaN -> 0, clamped to the long range."""
    if x != x:
        return 0.0
    if math.isinf(x) or abs(x) >= 2.0**63:
        return float(2**63 - 1) if x > 0 else float(-(2**63))
    if abs(x) >= 2.0**52:  # already an integer
        return x
    r = math.floor(x)
    return float(r + 1 if x - r >= 0.5 else r)  # x - r is exact here


def java_trig(function, x: float) -> float:
    return function(x) if math.isfinite(x) else math.nan


def logit(x: float) -> float:
    """commons-math3 `Logit().value(x)`: log(x / (1 - x)), an error outside [0, 1]."""
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{x} out of [0, 1] range")
    return log_row(x / (1.0 - x)) if x != 1.0 else math.inf


def java_rem(a: float, b: float) -> float:
    """Java's `%` on doubles (C fmod: the sign of the dividend), NaN for b == 0 or infinite a."""
    if b == 0 or math.isinf(a) or a != a or b != b:
        return math.nan
    if math.isinf(b):
        return a
    return math.fmod(a, b)


def java_pow(a: float, b: float) -> float:
    """`Math.pow` with IEEE special cases (NaN for a negative base and a non-integer exponent, inf on overflow)."""
    if b == 0:
        return 1.0
    if a != a or b != b:
        return math.nan
    try:
        return math.pow(a, b)
    except ValueError:  # a < 0, b not an integer; or 0 ** negative
        if a == 0:
            odd = float(b).is_integer() and int(b) % 2 == 1
            return math.copysign(math.inf, a) if odd else math.inf
        return math.nan
    except OverflowError:
        odd = float(b).is_integer() and int(b) % 2 == 1
        return -math.inf if a < 0 and odd else math.inf


def java_min(a: float, b: float) -> float:
    if a != a or b != b:
        return math.nan
    if a == b == 0.0:
        return a if math.copysign(1.0, a) < 0 else b
    return a if a < b else b


def java_max(a: float, b: float) -> float:
    if a != a or b != b:
        return math.nan
    if a == b == 0.0:
        return a if math.copysign(1.0, a) > 0 else b
    return a if a > b else b


def java_div(a: float, b: float) -> float:
    """Java's `/` on doubles with its signed infinities and NaN for 0 / 0 (no ZeroDivisionError)."""
    if b == 0:
        return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b
