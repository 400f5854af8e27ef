"""Vector values in the runtime: dense, sparse, and the one way to densify them.

Dense vectors are lists of floats (one row) or 2-D float64 arrays (rows, size). Sparse vectors stay
sparse in memory: one row is a `SparseVector` (size, ascending unique indices, values), a column is a
`SparseMatrix` (CSR: `indptr` of rows + 1 offsets into `indices`/`values`). A 262,144-wide HashingTF
output is never densified inside the runtime; an op that needs dense input calls `dense_row` or
`dense_matrix`, and those are the only places a sparse value becomes dense.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from base.errors import InputError


class SparseVector:
    """One sparse row: `indices` ascending and unique, `values` the same length (floats). Treat as immutable
    (a plain slotted class: a frozen dataclass costs microseconds per row on the single-row path)."""

    __slots__ = ("size", "indices", "values")

    def __init__(self, size: int, indices: list[int], values: list[float]):
        self.size = size
        self.indices = indices
        self.values = values

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, SparseVector) and self.size == other.size and self.indices == other.indices
                and self.values == other.values)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SparseVector(size={self.size}, indices={self.indices}, values={self.values})"

    @classmethod
    def from_counts(cls, size: int, counts: dict[int, float]) -> SparseVector:
        """A vector from index -> value (any order), as Spark's `Vectors.sparse(size, seq)` sorts it."""
        keys = sorted(counts)
        return cls(size, keys, [counts[k] for k in keys])

    def dense(self) -> list[float]:
        out = [0.0] * self.size
        for i, x in zip(self.indices, self.values, strict=True):
            out[i] = x
        return out


class SparseMatrix:
    """A sparse vector column in CSR form: `rows` x `size`, float64 values, int64 indices."""

    ndim = 2
    dtype = np.dtype(np.float64)
    __slots__ = ("size", "indptr", "indices", "values")

    def __init__(self, size: int, indptr: np.ndarray, indices: np.ndarray, values: np.ndarray):
        self.size = int(size)
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int64)
        self.values = np.asarray(values, dtype=np.float64)

    @classmethod
    def from_rows(cls, rows: Sequence[SparseVector], size: int) -> SparseMatrix:
        counts = np.fromiter((len(r.indices) for r in rows), dtype=np.int64, count=len(rows))
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        indices = np.fromiter(chain.from_iterable(r.indices for r in rows), dtype=np.int64, count=int(indptr[-1]))
        values = np.fromiter(chain.from_iterable(r.values for r in rows), dtype=np.float64, count=int(indptr[-1]))
        return cls(size, indptr, indices, values)

    @classmethod
    def from_dense(cls, matrix: np.ndarray) -> SparseMatrix:
        """The non-zero entries (NaN included) of a (rows, size) matrix."""
        matrix = np.asarray(matrix, dtype=np.float64)
        rows, cols = np.nonzero(matrix)
        indptr = np.zeros(len(matrix) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(matrix)), out=indptr[1:])
        return cls(matrix.shape[1], indptr, cols, matrix[rows, cols])

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.indptr) - 1, self.size)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int) -> SparseVector:
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        return SparseVector(self.size, self.indices[a:b].tolist(), self.values[a:b].tolist())

    def __getitem__(self, key: Any) -> SparseMatrix | SparseVector:
        """An int gives one row; a boolean mask or an array of row numbers gives a SparseMatrix."""
        if isinstance(key, int | np.integer):
            return self.row(int(key))
        rows = np.arange(len(self))[key]
        starts, stops = self.indptr[rows], self.indptr[rows + 1]
        lengths = stops - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        take = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return SparseMatrix(self.size, indptr, self.indices[take], self.values[take])

    def row_ids(self) -> np.ndarray:
        """The row number of every stored entry."""
        return np.repeat(np.arange(len(self)), np.diff(self.indptr))

    def with_values(self, values: np.ndarray) -> SparseMatrix:
        """The same pattern holding new values (e.g. values * idf[indices])."""
        return SparseMatrix(self.size, self.indptr, self.indices, values)

    def toarray(self) -> np.ndarray:
        out = np.zeros(self.shape, dtype=np.float64)
        out[self.row_ids(), self.indices] = self.values
        return out

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Row-wise products with `weights` of shape (size,) -> (rows,), or (size, k) -> (rows, k); each
        row's terms are summed in index order, as Spark's sparse dot does."""
        weights = np.asarray(weights, dtype=np.float64)
        rows = self.row_ids()
        if weights.ndim == 1:
            return np.bincount(rows, weights=self.values * weights[self.indices], minlength=len(self))
        products = self.values[:, None] * weights[self.indices]
        return np.column_stack([np.bincount(rows, weights=products[:, j], minlength=len(self))
                                for j in range(weights.shape[1])]).reshape(len(self), weights.shape[1])

    def tolist(self) -> list[SparseVector]:
        return [self.row(i) for i in range(len(self))]

    def __repr__(self) -> str:
        return f"SparseMatrix(rows={len(self)}, size={self.size}, nnz={len(self.values)})"


def dense_row(value: Any) -> list[float]:
    """One row's vector (list, tuple, array or SparseVector) as a list of floats; None is an InputError."""
    if value is None:
        raise InputError("null value")
    if isinstance(value, SparseVector):
        return value.dense()
    return [float(x) for x in value]


