"""interaction: the products of every combination of values across several columns, Spark `Interaction`.

Attributes `num_inputs` (int), `input_shapes` (data_shape list: scalar or tensor per input) and, per
input i, `num_features<i>` (int list: per slot, 1 for a numeric value, else the number of categories
of a nominal value, which is one-hot encoded). Ports `input0..` / `output`. As Spark's transform: the
last input is encoded first; each output index is `prev + i * prevSize` and each value `prev * a`
(products from 1.0, the last input's value first). A nominal value must be an index in [0, n). The
output is sparse (Spark returns `.compressed`; stored zeros are dropped, NaN kept); the writer takes
the counts from the inputs' ML attribute metadata (a vector input needs attributes, as in Spark).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape
from bundles.ops.vector_assembler import spark_shape
from jvm.number_text import java_double
from jvm.vectors import SparseMatrix, SparseVector, dense_row


def nominal_count(attr: dict, column: str) -> int:
    """Spark's `getNumFeatures`: categories of a nominal attribute (at least 1), else 1."""
    if attr.get("type") != "nominal":
        return 1
    count = len(attr["vals"]) if attr.get("vals") else attr.get("num_vals")
    if count is None:
        raise BundleError(f"column {column!r}: nominal features must have attr numValues defined")
    return max(1, int(count))


def spark_feature_counts(field: Any) -> list[int]:
    """Per-slot category counts of a scalar or vector column, from its ML attribute metadata."""
    meta = field.metadata.get("ml_attr", {})
    if spark_shape(field).get("base") != "tensor":
        return [nominal_count(meta, field.name)]
    if "attrs" not in meta:
        raise BundleError(f"vector column {field.name!r} has no ML attributes: Spark's Interaction needs them")
    counts = [1] * int(meta.get("num_attrs") or sum(len(a) for a in meta["attrs"].values()))
    for kind, attrs in meta["attrs"].items():
        for attr in attrs:
            counts[int(attr["idx"])] = nominal_count({**attr, "type": kind}, field.name)
    return counts


class Encoder:
    """One input's encoding: (slot offset + category, 1.0) for nominal slots, (slot offset, value) else."""

    def __init__(self, counts: list[int]):
        if not counts or any(c < 1 for c in counts):
            raise BundleError(f"interaction feature counts must be positive, got {counts}")
        self.counts = counts
        self.offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int).tolist()
        self.size = int(sum(counts))

    def outputs(self, value: Any, vector: bool) -> list[tuple[int, float]]:
        if not vector:
            if len(self.counts) != 1:
                raise InputError("DoubleType columns should only contain one feature.")
            entries: Any = [(0, float(value))]
        elif isinstance(value, SparseVector):
            self._check(value.size)
            entries = zip(value.indices, value.values, strict=True)
        else:
            values = dense_row(value)
            self._check(len(values))
            entries = enumerate(values)
        out = []
        for i, x in entries:
            n = self.counts[i]
            if n > 1:
                if not (x >= 0.0 and x < n and x == int(x)):
                    raise InputError(f"Values from column must be indices, but got {java_double(x)}.")
                out.append((self.offsets[i] + int(x), 1.0))
            else:
                out.append((self.offsets[i], x))
        return out

    def _check(self, size: int) -> None:
        if size != len(self.counts):
            raise InputError(f"Vector column size was {size}, expected {len(self.counts)}")


class Interaction(Op):
    op_name = "interaction"
    spark_classes = ("Interaction",)
    output_struct = "vector"

    def __init__(self, name: str, shape: Shape, counts: list[list[int]], input_shapes: list[dict]):
        super().__init__(name, Shape(shape.inputs, [("output", shape.output_cols[0])]))
        if len(counts) != len(shape.inputs) or len(input_shapes) != len(shape.inputs):
            raise BundleError(f"node {name!r}: interaction has {len(shape.inputs)} inputs, {len(counts)} feature "
                              f"counts and {len(input_shapes)} input shapes")
        self.counts = [list(map(int, c)) for c in counts]
        self.input_shapes = input_shapes
        self.vector = [s.get("base") == "tensor" for s in input_shapes]
        self.encoders = [Encoder(c) for c in self.counts]
        self.out_size = int(np.prod([e.size for e in self.encoders]))

    def input_struct_of(self, column: str) -> str:
        return "vector" if self.vector[self.shape.input_cols.index(column)] else "basic"

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Interaction:
        n = attrs.integer("num_inputs", len(shape.inputs))
        counts = [attrs.integers(f"num_features{i}") for i in range(n)]
        return cls(name, shape, counts, attrs.data_shapes("input_shapes"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"num_inputs": v.integer(len(self.counts)), "input_shapes": v.data_shapes(self.input_shapes)}
        for i, c in enumerate(self.counts):
            attrs[f"num_features{i}"] = v.integers(c)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        ins = stage.getInputCols()
        fields = [ctx.schema[c] for c in ins]
        shape = Shape([(f"input{i}", c) for i, c in enumerate(ins)], [("output", stage.getOutputCol())])
        return [cls(stage.uid, shape, [spark_feature_counts(f) for f in fields], [spark_shape(f) for f in fields])]

    def apply(self, values: list[Any]) -> SparseVector:
        indices, products, size = [0], [1.0], 1
        for k in range(len(values) - 1, -1, -1):
            prev_indices, prev_values, prev_size = indices, products, size
            indices, products = [], []
            size *= self.encoders[k].size
            for i, a in self.encoders[k].outputs(values[k], self.vector[k]):
                for j, p in zip(prev_indices, prev_values, strict=True):
                    indices.append(j + i * prev_size)
                    products.append(p * a)
        kept = [(i, x) for i, x in zip(indices, products, strict=True) if x != 0.0]
        return SparseVector(size, [i for i, _ in kept], [x for _, x in kept])

    def _value(self, value: Any, k: int) -> Any:
        if value is None:
            raise InputError("Values to interact cannot be null.")
        if self.vector[k]:
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            raise InputError(f"not a number: {value!r}") from None

    def transform_row(self, row: dict[str, Any]) -> None:
        cols = self.shape.input_cols
        values = []
        for k, col in enumerate(cols):
            try:
                values.append(self._value(row[col], k))
            except ValueError as exc:
                raise TransformError(str(exc), column=col) from None
        try:
            row[self.shape.output_cols[0]] = self.apply(values)
        except ValueError as exc:
            raise TransformError(str(exc), column=",".join(cols)) from None

    def transform(self, frame: Frame) -> None:
        cols = self.shape.input_cols
        columns = [frame.column(c) for c in cols]
        rows = []
        for r in range(len(frame)):
            values = []
            for k, column in enumerate(columns):
                value = column[r]
                if isinstance(value, np.ndarray):
                    value = value.tolist()
                try:
                    values.append(self._value(value, k))
                except ValueError as exc:
                    raise frame.error(r, cols[k], str(exc)) from None
            try:
                rows.append(self.apply(values))
            except ValueError as exc:
                raise frame.error(r, ",".join(cols), str(exc)) from None
        frame.columns[self.shape.output_cols[0]] = SparseMatrix.from_rows(rows, self.out_size)
