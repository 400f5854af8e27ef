"""string_indexer: label -> index (float64), Spark `StringIndexerModel`.

Reads legacy `labels` (MLeap <= 0.17) and new `labels_length` + `labels_array_<i>` (one or many columns).
Writes one node per column: new form for MLeap 0.20 (which loads only `labels_length == 1`), or legacy.
Null input: keep -> len(labels), error -> error, skip -> row dropped. Unseen labels likewise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame, SkipRow, object_column
from bundles.ops.base import Op, Shape, lookup_row_function, node_names, spark_columns
from jvm.number_text import java_double, java_float

HANDLE_INVALID = ("error", "skip", "keep")


def as_label(value: Any) -> str | None:
    """Spark's cast of a value to its label string; None for null/NaN."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, np.float32):
        return None if math.isnan(value) else java_float(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else java_double(float(value))
    return str(value)


def _scalars(column: np.ndarray) -> list:
    """Plain Python values of a column, except float32 (kept, so that its text is Java's Float.toString)."""
    return list(column) if column.dtype == np.float32 else column.tolist()


class StringIndexer(Op):
    op_name = "string_indexer"
    spark_classes = ("StringIndexerModel",)
    input_type = "string"
    output_struct = "basic"

    def __init__(self, name: str, shape: Shape, labels: list[list[str]], handle_invalid: str = "error"):
        super().__init__(name, shape)
        if handle_invalid not in HANDLE_INVALID:
            raise BundleError(f"node {name!r}: handle_invalid must be one of {HANDLE_INVALID}")
        if len(labels) != len(shape.inputs):
            raise BundleError(f"node {name!r}: {len(labels)} label lists for {len(shape.inputs)} inputs")
        self.labels = labels
        self.handle_invalid = handle_invalid
        import pandas as pd  # here, not at the top: a process that only reads bundles' archives (the XGBoost
        # container) must not pay pandas' import (about a second of every restart under load)

        self._index = [pd.Index(ls) for ls in labels]
        self._lookup = [{label: float(i) for i, label in enumerate(ls)} for ls in labels]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> StringIndexer:
        if "labels_length" in attrs:
            count = attrs.integer("labels_length")
            labels = [attrs.strings(f"labels_array_{i}") for i in range(count)]
        else:
            labels = [attrs.strings("labels")]
        return cls(name, shape, labels, attrs.string("handle_invalid", "error"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        (_, in_col), (_, out_col) = self.shape.inputs[0], self.shape.outputs[0]
        if len(self.labels) != 1:
            raise BundleError(f"node {self.name!r}: write one string_indexer node per column")
        if ctx.target == "0.9":
            attrs = {"labels": v.strings(self.labels[0]), "handle_invalid": v.string(self.handle_invalid)}
        else:
            attrs = {
                "labels_length": v.integer(1),
                "handle_invalid": v.string(self.handle_invalid),
                "labels_array_0": v.strings(self.labels[0]),
                "input_col": v.string(in_col),
                "output_col": v.string(out_col),
            }
        return attrs, Shape.single(in_col, out_col)

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        pairs = spark_columns(stage)
        labels = [list(ls) for ls in stage.labelsArray]
        return [cls(name, Shape.single(i_col, o_col), [ls], stage.getHandleInvalid())
                for name, (i_col, o_col), ls in zip(node_names(stage, len(pairs)), pairs, labels, strict=True)]

    def warm_up_input(self, column: str) -> Any:
        """The first known label of `column`'s label list."""
        labels = self.labels[self.shape.input_cols.index(column)]
        return labels[0] if labels else None

    def transform(self, frame: Frame) -> None:
        skip = np.zeros(len(frame), dtype=bool)
        results = []
        for k, (in_col, out_col) in enumerate(zip(self.shape.input_cols, self.shape.output_cols, strict=True)):
            raw = frame.column(in_col)
            labels = raw if raw.dtype == object else object_column(list(map(as_label, _scalars(raw))))
            index = self._index[k].get_indexer(labels).astype(np.float64)
            bad = index < 0
            if bad.any():
                n = len(self.labels[k])
                if self.handle_invalid == "keep":
                    index[bad] = n
                elif self.handle_invalid == "skip":
                    skip |= bad
                else:
                    pos = int(np.argmax(bad))
                    raise frame.error(pos, in_col, self._invalid_message(as_label(labels[pos])))
            results.append((out_col, index))
        for out_col, index in results:
            frame.columns[out_col] = index
        if skip.any():
            frame.keep(~skip)

    def transform_row(self, row: dict[str, Any]) -> None:
        for k, (in_col, out_col) in enumerate(zip(self.shape.input_cols, self.shape.output_cols, strict=True)):
            label = as_label(row[in_col])
            index = self._lookup[k].get(label) if label is not None else None
            if index is None:
                if self.handle_invalid == "keep":
                    index = float(len(self.labels[k]))
                elif self.handle_invalid == "skip":
                    raise SkipRow
                else:
                    raise TransformError(self._invalid_message(label), column=in_col)
            row[out_col] = index

    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """Known string labels looked up directly; anything else through `transform_row`."""
        columns = zip(self.shape.input_cols, self.shape.output_cols, (t.get for t in self._lookup), strict=True)
        return lookup_row_function(list(columns), str, self.transform_row)

    def _invalid_message(self, label: str | None) -> str:
        if label is None:
            return "StringIndexer encountered NULL value. To handle NULLS, set handleInvalid to keep"
        return f"Unseen label: {label}. To handle unseen labels, set handleInvalid to keep"
