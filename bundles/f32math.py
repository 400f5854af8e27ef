"""The logistic and softmax functions in float32 exactly as SciPy computes them for xgboost.spark, without
SciPy (the sparkml image installs NumPy only).

- `expit(x)`: `scipy.special.expit` on float32 values, `1 / (1 + expf(-x))` in float32 with libm's `expf`
  (the very function SciPy's float32 loop and XGBoost's `common::Sigmoid` call).
- `expf(x)`: libm's `expf` over an array. glibc evaluates it in double precision (relative error below
  1.7 * 2^-34) and rounds once to float32, so NumPy's float64 `exp` rounded to float32 is its answer except
  where the value lies within that error of a float32 rounding midpoint; those few elements (about 1%) and
  the overflow edge call libm's `expf` itself.
- `softmax(x, axis)`: `scipy.special.softmax`'s own NumPy steps: the maximum subtracted, `exp`, divided by
  the sum (float32 in, float32 out).
"""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np

MIDPOINT_MARGIN = 2.0**-32  # relative distance to a float32 midpoint below which libm decides
_FLOAT32_MAX = np.float32(np.finfo(np.float32).max)


def _libm_expf() -> ctypes._CFuncPtr:
    try:
        libm = ctypes.CDLL("libm.so.6")  # glibc's; find_library would run ldconfig at every import
    except OSError:
        libm = ctypes.CDLL(ctypes.util.find_library("m"))
    function = libm.expf
    function.argtypes, function.restype = [ctypes.c_float], ctypes.c_float
    return function


libm_expf = _libm_expf()


def expf(x: np.ndarray) -> np.ndarray:
    """libm's `expf` of each element (float32 array of `x`'s shape)."""
    x = np.asarray(x, dtype=np.float32)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        wide = np.exp(x.astype(np.float64))
        out = wide.astype(np.float32)
        near = np.isinf(out) | (out == _FLOAT32_MAX)
        margin = wide * MIDPOINT_MARGIN
        value = out.astype(np.float64)
        for direction in (np.float32(np.inf), np.float32(-np.inf)):
            midpoint = (value + np.nextafter(out, direction).astype(np.float64)) / 2  # exact in float64
            near |= np.abs(wide - midpoint) <= margin
    where = np.flatnonzero(near)
    if where.size:
        flat = out.reshape(-1)
        flat[where] = [libm_expf(v) for v in x.reshape(-1)[where].tolist()]
    return out


def expit(x: np.ndarray) -> np.ndarray:
    """`scipy.special.expit` of float32 values: 1 / (1 + expf(-x)) in float32."""
    one = np.float32(1.0)
    with np.errstate(over="ignore"):
        return one / (one + expf(-np.asarray(x, dtype=np.float32)))


def softmax(x: np.ndarray, axis: int | None = None) -> np.ndarray:
    """`scipy.special.softmax(x, axis)`: exp(x - max) over its sum, in `x`'s dtype."""
    x = np.asarray(x)
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)
