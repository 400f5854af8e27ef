"""The operations of MLeap's extension ops `math_unary` and `math_binary`, by name, with Java's `Math`
semantics (`jvm.java_math`), and which operations each MLeap write target knows."""

from __future__ import annotations

import math

import numpy as np

from jvm.java_math import (
    exp_row,
    java_div,
    java_max,
    java_min,
    java_pow,
    java_rem,
    java_round,
    java_trig,
    log_row,
    logit,
)

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


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": java_div,
    "rem": java_rem,
    "log_n": lambda a, b: java_div(log_row(a), log_row(b)),
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
