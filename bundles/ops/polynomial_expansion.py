"""polynomial_expansion: every monomial of degree 1..d of a vector, Spark `PolynomialExpansion`.

Attributes `degree` and `input_size` (longs); ports `input`/`output`. The output has C(n + d, d) - 1
slots in Spark's term order: the recursion over the last feature first (`expandDense` / `expandSparse`),
each term a chain of multiplications (1.0 * v_last^i * ... left to right), a subtree whose multiplier
reaches 0.0 left at 0.0 (so 0 * NaN stays 0, as in Spark). Dense input gives dense output; a sparse
input stays sparse (terms of stored entries only).
"""

from __future__ import annotations

from math import comb
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.vector_op import VectorOp, spark_vector_size
from jvm.vectors import SparseMatrix, SparseVector


def poly_size(num_features: int, degree: int) -> int:
    return comb(num_features + degree, degree)


def dense_terms(size: int, degree: int) -> list[list[int]]:
    """Spark's output slots in order, each the feature indices multiplied into it (in multiplication order)."""
    terms: list[list[int]] = []

    def expand(last: int, left: int, chain: list[int]) -> None:
        if left == 0 or last < 0:
            terms.append(chain)
            return
        for i in range(left + 1):
            expand(last - 1, left - i, chain + [last] * i)

    expand(size - 1, degree, [])
    return terms[1:]  # Spark skips the very first term (the constant 1)


class PolynomialExpansion(VectorOp):
    op_name = "polynomial_expansion"
    spark_classes = ("PolynomialExpansion",)

    def __init__(self, name: str, shape: Shape, degree: int, size: int):
        if degree < 1 or size < 0:
            raise BundleError(f"node {name!r}: polynomial_expansion needs degree >= 1 and input_size >= 0")
        if poly_size(size, degree) > 2**31 - 1:
            raise BundleError(f"node {name!r}: {size} features to degree {degree} exceed Spark's output size limit")
        super().__init__(name, shape, size)
        self.degree = int(degree)
        self.out_size = poly_size(size, degree) - 1
        self.terms = dense_terms(size, degree)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> PolynomialExpansion:
        return cls(name, shape, attrs.integer("degree"), attrs.integer("input_size"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"degree": v.long(self.degree), "input_size": v.long(self.size)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        in_col = stage.getInputCol()
        size = spark_vector_size(ctx, in_col)
        if size < 0:
            raise BundleError(f"Spark stage PolynomialExpansion ({stage.uid}): the size of vector column "
                              f"{in_col!r} is unknown (no ML attributes in the sample's schema)")
        return [cls(stage.uid, Shape.single(in_col, stage.getOutputCol()), stage.getDegree(), size)]

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        out = np.zeros((len(matrix), self.out_size))
        for k, chain in enumerate(self.terms):
            value = np.ones(len(matrix))
            dead = np.zeros(len(matrix), dtype=bool)
            for j in chain:
                value = value * matrix[:, j]
                dead |= value == 0.0
            out[:, k] = np.where(dead, 0.0, value)
        return out

    def dense_row(self, values: list[float]) -> list[float]:
        out = [0.0] * self.out_size
        self._expand_dense(values, len(values) - 1, self.degree, 1.0, out, -1)
        return out

    def _expand_dense(self, values: list[float], last: int, degree: int, multiplier: float, out: list[float],
                      at: int) -> int:
        if multiplier == 0.0:
            pass
        elif degree == 0 or last < 0:
            if at >= 0:
                out[at] = multiplier
        else:
            x, alpha, start, i = values[last], multiplier, at, 0
            while i <= degree and alpha != 0.0:
                start = self._expand_dense(values, last - 1, degree - i, alpha, out, start)
                i += 1
                alpha *= x
        return at + poly_size(last + 1, degree)

    def sparse(self, matrix: SparseMatrix) -> SparseMatrix:
        return SparseMatrix.from_rows([self.sparse_row(matrix.row(i)) for i in range(len(matrix))], self.out_size)

    def sparse_row(self, vector: SparseVector) -> SparseVector:
        indices: list[int] = []
        values: list[float] = []
        self._expand_sparse(vector.indices, vector.values, len(vector.indices) - 1, vector.size - 1, self.degree,
                            1.0, indices, values, -1)
        return SparseVector(poly_size(vector.size, self.degree) - 1, indices, values)

    def _expand_sparse(self, idx: list[int], vals: list[float], last: int, last_feature: int, degree: int,
                       multiplier: float, indices: list[int], values: list[float], at: int) -> int:
        if multiplier == 0.0:
            pass
        elif degree == 0 or last < 0:
            if at >= 0:
                indices.append(at)
                values.append(multiplier)
        else:
            x, alpha, start, i = vals[last], multiplier, at, 0
            while i <= degree and alpha != 0.0:
                start = self._expand_sparse(idx, vals, last - 1, idx[last] - 1, degree - i, alpha, indices, values,
                                            start)
                i += 1
                alpha *= x
        return at + poly_size(last_feature + 1, degree)
