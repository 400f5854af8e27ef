"""chi_sq_selector: keep the selected slots of a vector, Spark `ChiSqSelectorModel`.

Attributes `filter_indices` (long list, ascending) and `input_size` (int); ports `input`/`output`.
Spark 3.5's other selectors compute exactly the same thing from their `selectedFeatures`
(`UnivariateFeatureSelectorModel`, `VarianceThresholdSelectorModel`: Spark's shared `SelectorModel`
transform), so they are written as this op too. Dense input: the selected values in order; sparse
input stays sparse (the stored entries whose index is selected, renumbered), as Spark's `compressSparse`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.ops.base import Op, Shape
from bundles.ops.vector_op import VectorOp, spark_vector_size
from jvm.vectors import SparseMatrix, SparseVector


class ChiSqSelector(VectorOp):
    op_name = "chi_sq_selector"
    spark_classes = ("ChiSqSelectorModel", "UnivariateFeatureSelectorModel", "VarianceThresholdSelectorModel")

    def __init__(self, name: str, shape: Shape, indices: list[int], size: int = -1):
        super().__init__(name, shape, size)
        self.indices = [int(i) for i in indices]
        if any(b <= a for a, b in zip(self.indices, self.indices[1:], strict=False)) or \
                (self.indices and self.indices[0] < 0) or (size >= 0 and self.indices and self.indices[-1] >= size):
            raise BundleError(f"node {name!r}: filter_indices must be ascending, unique and within the input size "
                              f"{size}: {self.indices}")
        self._take = np.array(self.indices, dtype=np.int64)
        self._position = {i: k for k, i in enumerate(self.indices)}

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> ChiSqSelector:
        return cls(name, shape, attrs.integers("filter_indices"), attrs.integer("input_size", -1))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return self.sized({"filter_indices": v.longs(self.indices)})

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        in_col = stage.getFeaturesCol()
        shape = Shape.single(in_col, stage.getOutputCol())
        return [cls(stage.uid, shape, sorted(stage.selectedFeatures), spark_vector_size(ctx, in_col))]

    def check_size(self, size: int) -> None:
        super().check_size(size)
        if self.indices and self.indices[-1] >= size:
            raise TransformError(f"selected index {self.indices[-1]} is outside a vector of size {size}",
                                 column=self.in_col)

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        return matrix[:, self._take]

    def sparse(self, matrix: SparseMatrix) -> SparseMatrix:
        lookup = np.full(max(matrix.size, 1), -1, dtype=np.int64)
        lookup[self._take] = np.arange(len(self._take))
        new = lookup[matrix.indices]
        keep = new >= 0
        indptr = np.zeros(len(matrix) + 1, dtype=np.int64)
        np.cumsum(np.bincount(matrix.row_ids()[keep], minlength=len(matrix)), out=indptr[1:])
        return SparseMatrix(len(self.indices), indptr, new[keep], matrix.values[keep])

    def dense_row(self, values: list[float]) -> list[float]:
        return [values[i] for i in self.indices]

    def sparse_row(self, vector: SparseVector) -> SparseVector:
        position = self._position
        kept = [(position[i], x) for i, x in zip(vector.indices, vector.values, strict=True) if i in position]
        return SparseVector(len(self.indices), [k for k, _ in kept], [x for _, x in kept])
