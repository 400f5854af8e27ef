"""min_hash_lsh: min over the non-zero slots i of ((1 + i) * a + b) mod 2038074743, per hash table, Spark
`MinHashLSHModel`.

Attributes `random_coefficients_a` / `random_coefficients_b` (long lists, one pair per table) and
`input_size` (int); ports `input`/`output`. Spark 3 computes in 64-bit integers (exact here; MLeap's
runtime uses 32-bit ints, which overflow for large slots: we follow Spark). A vector with no non-zero
value is an error ("Must have at least 1 non zero entry."). Output: see `bundles.ops.lsh`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.lsh import LSHOp
from bundles.ops.vector_op import spark_vector_size
from jvm.vectors import SparseMatrix, SparseVector

HASH_PRIME = 2038074743
EMPTY = "Must have at least 1 non zero entry."


class MinHashLSH(LSHOp):
    op_name = "min_hash_lsh"
    spark_classes = ("MinHashLSHModel",)

    def __init__(self, name: str, shape: Shape, a: list[int], b: list[int], size: int = -1):
        if len(a) != len(b) or not a:
            raise BundleError(f"node {name!r}: min_hash_lsh needs as many coefficients a as b (at least one)")
        super().__init__(name, shape, size)
        self.a, self.b = [int(x) for x in a], [int(x) for x in b]
        self._a = np.array(self.a, dtype=np.int64)
        self._b = np.array(self.b, dtype=np.int64)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MinHashLSH:
        return cls(name, shape, attrs.integers("random_coefficients_a"), attrs.integers("random_coefficients_b"),
                   attrs.integer("input_size", -1))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return self.sized({"random_coefficients_a": v.longs(self.a), "random_coefficients_b": v.longs(self.b)})

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        pairs = stage._java_obj.randCoefficients()  # private[ml] in Scala, public in bytecode; PySpark has no accessor
        a = [int(p._1()) for p in pairs]
        b = [int(p._2()) for p in pairs]
        in_col = stage.getInputCol()
        return [cls(stage.uid, Shape.single(in_col, stage.getOutputCol()), a, b, spark_vector_size(ctx, in_col))]

    def _hashes(self, slots: np.ndarray) -> np.ndarray:
        """(tables,) minimum hash over the non-zero slots of one row (int64 is exact: < 2**62)."""
        return (((1 + slots[:, None]) * self._a + self._b) % HASH_PRIME).min(axis=0).astype(np.float64)

    def _column(self, rows: list[np.ndarray]) -> np.ndarray:
        if any(len(r) == 0 for r in rows):
            raise InputError(EMPTY)
        return self.column(np.array([self._hashes(r) for r in rows]).reshape(len(rows), len(self.a)))

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        return self._column([np.flatnonzero(row) for row in matrix])

    def sparse(self, matrix: SparseMatrix) -> np.ndarray:
        nonzero = matrix.values != 0.0
        return self._column([matrix.indices[a:b][nonzero[a:b]] for a, b in zip(matrix.indptr[:-1], matrix.indptr[1:],
                                                                                strict=True)])

    def _row(self, slots: list[int]) -> list[list[float]]:
        if not slots:
            raise InputError(EMPTY)
        return self.row([float(min(((1 + i) * a + b) % HASH_PRIME for i in slots)) for a, b in zip(self.a, self.b,
                                                                                                  strict=True)])

    def dense_row(self, values: list[float]) -> list[list[float]]:
        return self._row([i for i, x in enumerate(values) if x != 0.0])

    def sparse_row(self, vector: SparseVector) -> list[list[float]]:
        return self._row([i for i, x in zip(vector.indices, vector.values, strict=True) if x != 0.0])
