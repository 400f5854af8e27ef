"""The columnar batch every op transforms: named NumPy columns plus the original row numbers.

Scalar columns are 1-D arrays (float64 for numbers, object for strings); vector columns are 2-D
float64 arrays of shape (rows, size). `rows` maps each current row to its 0-based position in the
request, so errors can name the row even after rows were skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bundles.errors import TransformError


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


def as_float_matrix(values: np.ndarray, name: str, frame: Frame) -> np.ndarray:
    """A scalar or vector column as float64 of shape (rows, k); nulls and non-numbers are errors."""
    if values.ndim == 2:
        return values.astype(np.float64, copy=False)
    if values.dtype == object:
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
