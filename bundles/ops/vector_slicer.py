"""vector_slicer: pick slots of a vector by index and by attribute name, Spark `VectorSlicer`.

Attributes `indices` (long list), `names` (string list), `named_indices` (int list: the slot of each
name, resolved from the input column's ML attributes when written) and `input_size` (int); ports
`input`/`output`. Output order: `indices` first, then the named slots (as Spark). Dense input gives a
dense output; a sparse input stays sparse (Spark's `SparseVector.slice`: stored non-zero entries only, so a
stored -0.0 is dropped and reads 0.0).
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


def attribute_index(field: Any, name: str) -> int:
    """The slot of attribute `name` in a vector column's ML attribute metadata (Spark's getFeatureIndicesFromNames)."""
    groups = field.metadata.get("ml_attr", {}).get("attrs", {})
    for attrs in groups.values():
        for attr in attrs:
            if attr.get("name") == name:
                return int(attr["idx"])
    raise BundleError(f"column {field.name!r} has no feature named {name!r} in its ML attributes")


class VectorSlicer(VectorOp):
    op_name = "vector_slicer"
    spark_classes = ("VectorSlicer",)

    def __init__(self, name: str, shape: Shape, indices: list[int], names: list[str] | None = None,
                 named_indices: list[int] | None = None, size: int = -1):
        super().__init__(name, shape, size)
        self.indices = [int(i) for i in indices]
        self.names = list(names or [])
        self.named_indices = [int(i) for i in named_indices or []]
        if len(self.names) != len(self.named_indices):
            raise BundleError(f"node {name!r}: {len(self.names)} names but {len(self.named_indices)} named_indices")
        self.selected = self.indices + self.named_indices
        if not self.selected or len(set(self.selected)) != len(self.selected) or min(self.selected) < 0:
            raise BundleError(f"node {name!r}: vector_slicer needs distinct non-negative indices, got {self.selected}")
        self._take = np.array(self.selected, dtype=np.int64)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> VectorSlicer:
        return cls(name, shape, attrs.integers("indices", []), attrs.strings("names", []),
                   attrs.integers("named_indices", []), attrs.integer("input_size", -1))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return self.sized({"indices": v.longs(self.indices), "names": v.strings(self.names),
                 "named_indices": v.integers(self.named_indices)})

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        in_col = stage.getInputCol()
        names = list(stage.getNames())
        named = [attribute_index(ctx.schema[in_col], n) for n in names]
        return [cls(stage.uid, Shape.single(in_col, stage.getOutputCol()), list(stage.getIndices()), names, named,
                    spark_vector_size(ctx, in_col))]

    def check_size(self, size: int) -> None:
        super().check_size(size)
        if max(self.selected) >= size:
            raise TransformError(f"selected index {max(self.selected)} is outside a vector of size {size}",
                                 column=self.in_col)

    def dense(self, matrix: np.ndarray) -> np.ndarray:
        return matrix[:, self._take]

    def sparse(self, matrix: SparseMatrix) -> SparseMatrix:
        return SparseMatrix.from_rows([self.sparse_row(matrix.row(i)) for i in range(len(matrix))],
                                      len(self.selected))

    def dense_row(self, values: list[float]) -> list[float]:
        return [values[i] for i in self.selected]

    def sparse_row(self, vector: SparseVector) -> SparseVector:
        stored = dict(zip(vector.indices, vector.values, strict=True))
        kept = [(k, stored[i]) for k, i in enumerate(self.selected) if stored.get(i, 0.0) != 0.0]
        return SparseVector(len(self.selected), [k for k, _ in kept], [x for _, x in kept])
