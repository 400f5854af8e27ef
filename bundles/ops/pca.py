"""pca: project a vector onto the principal components, Spark `PCAModel`.

Attribute `principal_components`: a 2-D tensor [n features, k components], column-major (Spark's
`pc.values`; MLeap writes them as is). Spark computes `pc.transpose.multiply(x)` = BLAS gemv on a
transposed dense matrix: for dense x one fused multiply-add chain per component (netlib dgemv "T"; on Spark 4
VectorBLAS's lanes, as the bundle records: `bundles.provenance`),
for sparse x the stored entries times the component, summed in index order from 0.0 (`jvm.linalg`).
The output is always dense; ports `input`/`output`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.vector_op import VectorOp
from jvm.linalg import JAVA11, MatrixWeights
from jvm.vectors import SparseMatrix, SparseVector


class PCA(VectorOp):
    op_name = "pca"
    spark_classes = ("PCAModel",)

    def __init__(self, name: str, shape: Shape, components: np.ndarray, vector_lanes: int = JAVA11):
        components = np.asarray(components, dtype=np.float64)
        if components.ndim != 2:
            raise BundleError(f"node {name!r}: principal_components must be a matrix, has shape {components.shape}")
        super().__init__(name, shape, components.shape[0])
        self.components = components
        self.weights = MatrixWeights(components.T, np.zeros(components.shape[1]), "dense_row", vector_lanes)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> PCA:
        return cls(name, shape, attrs.matrix("principal_components"), ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"principal_components": v.matrix(self.components)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = Shape.single(stage.getInputCol(), stage.getOutputCol())
        return [cls(stage.uid, shape, stage.pc.toArray(), ctx.vector_lanes)]

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        return self.weights.apply(matrix)

    def sparse(self, matrix: SparseMatrix) -> np.ndarray:
        return self.weights.apply_sparse(matrix)

    def dense_row(self, values: list[float]) -> list[float]:
        return self.weights.apply_row(values)

    def sparse_row(self, vector: SparseVector) -> list[float]:
        return self.weights.apply_row(vector)
