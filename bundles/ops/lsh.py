"""Shared shape of the two LSH ops: one hash per table, output as Spark's array of 1-slot dense vectors.

Spark's `LSHModel.transform` writes `Array[Vector]` (one `Vectors.dense(h)` per hash table); MLeap writes
a tensor of shape [tables, 1]. The runtime holds one row as a list of one-element lists `[[h0], [h1], ...]`
and a column as a float64 array of shape (rows, tables, 1).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from bundles.ops.vector_op import VectorOp


class LSHOp(VectorOp):
    output_struct: ClassVar[str] = "array"
    output_type: ClassVar[str] = "vector"  # serving schema: an array of vectors

    @staticmethod
    def column(hashes: np.ndarray) -> np.ndarray:
        """(rows, tables) hash values -> the (rows, tables, 1) output column."""
        return np.asarray(hashes, dtype=np.float64)[:, :, None]

    @staticmethod
    def row(hashes: list[float]) -> list[list[float]]:
        return [[h] for h in hashes]
