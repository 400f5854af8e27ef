"""bucketed_random_projection_lsh: floor(x . u / bucket length) per random unit vector u, Spark
`BucketedRandomProjectionLSHModel`.

Attributes `random_unit_vectors` (list of tensors, one per hash table), `bucket_length` (double) and
`input_size` (int); ports `input`/`output`. Spark 3.5 computes `BLAS.gemv(1 / bucketLength, randMatrix,
x, 0.0, h)` with a row-major matrix, then `floor`: for dense x one fused multiply-add chain per table
(dgemv "T") times 1/bucketLength; for sparse x the stored entries times u summed in index order from
0.0, times 1/bucketLength (`jvm.linalg`). (MLeap divides by the bucket length instead, which can
land on the other side of an integer; we follow Spark.) Output: see `bundles.ops.lsh`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.lsh import LSHOp
from bundles.ops.vector_op import spark_vector_size
from jvm.linalg import JAVA11, MatrixWeights
from jvm.vectors import SparseMatrix, SparseVector


class BucketedRandomProjectionLSH(LSHOp):
    op_name = "bucketed_random_projection_lsh"
    spark_classes = ("BucketedRandomProjectionLSHModel",)

    def __init__(self, name: str, shape: Shape, unit_vectors: list[np.ndarray], bucket_length: float,
                 size: int = -1, vector_lanes: int = JAVA11):
        vectors = np.array([np.asarray(u, dtype=np.float64).ravel() for u in unit_vectors])
        if vectors.ndim != 2 or not len(vectors) or not bucket_length > 0:
            raise BundleError(f"node {name!r}: needs at least one random unit vector and a positive bucket_length")
        super().__init__(name, shape, size if size >= 0 else vectors.shape[1])
        self.unit_vectors = vectors
        self.bucket_length = float(bucket_length)
        self.scale = 1.0 / self.bucket_length
        self.weights = MatrixWeights(vectors, np.zeros(len(vectors)), "dense_row", vector_lanes)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> BucketedRandomProjectionLSH:
        return cls(name, shape, attrs.tensors("random_unit_vectors"), attrs.double("bucket_length"),
                   attrs.integer("input_size", -1), ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"random_unit_vectors": v.tensors(list(self.unit_vectors)),
                "bucket_length": v.double(self.bucket_length), "input_size": v.integer(self.size)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        matrix = stage._java_obj.randMatrix()  # private[ml] in Scala, public in bytecode; PySpark has no accessor
        rows, cols = matrix.numRows(), matrix.numCols()
        values = np.array(list(matrix.toArray()), dtype=np.float64).reshape(rows, cols, order="F")
        in_col = stage.getInputCol()
        return [cls(stage.uid, Shape.single(in_col, stage.getOutputCol()), list(values), stage.getBucketLength(),
                    spark_vector_size(ctx, in_col), ctx.vector_lanes)]

    def _hash(self, dots: np.ndarray) -> np.ndarray:
        return np.floor(dots * self.scale + 0.0)

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        return self.column(self._hash(self.weights.apply(matrix)))

    def sparse(self, matrix: SparseMatrix) -> np.ndarray:
        return self.column(self._hash(self.weights.apply_sparse(matrix)))

    def dense_row(self, values: list[float]) -> list[list[float]]:
        return self._hash_row(self.weights.apply_row(values))

    def sparse_row(self, vector: SparseVector) -> list[list[float]]:
        return self._hash_row(self.weights.apply_row(vector))

    def _hash_row(self, dots: list[float]) -> list[list[float]]:
        scaled = [d * self.scale + 0.0 for d in dots]
        return self.row([float(math.floor(h)) if math.isfinite(h) else h for h in scaled])
