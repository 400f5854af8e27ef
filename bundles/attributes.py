"""Bundle.ML attribute values: the JSON encoding of scalars, lists, tensors and data shapes.

Scalars omit proto3 defaults (false, 0, 0.0, "" are written as `{}`); NaN and +/-Infinity doubles are
written as JSON null and read back as NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from bundles.errors import BundleError


def _double_out(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def _double_in(x: Any) -> float:
    return math.nan if x is None else float(x)


# ---- encoding -------------------------------------------------------------------------------------

def string(value: str) -> dict:
    return {"string": value} if value else {}


def boolean(value: bool) -> dict:
    return {"boolean": True} if value else {}


def integer(value: int) -> dict:
    return {"int": int(value)} if value else {}


def long(value: int) -> dict:
    return {"long": int(value)} if value else {}


def double(value: float) -> dict:
    return {"double": _double_out(value)} if value != 0.0 else {}


def _list(kind: str, values: list) -> dict:
    return {kind: values, "type": "list"} if values else {"type": "list"}


def strings(values: Sequence[str]) -> dict:
    return _list("string", [str(v) for v in values])


def integers(values: Sequence[int]) -> dict:
    return _list("int", [int(v) for v in values])


def longs(values: Sequence[int]) -> dict:
    return _list("long", [int(v) for v in values])


def basic_types(values: Sequence[str]) -> dict:
    """A list of Bundle.ML basic type names ("double", "string", ...), e.g. feature_hasher `basic_types`."""
    return _list("basic_type", [str(v) for v in values])


def doubles(values: Sequence[float]) -> dict:
    return _list("double", [_double_out(v) for v in values])


def data_shapes(shapes: Sequence[dict]) -> dict:
    return _list("data_shape", list(shapes))


def data_shape(shape: dict) -> dict:
    """A single data_shape value (e.g. binarizer `input_shapes`)."""
    return {"data_shape": shape}


def tensor(values: Sequence[float]) -> dict:
    flat = [_double_out(v) for v in np.asarray(values, dtype=np.float64).ravel()]
    return {"double": flat, "shape": {"dimensions": [{"size": len(flat), "name": ""}]}, "type": "tensor"}


def _tensor_body(values: np.ndarray) -> dict:
    """A tensor's values and dimensions; a 2-D array is written column-major, as Spark's `Matrix.toArray`."""
    array = np.asarray(values, dtype=np.float64)
    flat = array.ravel(order="F")
    dims = [{"size": int(n), "name": ""} for n in array.shape]
    return {"double": [_double_out(v) for v in flat], "shape": {"dimensions": dims}}


def matrix(values: np.ndarray) -> dict:
    """A 2-D tensor attribute (e.g. `coefficient_matrix`), column-major with dimensions [rows, cols]."""
    return {**_tensor_body(values), "type": "tensor"}


def tensors(arrays: Sequence[np.ndarray]) -> dict:
    """A list of tensors (k-means `cluster_centers`, Gaussian mixture `means` / `covs`)."""
    return {"tensor": [_tensor_body(a) for a in arrays], "type": "list"} if arrays else {"type": "list"}


def scalar_shape(nullable: bool = True) -> dict:
    return {"base": "scalar", "isNullable": bool(nullable)}


def tensor_shape(size: int, nullable: bool = True) -> dict:
    return {
        "base": "tensor",
        "isNullable": bool(nullable),
        "tensorShape": {"dimensions": [{"size": int(size), "name": ""}]},
    }


# ---- decoding -------------------------------------------------------------------------------------

def _float_array(values: Any, where: str, name: str) -> np.ndarray:
    """A JSON list of numbers (null = NaN) as float64, converted in one NumPy call (no Python work per value)."""
    if not isinstance(values, list):
        raise BundleError(f"{where}: attribute {name!r} should hold a list of numbers")
    try:
        flat = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise BundleError(f"{where}: attribute {name!r} holds a value that is not a number") from None
    if flat.ndim != 1:
        raise BundleError(f"{where}: attribute {name!r} holds a value that is not a number")
    return flat


_MISSING = object()


class Attributes:
    """Typed read access to a node's `attributes` object; `{}` yields the proto default of the asked type."""

    def __init__(self, raw: dict, where: str):
        if not isinstance(raw, dict):
            raise BundleError(f"{where}: 'attributes' must be an object")
        self.raw = raw
        self.where = where

    def __contains__(self, name: str) -> bool:
        return name in self.raw

    def _get(self, name: str, default: Any) -> Any:
        value = self.raw.get(name, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                raise BundleError(f"{self.where}: required attribute {name!r} is missing")
            return _MISSING
        if not isinstance(value, dict):
            raise BundleError(f"{self.where}: attribute {name!r} is not a Bundle.ML value object")
        return value

    def _scalar(self, name: str, key: str, zero: Any, default: Any, cast) -> Any:
        value = self._get(name, default)
        if value is _MISSING:
            return default
        if value.get("type") not in (None,):
            raise BundleError(f"{self.where}: attribute {name!r} should be a scalar")
        return cast(value[key]) if key in value else zero

    def string(self, name: str, default: Any = _MISSING) -> str:
        return self._scalar(name, "string", "", default, str)

    def boolean(self, name: str, default: Any = _MISSING) -> bool:
        return self._scalar(name, "boolean", False, default, bool)

    def integer(self, name: str, default: Any = _MISSING) -> int:
        value = self._get(name, default)
        if value is _MISSING:
            return default
        for key in ("int", "long"):
            if key in value:
                return int(value[key])
        return 0

    def double(self, name: str, default: Any = _MISSING) -> float:
        return self._scalar(name, "double", 0.0, default, _double_in)

    def _list(self, name: str, key: str, default: Any) -> Any:
        value = self._get(name, default)
        if value is _MISSING:
            return default
        if value.get("type") != "list":
            raise BundleError(f"{self.where}: attribute {name!r} should be a list")
        return value.get(key, [])

    def strings(self, name: str, default: Any = _MISSING) -> list[str]:
        values = self._list(name, "string", default)
        return values if values is default else [str(v) for v in values]

    def integers(self, name: str, default: Any = _MISSING) -> list[int]:
        value = self._get(name, default)
        if value is _MISSING:
            return default
        values = value.get("int", value.get("long", []))
        try:  # one NumPy conversion, no Python work per value (a 2^20-wide IDF's doc_freq)
            return np.array(values, dtype=np.int64).tolist()
        except (TypeError, ValueError, OverflowError):
            raise BundleError(f"{self.where}: attribute {name!r} holds a value that is not an integer") from None

    def doubles(self, name: str, default: Any = _MISSING) -> list[float]:
        values = self._list(name, "double", default)
        return values if values is default else [_double_in(v) for v in values]

    def basic_types(self, name: str, default: Any = _MISSING) -> list[str]:
        values = self._list(name, "basic_type", default)
        return values if values is default else [str(v) for v in values]

    def data_shape(self, name: str, default: Any = _MISSING) -> dict:
        value = self._get(name, default)
        if value is _MISSING:
            return default
        if not isinstance(value.get("data_shape"), dict):
            raise BundleError(f"{self.where}: attribute {name!r} should be a data_shape")
        return value["data_shape"]

    def data_shapes(self, name: str, default: Any = _MISSING) -> list[dict]:
        return self._list(name, "data_shape", default)

    def tensor(self, name: str, default: Any = _MISSING) -> np.ndarray:
        value = self._get(name, default)
        if value is _MISSING:
            return default
        if value.get("type") != "tensor":
            raise BundleError(f"{self.where}: attribute {name!r} should be a tensor")
        for key in ("double", "float", "long", "int"):
            if key in value:
                return _float_array(value[key], self.where, name)
        return np.zeros(0, dtype=np.float64)

    def matrix(self, name: str, default: Any = _MISSING) -> np.ndarray:
        """A 2-D tensor attribute (column-major values, dimensions [rows, cols]) as a (rows, cols) array."""
        value = self._get(name, default)
        if value is _MISSING:
            return default
        if value.get("type") != "tensor":
            raise BundleError(f"{self.where}: attribute {name!r} should be a tensor")
        return self._shaped(value, name, 2)

    def tensors(self, name: str, default: Any = _MISSING) -> list[np.ndarray]:
        """A list of tensors, each shaped by its own dimensions (1-D vectors, 2-D column-major matrices)."""
        value = self._get(name, default)
        if value is _MISSING:
            return default
        if value.get("type") != "list":
            raise BundleError(f"{self.where}: attribute {name!r} should be a list of tensors")
        return [self._shaped(t, name, None) for t in value.get("tensor", [])]

    def _shaped(self, value: dict, name: str, ndim: int | None) -> np.ndarray:
        flat = _float_array(value.get("double", value.get("float", [])), self.where, name)
        dims = [int(d.get("size", -1)) for d in value.get("shape", {}).get("dimensions", [])] or [len(flat)]
        if ndim is not None and len(dims) != ndim:
            raise BundleError(f"{self.where}: attribute {name!r} should have {ndim} dimensions, has {len(dims)}")
        if int(np.prod(dims)) != len(flat):
            raise BundleError(f"{self.where}: attribute {name!r} has {len(flat)} values for dimensions {dims}")
        return flat.reshape(dims, order="F")
