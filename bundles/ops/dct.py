"""dct: the orthonormal discrete cosine transform of a vector, Spark `DCT` (JTransforms 3.1 `DoubleDCT_1D`,
`forward(a, true)` / `inverse(a, true)`).

Attributes `inverse` (boolean; false, the default, is written as `{}`) and `input_size` (int); ports
`input`/`output`. Forward is the DCT-II, X[k] = s(k) * sum_n x[n] cos(pi (2n + 1) k / 2N) with
s(0) = sqrt(1/N), s(k) = sqrt(2/N); inverse is its transpose (DCT-III). Sparse input is read densely, the
output is dense (as Spark's `toArray`).

Exact: every output is bit-identical to Spark's for every size, forward and inverse, because
`jvm.jtransforms` runs JTransforms' own algorithm (split radix for powers of two, a real FFT of length
2N otherwise) with the same operations in the same order, on one row (floats) or on many (one NumPy column
per slot). Checked against JTransforms on the JVM for sizes 1..300 and up to 16,384.
"""


from __future__ import annotations

from typing import Any

import numpy as np

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.vector_op import VectorOp, spark_vector_size
from jvm.jtransforms import dct_plan
from jvm.vectors import SparseMatrix, SparseVector


class DCT(VectorOp):
    op_name = "dct"
    spark_classes = ("DCT",)

    def __init__(self, name: str, shape: Shape, inverse: bool, size: int = -1):
        super().__init__(name, shape, size)
        self.inverse = bool(inverse)

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

    def _run(self, slots: list) -> list:
        """The transform of `slots` (floats, or NumPy columns of one value per row), in place."""
        if not slots:
            raise InputError("the DCT of an empty vector is undefined")
        plan = dct_plan(len(slots))
        plan.inverse(slots) if self.inverse else plan.forward(slots)
        return slots

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        out = np.empty(matrix.shape)
        with np.errstate(all="ignore"):  # infinities and NaNs propagate as in Java
            for j, column in enumerate(self._run([matrix[:, j].astype(np.float64) for j in range(matrix.shape[1])])):
                out[:, j] = column
        return out

    def sparse(self, matrix: SparseMatrix) -> np.ndarray:
        return self.dense(matrix.toarray())

    def dense_row(self, values: list[float]) -> list[float]:
        return self._run([float(x) for x in values])

    def sparse_row(self, vector: SparseVector) -> list[float]:
        return self.dense_row(vector.dense())
