"""Java's `Double.toString` (and `Float.toString`) for Python floats (what Spark's cast to
string and the Java container print).

Digits are Python's shortest round-trip digits, so the text always parses back to the same double.
JDK <= 18 sometimes printed a longer digit string (JDK-4511638); we print the shortest one.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np


def java_double(x: float) -> str:
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    text = repr(x)
    if 1e-3 <= abs(x) < 1e7 and "e" not in text:
        return text  # fast path: repr is already Java's plain form ("1.0", "0.515")
    shortest = repr(abs(x))
    return _java_form(x, _JDK_DOUBLE_SUBNORMALS.get(shortest, shortest))


def java_float(x: float) -> str:
    """Java's `Float.toString` of a float32 value: its shortest float32 digits in Java's layout."""
    x32 = np.float32(x)
    if math.isnan(x32) or math.isinf(x32):
        return java_double(float(x32))
    shortest = str(abs(x32))
    return _java_form(float(x32), _JDK_FLOAT_SUBNORMALS.get(shortest, shortest))


# JDK 17 prints the smallest subnormals with digits that are not the shortest ones (checked with jshell):
# Double.MIN_VALUE is 4.9E-324, Float.MIN_VALUE 1.4E-45 and 2 * Float.MIN_VALUE 2.8E-45. Other subnormals
# with a one-digit shortest form may differ from Java too (not seen in the values we checked).
_JDK_DOUBLE_SUBNORMALS = {"5e-324": "4.9e-324"}
_JDK_FLOAT_SUBNORMALS = {"1e-45": "1.4e-45", "3e-45": "2.8e-45"}


def _java_form(x: float, shortest: str) -> str:
    """Java's layout of a finite value whose shortest digits (Python/NumPy text) are `shortest`."""
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    number = Decimal(shortest).normalize()
    sign, digits, exponent = number.as_tuple()
    text = "".join(map(str, digits))
    if 1e-3 <= abs(x) < 1e7:
        plain = format(number, "f")
        body = plain if "." in plain else plain + ".0"
    else:
        sci_exponent = len(text) - 1 + exponent
        body = f"{text[0]}.{text[1:] or '0'}E{sci_exponent}"
    return ("-" if x < 0 else "") + body
