"""The columnar batch every op transforms: named NumPy columns plus the original row numbers.

Scalar columns are 1-D arrays (float64, float32 or int64 for numbers, object for strings); vector
columns are 2-D float64 arrays of shape (rows, size) or, when sparse, `jvm.vectors.SparseMatrix`;
array columns (tokens) are 1-D object arrays holding one list per row (`object_column`). `rows` maps
each current row to its 0-based position in the
request, so errors can name the row even after rows were skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from bundles.errors import TransformError
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix


@dataclass
class Frame:
    columns: dict[str, np.ndarray]
    rows: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.rows is None:
            self.rows = np.arange(len(next(iter(self.columns.values()))) if self.columns else 0)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise TransformError(f"input column {name!r} is missing") from None

    def error(self, position: int, column: str, message: str) -> TransformError:
        """A TransformError naming the original row of current position `position`."""
        return TransformError(message, row=int(self.rows[position]), column=column)

    def keep(self, mask: np.ndarray) -> None:
        """Drop the rows where `mask` is False (handle_invalid=skip)."""
        self.columns = {k: v[mask] for k, v in self.columns.items()}
        self.rows = self.rows[mask]


class SkipRow(Exception):
    """Raised on the single-row path when handle_invalid=skip drops the row."""


def object_column(items: list) -> np.ndarray:
    """A 1-D object array with one element per item, even when the items are equal-length lists."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def as_float_matrix(values: np.ndarray | SparseMatrix, name: str, frame: Frame) -> np.ndarray:
    """A scalar or vector column as dense float64 of shape (rows, k) (sparse columns are densified here,
    through `jvm.vectors.dense_matrix`); nulls and non-numbers are errors naming the row."""
    if isinstance(values, SparseMatrix) or values.ndim == 2:
        return dense_matrix(values)
    if values.dtype == object:
        if len(values) and isinstance(values[0], list | tuple | np.ndarray | SparseVector):
            try:
                return dense_matrix(values)
            except (TypeError, ValueError) as exc:
                raise TransformError(f"not a vector of numbers: {exc}", column=name) from None
        out = np.empty(len(values), dtype=np.float64)
        for i, v in enumerate(values):
            if v is None:
                raise frame.error(i, name, "null value")
            try:
                out[i] = float(v)
            except (TypeError, ValueError):
                raise frame.error(i, name, f"not a number: {v!r}") from None
        return out.reshape(-1, 1)
    return values.astype(np.float64, copy=False).reshape(-1, 1)


def string_lists(values: np.ndarray, name: str, frame: Frame) -> list[list[str]]:
    """An array-of-string column (object array of lists) as Python lists; a null row or element is an error."""
    out = values.tolist() if isinstance(values, np.ndarray) else list(values)
    for i, tokens in enumerate(out):
        if not isinstance(tokens, list):
            if tokens is None:
                raise frame.error(i, name, "null value")
            if isinstance(tokens, tuple | np.ndarray):
                out[i] = tokens = list(tokens)
            else:
                raise frame.error(i, name, f"expected an array of strings, got {type(tokens).__name__}")
        if not all(map(isinstance, tokens, repeat(str))):
            bad = next(t for t in tokens if not isinstance(t, str))
            if bad is None:
                raise frame.error(i, name, "null element in an array of strings")
            out[i] = [t if isinstance(t, str) else str(t) for t in tokens]
    return out


def string_list(value: object, name: str) -> list[str]:
    """One row's array-of-string value (single-row path); null is an error naming the column."""
    if value.__class__ is list and all(map(isinstance, value, repeat(str))):
        return value
    if value is None:
        raise TransformError("null value", column=name)
    if not isinstance(value, list | tuple | np.ndarray):
        raise TransformError(f"expected an array of strings, got {type(value).__name__}", column=name)
    if any(t is None for t in value):
        raise TransformError("null element in an array of strings", column=name)
    return [str(t) for t in value]


def text_values(values: np.ndarray, name: str, frame: Frame) -> list[str]:
    """A string column as a list of str; null is an error naming the row (Spark's tokenizers fail on null)."""
    out = values.tolist()
    for i, text in enumerate(out):
        if text.__class__ is not str:
            if text is None:
                raise frame.error(i, name, "null value")
            out[i] = str(text)
    return out
