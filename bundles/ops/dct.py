"""dct: the orthonormal discrete cosine transform of a vector, Spark `DCT` (JTransforms `DoubleDCT_1D`, scaled).

Attributes `inverse` (boolean; false, the default, is written as `{}`) and `input_size` (int); ports
`input`/`output`. Forward is the DCT-II, X[k] = s(k) * sum_n x[n] cos(pi (2n + 1) k / 2N) with
s(0) = sqrt(1/N), s(k) = sqrt(2/N); inverse is its transpose (DCT-III), as JTransforms with scale=true.
Sparse input is read densely, the output is dense (as Spark's `toArray`).

Not bit-exact: JTransforms runs an FFT-based algorithm whose rounding depends on N; this is the
direct sum over a cosine table (angles reduced exactly in integers first). The two agree within
1e-13 * (1 + max|x|) * N per slot (measured against Spark in the property tests).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import values as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.vector_op import VectorOp, spark_vector_size
from bundles.vectors import SparseMatrix, SparseVector


def dct_matrix(n: int) -> np.ndarray:
    """C[k, j] = s(k) cos(pi (2j + 1) k / 2n): X = C x (forward), x = C^T X (inverse)."""
    k = np.arange(n, dtype=np.int64)[:, None]
    j = np.arange(n, dtype=np.int64)[None, :]
    turns = ((2 * j + 1) * k) % (4 * n)
    table = np.cos(math.pi * turns / (2.0 * n))
    scale = np.full((n, 1), math.sqrt(2.0 / n))
    scale[0, 0] = math.sqrt(1.0 / n)
    return table * scale


class DCT(VectorOp):
    op_name = "dct"
    spark_classes = ("DCT",)

    def __init__(self, name: str, shape: Shape, inverse: bool, size: int = -1):
        super().__init__(name, shape, size)
        self.inverse = bool(inverse)
        self._tables: dict[int, np.ndarray] = {}

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> DCT:
        return cls(name, shape, attrs.boolean("inverse", False), attrs.integer("input_size", -1))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return self.sized({"inverse": v.boolean(self.inverse)})

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        in_col = stage.getInputCol()
        return [cls(stage.uid, Shape.single(in_col, stage.getOutputCol()), stage.getInverse(),
                    spark_vector_size(ctx, in_col))]

    def _table(self, n: int) -> np.ndarray:
        """The matrix that maps x to the output, columns indexed by input slot."""
        if n not in self._tables:
            if n == 0:
                raise ValueError("the DCT of an empty vector is undefined")
            table = dct_matrix(n)
            self._tables[n] = np.ascontiguousarray(table.T if self.inverse else table)
        return self._tables[n]

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        table = self._table(matrix.shape[1])
        out = np.zeros(matrix.shape)
        for j in range(matrix.shape[1]):  # one input slot at a time: the same sums for one row or many
            out += matrix[:, j:j + 1] * table[:, j]
        return out

    def sparse(self, matrix: SparseMatrix) -> np.ndarray:
        return self.dense(matrix.toarray())

    def dense_row(self, values: list[float]) -> list[float]:
        return self.dense(np.array([values], dtype=np.float64))[0].tolist()

    def sparse_row(self, vector: SparseVector) -> list[float]:
        return self.dense_row(vector.dense())
