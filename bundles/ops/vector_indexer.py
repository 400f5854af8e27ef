"""vector_indexer: replace categorical slots of a vector by their category index, Spark `VectorIndexerModel`.

Attributes `keys` (long list: the categorical slots), per slot k `key_<k>_keys` (double list: the seen
values) and `key_<k>_values` (long list: their indices), `num_features` (long) and `handle_invalid`
("error" default, "keep": an unseen value becomes the slot's category count, "skip": the row is
dropped); ports `input`/`output`. Dense input: every categorical slot is looked up (0.0 too); sparse
input stays sparse and only its stored entries are looked up (Spark relies on 0.0 -> 0). NaN is never
a known value. Error text as Spark's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.frame import Frame, SkipRow
from bundles.ops.base import Op, Shape
from bundles.ops.vector_op import VectorOp
from jvm.number_text import java_double
from jvm.vectors import SparseMatrix, SparseVector

HANDLE_INVALID = ("error", "keep", "skip")


class VectorIndexer(VectorOp):
    op_name = "vector_indexer"
    spark_classes = ("VectorIndexerModel",)

    def __init__(self, name: str, shape: Shape, size: int, category_maps: dict[int, dict[float, int]],
                 handle_invalid: str = "error"):
        if handle_invalid not in HANDLE_INVALID:
            raise BundleError(f"node {name!r}: handle_invalid must be one of {HANDLE_INVALID}, got {handle_invalid!r}")
        if any(not 0 <= k < size for k in category_maps):
            raise BundleError(f"node {name!r}: categorical slots {sorted(category_maps)} outside {size} features")
        super().__init__(name, shape, size)
        self.category_maps = {int(k): {float(x): int(i) for x, i in m.items()} for k, m in category_maps.items()}
        self.handle_invalid = handle_invalid
        self._sorted = {}
        for k, m in sorted(self.category_maps.items()):
            keys = np.array(sorted(m), dtype=np.float64)
            self._sorted[k] = (keys, np.array([m[x] for x in keys.tolist()], dtype=np.float64))

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> VectorIndexer:
        maps = {}
        for k in attrs.integers("keys", []):
            keys, values = attrs.doubles(f"key_{k}_keys"), attrs.integers(f"key_{k}_values")
            if len(keys) != len(values):
                raise BundleError(f"node {name!r}: slot {k} has {len(keys)} keys and {len(values)} values")
            maps[k] = dict(zip(keys, values, strict=True))
        return cls(name, shape, attrs.integer("num_features"), maps, attrs.string("handle_invalid", "error"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9" and self.handle_invalid != "error":
            raise BundleError(f"node {self.name!r}: MLeap 0.9 has no vector_indexer handle_invalid "
                              f"({self.handle_invalid!r} would become 'error'); write target 0.20")
        attrs = {"keys": v.longs(sorted(self.category_maps)), "num_features": v.long(self.size),
                 "handle_invalid": v.string(self.handle_invalid)}
        for k, m in sorted(self.category_maps.items()):
            attrs[f"key_{k}_keys"] = v.doubles(list(m))
            attrs[f"key_{k}_values"] = v.longs(list(m.values()))
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, Shape.single(stage.getInputCol(), stage.getOutputCol()), stage.numFeatures,
                    stage.categoryMaps, stage.getHandleInvalid())]

    def _invalid(self, value: float, slot: int) -> InputError:
        return InputError(f"VectorIndexer encountered invalid value {java_double(value)} on feature index {slot}. "
                          "To handle or skip invalid value, try setting VectorIndexer.handleInvalid.")

    def _lookup(self, slot: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(indices, found) of values `x` at categorical slot `slot`; unseen values get the keep index."""
        keys, indices = self._sorted[slot]
        pos = np.minimum(np.searchsorted(keys, x), max(len(keys) - 1, 0))
        found = (keys[pos] == x) if len(keys) else np.zeros(len(x), dtype=bool)
        return np.where(found, indices[pos] if len(keys) else 0.0, float(len(keys))), found

    def dense(self, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple | None]:
        """(output, rows with an unseen value, (row, slot, value) of the first one)."""
        out = matrix.copy()
        bad = np.zeros(len(matrix), dtype=bool)
        first = None
        for slot in self._sorted:
            out[:, slot], found = self._lookup(slot, matrix[:, slot])
            if not found.all():
                row = int(np.argmin(found))
                if first is None or row < first[0]:
                    first = (row, slot, float(matrix[row, slot]))
                bad |= ~found
        return out, bad, first

    def sparse(self, matrix: SparseMatrix) -> tuple[SparseMatrix, np.ndarray, tuple | None]:
        values = matrix.values.copy()
        rows = matrix.row_ids()
        bad = np.zeros(len(matrix), dtype=bool)
        first = None
        for slot in self._sorted:
            at = np.flatnonzero(matrix.indices == slot)
            if not len(at):
                continue
            values[at], found = self._lookup(slot, matrix.values[at])
            if not found.all():
                entry = int(at[int(np.argmin(found))])
                if first is None or rows[entry] < first[0]:
                    first = (int(rows[entry]), slot, float(matrix.values[entry]))
                bad[rows[at[~found]]] = True
        return matrix.with_values(values), bad, first

    def put(self, frame: Frame, out: Any) -> None:
        column, bad, first = out
        if first is not None and self.handle_invalid == "error":
            row, slot, value = first
            raise frame.error(row, self.in_col, str(self._invalid(value, slot)))
        frame.columns[self.out_col] = column
        if first is not None and self.handle_invalid == "skip":
            frame.keep(~bad)

    def dense_row(self, values: list[float]) -> list[float]:
        out = list(values)
        for slot, m in self.category_maps.items():
            out[slot] = float(self._index(m, values[slot], slot))
        return out

    def sparse_row(self, vector: SparseVector) -> SparseVector:
        out = list(vector.values)
        for k, (slot, x) in enumerate(zip(vector.indices, vector.values, strict=True)):
            m = self.category_maps.get(slot)
            if m is not None:
                out[k] = float(self._index(m, x, slot))
        return SparseVector(vector.size, vector.indices, out)

    def _index(self, m: dict[float, int], x: float, slot: int) -> int:
        index = m.get(x)
        if index is not None:
            return index
        if self.handle_invalid == "keep":
            return len(m)
        if self.handle_invalid == "skip":
            raise SkipRow
        raise self._invalid(x, slot)