def sparse_row(value: Any) -> SparseVector:
    """One row's vector as a SparseVector (a dense list keeps its non-zero entries, NaN included)."""
    if isinstance(value, SparseVector):
        return value
    if value is None:
        raise InputError("null value")
    values = [float(x) for x in value]
    keep = [i for i, x in enumerate(values) if x != 0.0]
    return SparseVector(len(values), keep, [values[i] for i in keep])


def vector_size(value: Any) -> int:
    return value.size if isinstance(value, SparseVector) else len(value)


def is_vector_column(values: Any) -> bool:
    return isinstance(values, SparseMatrix) or (isinstance(values, np.ndarray) and values.ndim == 2)


def dense_matrix(values: Any) -> np.ndarray:
    """A vector column (2-D array, SparseMatrix, or object array of per-row vectors) as (rows, size) float64.

    This is the one place a sparse column is densified; callers are ops whose math needs every slot."""
    if isinstance(values, SparseMatrix):
        return values.toarray()
    values = np.asarray(values)
    if values.dtype == object and values.ndim == 1:
        rows = [dense_row(v) for v in values]
        return np.array(rows, dtype=np.float64).reshape(len(rows), -1)
    return values.astype(np.float64, copy=False)


def hstack(parts: Sequence[Any]) -> SparseMatrix:
    """Concatenate vector columns (dense (rows, k) matrices or SparseMatrix) side by side, kept sparse."""
    sparse = [p if isinstance(p, SparseMatrix) else SparseMatrix.from_dense(p) for p in parts]
    rows = len(sparse[0])
    offsets = np.cumsum([0] + [p.size for p in sparse])
    row_ids = np.concatenate([p.row_ids() for p in sparse])
    indices = np.concatenate([p.indices + off for p, off in zip(sparse, offsets, strict=False)])
    values = np.concatenate([p.values for p in sparse])
    order = np.lexsort((indices, row_ids))
    indptr = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_ids, minlength=rows), out=indptr[1:])
    return SparseMatrix(int(offsets[-1]), indptr, indices[order], values[order])


def concat_rows(parts: Sequence[Any]) -> SparseVector:
    """Concatenate one row's numbers and vectors (lists or SparseVectors) into one SparseVector."""
    indices: list[int] = []
    values: list[float] = []
    offset = 0
    for part in parts:
        vec = sparse_row([part] if isinstance(part, int | float | np.number) else part)
        indices.extend(i + offset for i in vec.indices)
        values.extend(vec.values)
        offset += vec.size
    return SparseVector(offset, indices, values)
