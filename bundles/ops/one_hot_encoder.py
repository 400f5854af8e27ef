"""one_hot_encoder: category index -> one-hot vector, Spark `OneHotEncoderModel`.

Reads legacy `size` (already reduced by one when drop_last) and new `category_sizes`. The legacy 0.9
form stores the vector width as `size` (its reader zero-fills anything past it), so it cannot express
handle_invalid=keep without drop_last. Follows MLeap:
a non-integer index is an error (Spark would truncate it). Vector width per column: n+1 with keep and
not drop_last, n-1 with drop_last and not keep, else n; an index past the width gives all zeros.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape, lookup_row_function, node_names, spark_columns


class OneHotEncoder(Op):
    op_name = "one_hot_encoder"
    spark_classes = ("OneHotEncoderModel",)

    def __init__(self, name: str, shape: Shape, category_sizes: list[int], drop_last: bool = True,
                 handle_invalid: str = "error"):
        super().__init__(name, shape)
        if handle_invalid not in ("error", "keep"):
            raise BundleError(f"node {name!r}: one_hot_encoder handle_invalid must be 'error' or 'keep'")
        if len(category_sizes) != len(shape.inputs):
            raise BundleError(f"node {name!r}: {len(category_sizes)} category sizes for {len(shape.inputs)} inputs")
        self.category_sizes = [int(n) for n in category_sizes]
        self.drop_last = bool(drop_last)
        self.handle_invalid = handle_invalid
        keep = handle_invalid == "keep"
        self.widths = [n + 1 if keep and not drop_last else n - 1 if drop_last and not keep else n
                       for n in self.category_sizes]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> OneHotEncoder:
        shape = Shape.indexed(shape.input_cols, shape.output_cols)
        if "size" in attrs:
            drop_last = attrs.boolean("drop_last", True)
            handle = attrs.string("handle_invalid", "keep" if drop_last else "error")
            return cls(name, shape, [attrs.integer("size")], drop_last, handle)
        return cls(name, shape, attrs.integers("category_sizes"), attrs.boolean("drop_last"),
                   attrs.string("handle_invalid"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9":
            if len(self.category_sizes) != 1:
                raise BundleError(f"node {self.name!r}: the 0.9 form holds one column per node")
            if self.handle_invalid == "keep" and not self.drop_last:
                raise BundleError(f"node {self.name!r}: the 0.9 form cannot hold handle_invalid=keep without "
                                  "drop_last (its reader errors on unseen values); write target 0.20")
            size = self.widths[0]  # the legacy size is the vector width (keep + drop_last keeps all n slots)
            attrs = {"size": v.long(size), "drop_last": v.boolean(self.drop_last)}
            return attrs, Shape.single(self.shape.input_cols[0], self.shape.output_cols[0])
        attrs = {
            "category_sizes": v.integers(self.category_sizes),
            "drop_last": v.boolean(self.drop_last),
            "handle_invalid": v.string(self.handle_invalid),
        }
        return attrs, Shape.indexed(self.shape.input_cols, self.shape.output_cols)

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        pairs = spark_columns(stage)
        sizes = list(stage.categorySizes)
        if ctx.target == "0.9" and len(pairs) > 1:
            return [cls(name, Shape.indexed([a], [b]), [n], stage.getDropLast(), stage.getHandleInvalid())
                    for name, (a, b), n in zip(node_names(stage, len(pairs)), pairs, sizes, strict=True)]
        ins, outs = (list(cols) for cols in zip(*pairs, strict=True))
        return [cls(stage.uid, Shape.indexed(ins, outs), sizes, stage.getDropLast(), stage.getHandleInvalid())]

    def _index(self, k: int, label: float) -> int:
        """Slot of `label` in column k's vector, or -1 for the all-zero vector; raises on bad labels."""
        if math.isnan(label) or label != math.floor(label):
            raise InputError(f"invalid label: {label}, must be integer")
        n = self.category_sizes[k]
        if 0 <= label < n:
            idx = int(label)
        elif self.handle_invalid == "keep":
            idx = n
        else:
            raise InputError(f"{'Negative' if label < 0 else 'Unseen'} value: {label}. "
                             "To handle unseen values, set handleInvalid to keep.")
        return idx if idx < self.widths[k] else -1

    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """A valid float index picks a copy of its prebuilt vector; anything else goes through `transform_row`."""
        columns = []
        for k, (in_col, out_col) in enumerate(zip(self.shape.input_cols, self.shape.output_cols, strict=True)):
            vectors = {}
            for label in range(self.category_sizes[k]):
                vec = [0.0] * self.widths[k]
                idx = self._index(k, float(label))
                if idx >= 0:
                    vec[idx] = 1.0
                vectors[float(label)] = vec
            columns.append((in_col, out_col, vectors.get))
        return lookup_row_function(columns, float, self.transform_row, copy=True)

    def transform(self, frame: Frame) -> None:
        for k, (in_col, out_col) in enumerate(zip(self.shape.input_cols, self.shape.output_cols, strict=True)):
            labels = frame.column(in_col).astype(np.float64, copy=False)
            n, width = self.category_sizes[k], self.widths[k]
            valid = (labels >= 0) & (labels < n) & (labels == np.floor(labels))
            if not valid.all():
                for pos in np.flatnonzero(~valid):
                    try:
                        self._index(k, float(labels[pos]))
                    except ValueError as exc:
                        raise frame.error(int(pos), in_col, str(exc)) from None
                labels = np.where(valid, labels, n)  # only reachable with keep
            idx = labels.astype(np.int64)
            out = np.zeros((len(idx), width), dtype=np.float64)
            hit = idx < width
            out[np.flatnonzero(hit), idx[hit]] = 1.0
            frame.columns[out_col] = out

    def transform_row(self, row: dict[str, Any]) -> None:
        for k, (in_col, out_col) in enumerate(zip(self.shape.input_cols, self.shape.output_cols, strict=True)):
            try:
                idx = self._index(k, float(row[in_col]))
            except ValueError as exc:
                raise TransformError(str(exc), column=in_col) from None
            vec = [0.0] * self.widths[k]
            if idx >= 0:
                vec[idx] = 1.0
            row[out_col] = vec
