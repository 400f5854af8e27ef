"""elementwise_product: each slot times a fixed weight, Spark `ElementwiseProduct`.

Attribute `scaling_vec` (double tensor); ports `input`/`output`. Dense input gives dense output
(x[i] * w[i]); a sparse input stays sparse (each stored value times the weight at its index), as Spark.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.vector_op import VectorOp
from jvm.vectors import SparseMatrix, SparseVector


class ElementwiseProduct(VectorOp):
    op_name = "elementwise_product"
    spark_classes = ("ElementwiseProduct",)

    def __init__(self, name: str, shape: Shape, scaling: np.ndarray):
        self.scaling = np.asarray(scaling, dtype=np.float64).ravel()
        super().__init__(name, shape, len(self.scaling))
        self._row = self.scaling.tolist()

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> ElementwiseProduct:
        return cls(name, shape, attrs.tensor("scaling_vec"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"scaling_vec": v.tensor(self.scaling)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = Shape.single(stage.getInputCol(), stage.getOutputCol())
        return [cls(stage.uid, shape, stage.getScalingVec().toArray())]

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        return matrix * self.scaling

    def sparse(self, matrix: SparseMatrix) -> SparseMatrix:
        return matrix.with_values(matrix.values * self.scaling[matrix.indices])

    def dense_row(self, values: list[float]) -> list[float]:
        return [x * w for x, w in zip(values, self._row, strict=True)]

    def sparse_row(self, vector: SparseVector) -> SparseVector:
        w = self._row
        return SparseVector(vector.size, vector.indices, [x * w[i] for i, x in zip(vector.indices, vector.values,
                                                                                   strict=True)])
