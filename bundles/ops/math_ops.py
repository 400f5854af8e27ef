"""Java's `Math` functions on Python floats: never an exception, IEEE results as the JVM gives them.

Used by MLeap's extension ops `math_unary` and `math_binary`. Java's transcendental intrinsics (`log`,
`exp`, `sin`, `cos`, `tan`, `pow`) are not correctly rounded and no C library reproduces them: we use
the C library's, which agrees with Java for almost every argument and otherwise differs by one unit in
the last place. Everything else (`+ - * /`, `%`, `sqrt`, `abs`, `floor`, `ceil`, `round`, `min`,
`max`) is exact.
"""

from __future__ import annotations

import math

import numpy as np

from bundles.linalg import exp_row, log_row


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


UNARY = {
    "log": log_row,
    "exp": exp_row,
    "sqrt": lambda x: math.nan if x < 0 else math.sqrt(x),
    "sin": lambda x: java_trig(math.sin, x),
    "cos": lambda x: java_trig(math.cos, x),
    "tan": lambda x: java_trig(math.tan, x),
    "abs": abs,
    "logit": logit,
    "floor": lambda x: float(np.floor(x)),
    "ceil": lambda x: float(np.ceil(x)),
    "round": java_round,
}


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


def _div(a: float, b: float) -> float:
    if b == 0:
        return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": _div,
    "rem": java_rem,
    "log_n": lambda a, b: _div(log_row(a), log_row(b)),
    "pow": java_pow,
    "min": java_min,
    "max": java_max,
}


# The operations each writer target's MLeap runtime knows (its `UnaryOperation.all` / `BinaryOperation.all`):
# MLeap 0.9.6 lacks abs, logit, min and max; 0.20.0 lacks floor, ceil and round (added later).
KNOWN = {
    "0.9": {"log", "exp", "sqrt", "sin", "cos", "tan", "add", "sub", "mul", "div", "rem", "log_n", "pow"},
    "0.20": {"log", "exp", "sqrt", "sin", "cos", "tan", "abs", "logit", "add", "sub", "mul", "div", "rem", "log_n",
             "pow", "min", "max"},
}


def check_target(node: str, operation: str, target: str) -> None:
    """A writer error when MLeap `target` cannot load `operation` (it would fail on `key not found`)."""
    from bundles.errors import BundleError

    if operation not in KNOWN[target]:
        newer = [t for t in ("0.20",) if operation in KNOWN[t]]
        hint = f"write target {newer[0]}" if newer else "no MLeap runtime we write for knows it (MLeap >= 0.21 does)"
        raise BundleError(f"node {node!r}: MLeap {target} has no math operation {operation!r}; {hint}")
