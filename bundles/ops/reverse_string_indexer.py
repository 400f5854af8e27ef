"""reverse_string_indexer: index -> label, Spark `IndexToString`.

Attributes `labels` (string list) and `input_shape` (a non-nullable scalar data_shape). Spark truncates
the double index to an int (Java's cast: NaN -> 0) and fails on an index outside the labels with
"Unseen index: <index> ??". The writer takes the stage's `labels`, else the nominal values in the input
column's ML attribute metadata (as Spark does).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.frame import Frame, object_column
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp
from jvm.number_text import java_double


def spark_int(index: float) -> int:
    """Scala's `Double.toInt`: truncate toward zero, NaN -> 0, saturate at the int range."""
    if index != index:
        return 0
    return int(max(min(index, 2**31 - 1), -2**31))


class ReverseStringIndexer(RowMapOp):
    op_name = "reverse_string_indexer"
    spark_classes = ("IndexToString",)
    input_kind = "number"
    input_struct = "basic"
    input_type = "double"
    output_kind = "label"

    def __init__(self, name: str, shape: Shape, labels: list[str]):
        super().__init__(name, shape)
        self.labels = list(labels)
        self._labels = object_column(self.labels)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> ReverseStringIndexer:
        data_shape = attrs.data_shape("input_shape", v.scalar_shape(False))
        if data_shape.get("base", "scalar") != "scalar":
            raise BundleError(f"node {name!r}: reverse_string_indexer supports scalar input only")
        return cls(name, shape, attrs.strings("labels"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"labels": v.strings(self.labels), "input_shape": v.data_shape(v.scalar_shape(False))}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        labels = stage.getLabels() if stage.isSet("labels") else None
        if not labels:
            in_col = stage.getInputCol()
            attr = ctx.schema[in_col].metadata.get("ml_attr", {}) if ctx.schema is not None else {}
            labels = attr.get("vals")
            if not labels:
                raise BundleError(f"Spark stage IndexToString ({stage.uid}): no labels set and column {in_col!r} "
                                  "carries no nominal values in its metadata")
        return [cls(stage.uid, cls.single_shape(stage), list(labels))]

    def apply(self, value: float) -> str:
        idx = spark_int(value)
        if not 0 <= idx < len(self.labels):
            raise InputError(f"Unseen index: {java_double(value)} ??")
        return self.labels[idx]

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        column = frame.column(in_col)
        if not isinstance(column, np.ndarray) or column.dtype == object or column.ndim != 1:
            return super().transform(frame)
        index = np.nan_to_num(column.astype(np.float64), nan=0.0, posinf=2**31 - 1, neginf=-2**31)
        index = np.trunc(index)
        bad = (index < 0) | (index >= len(self.labels))
        if bad.any():
            pos = int(np.argmax(bad))
            raise frame.error(pos, in_col, f"Unseen index: {java_double(float(column[pos]))} ??")
        frame.columns[self.shape.output_cols[0]] = self._labels[index.astype(np.int64)]
