"""target_encoder: category index -> target statistic (float64), Spark 4's `TargetEncoderModel`.

MLeap has no such op (mleap-core's feature models have no TargetEncoder), so the op name and attributes are
ours; real MLeap refuses the bundle (its registry has no `target_encoder`: the interop catalogue pins that), for
either writer target, and `bundle export` says so.
One node per Spark input column; ports `input` -> `output`. Attributes:
`target_type` ("binary" | "continuous"), `handle_invalid` ("error" | "keep"), `smoothing` (double >= 0),
`categories` (doubles: the category indices seen in training, ascending), `counts` (doubles: labelled
training rows per category), `stats` (doubles: per category, the rows labelled 1 (binary) or the mean label
(continuous)), `global_count` / `global_stat` (the same over every labelled row: Spark's unseen-category
entry) and, when training saw null categories, `null_count` / `null_stat`.

As Spark 4.0-4.3 (`TargetEncoderModel.transform`): each entry's encoding is w * (stat / count) + (1 - w) *
(global_stat / global_count) (binary) or w * stat + (1 - w) * global_stat (continuous), w = count / (count +
smoothing), in that floating-point order (bit-equal). The input is cast to double and looked up (-0.0 is
0.0); null takes the null category's encoding. A value training never saw (NaN, a fraction, a negative
number, a null with no null category) takes the global encoding with handle_invalid=keep, and fails with
Spark's "Unseen value ..." message with error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape, lookup_row_function, node_names
from jvm.number_text import java_double

TARGET_TYPES = ("binary", "continuous")
HANDLE_INVALID = ("error", "keep")
SPARK_UNSEEN = 2147483647.0  # Spark's key of the global statistics (Int.MaxValue)
SPARK_NULL = -1.0  # Spark's key of the null category


def encoding(count: float, stat: float, global_count: float, global_stat: float, smoothing: float,
             target_type: str) -> float:
    """Spark's blend of one category's statistic with the global one (its operation order)."""
    weight = count / (count + smoothing)
    if target_type == "binary":
        return weight * (stat / count) + (1.0 - weight) * (global_stat / global_count)
    return weight * stat + (1.0 - weight) * global_stat


class TargetEncoder(Op):
    op_name = "target_encoder"
    spark_classes = ("TargetEncoderModel",)
    output_struct = "basic"
    mleap_reads = False

    def __init__(self, name: str, shape: Shape, categories: list[float], counts: list[float], stats: list[float],
                 global_stats: tuple[float, float], null_stats: tuple[float, float] | None = None,
                 target_type: str = "binary", handle_invalid: str = "error", smoothing: float = 0.0):
        super().__init__(name, shape)
        if len(shape.inputs) != 1 or len(shape.outputs) != 1:
            raise BundleError(f"node {name!r}: a target_encoder node has one input and one output port")
        if target_type not in TARGET_TYPES:
            raise BundleError(f"node {name!r}: target_type must be one of {TARGET_TYPES}, got {target_type!r}")
        if handle_invalid not in HANDLE_INVALID:
            raise BundleError(f"node {name!r}: handle_invalid must be one of {HANDLE_INVALID}, got {handle_invalid!r}")
        if not len(categories) == len(counts) == len(stats):
            raise BundleError(f"node {name!r}: {len(categories)} categories, {len(counts)} counts, "
                              f"{len(stats)} stats")
        if len(set(categories)) != len(categories) or any(math.isnan(c) for c in categories):
            raise BundleError(f"node {name!r}: categories must be distinct numbers")
        if not smoothing >= 0.0:
            raise BundleError(f"node {name!r}: smoothing must be >= 0, got {smoothing}")
        order = sorted(range(len(categories)), key=categories.__getitem__)
        self.categories = [float(categories[i]) for i in order]
        self.counts = [float(counts[i]) for i in order]
        self.stats = [float(stats[i]) for i in order]
        self.global_stats = (float(global_stats[0]), float(global_stats[1]))
        self.null_stats = None if null_stats is None else (float(null_stats[0]), float(null_stats[1]))
        self.target_type = target_type
        self.handle_invalid = handle_invalid
        self.smoothing = float(smoothing)

        def blend(count: float, stat: float) -> float:
            return encoding(count, stat, *self.global_stats, self.smoothing, target_type)

        self.encodings = [blend(c, s) for c, s in zip(self.counts, self.stats, strict=True)]
        self.unseen_encoding = blend(*self.global_stats)
        self.null_encoding = None if self.null_stats is None else blend(*self.null_stats)
        self._lookup = dict(zip(self.categories, self.encodings, strict=True))
        self._sorted = np.array(self.categories, dtype=np.float64)
        self._values = np.array(self.encodings, dtype=np.float64)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> TargetEncoder:
        null_stats = (attrs.double("null_count"), attrs.double("null_stat")) if "null_count" in attrs else None
        return cls(name, shape, attrs.doubles("categories"), attrs.doubles("counts"), attrs.doubles("stats"),
                   (attrs.double("global_count"), attrs.double("global_stat")), null_stats,
                   attrs.string("target_type"), attrs.string("handle_invalid", "error"), attrs.double("smoothing"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {
            "target_type": v.string(self.target_type),
            "handle_invalid": v.string(self.handle_invalid),
            "smoothing": v.double(self.smoothing),
            "categories": v.doubles(self.categories),
            "counts": v.doubles(self.counts),
            "stats": v.doubles(self.stats),
            "global_count": v.double(self.global_stats[0]),
            "global_stat": v.double(self.global_stats[1]),
        }
        if self.null_stats is not None:
            attrs["null_count"], attrs["null_stat"] = v.double(self.null_stats[0]), v.double(self.null_stats[1])
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        """One op per input column, from the model's per-column statistics (`stats`: private[ml] in Scala,
        public in bytecode; PySpark has no accessor), keyed by category with Spark's two sentinel keys."""
        java = stage._java_obj
        inputs, outputs = list(java.inputFeatures()), list(java.outputFeatures())
        ops: list[Op] = []
        for name, in_col, out_col, table in zip(node_names(stage, len(inputs)), inputs, outputs, java.stats(),
                                                 strict=True):
            entries = {}
            pairs = table.iterator()  # a Scala Map[Double, (count, stat)]
            while pairs.hasNext():
                pair = pairs.next()
                entries[float(pair._1())] = (float(pair._2()._1()), float(pair._2()._2()))
            global_stats = entries.pop(SPARK_UNSEEN)
            null_stats = entries.pop(SPARK_NULL, None)
            categories = sorted(entries)
            ops.append(cls(name, Shape.single(in_col, out_col), categories, [entries[c][0] for c in categories],
                           [entries[c][1] for c in categories], global_stats, null_stats, stage.getTargetType(),
                           stage.getHandleInvalid(), stage.getSmoothing()))
        return ops

    def warm_up_input(self, column: str) -> Any:
        return self.categories[0] if self.categories else 0.0

    def transform(self, frame: Frame) -> None:
        in_col = self.shape.input_cols[0]
        raw = frame.column(in_col)
        null = np.zeros(len(raw), dtype=bool)
        if raw.dtype == object:
            x = np.empty(len(raw), dtype=np.float64)
            for i, value in enumerate(raw):
                null[i] = value is None
                try:
                    x[i] = math.nan if null[i] else float(value)
                except (TypeError, ValueError, OverflowError):
                    raise frame.error(i, in_col, f"not a number: {value!r}") from None
        else:
            x = raw.astype(np.float64)
        if len(self._sorted):
            slot = np.minimum(np.searchsorted(self._sorted, x), len(self._sorted) - 1)
            seen = self._sorted[slot] == x  # NaN is never seen; -0.0 finds 0.0
            out = np.where(seen, self._values[slot], self.unseen_encoding)
        else:
            seen, out = np.zeros(len(x), dtype=bool), np.full(len(x), self.unseen_encoding)
        invalid = ~seen & ~null
        if self.null_encoding is None:
            invalid |= null
        else:
            out[null] = self.null_encoding
        if self.handle_invalid == "error" and invalid.any():
            pos = int(np.argmax(invalid))
            raise frame.error(pos, in_col, self._unseen_message(None if null[pos] else raw[pos]))
        frame.columns[self.shape.output_cols[0]] = out

    def transform_row(self, row: dict[str, Any]) -> None:
        in_col = self.shape.input_cols[0]
        value = row[in_col]
        if value is None:
            found = self.null_encoding
        else:
            try:
                found = self._lookup.get(float(value))
            except (TypeError, ValueError, OverflowError):
                raise TransformError(f"not a number: {value!r}", column=in_col) from None
        if found is None:
            if self.handle_invalid == "error":
                raise TransformError(self._unseen_message(value), column=in_col)
            found = self.unseen_encoding
        row[self.shape.output_cols[0]] = found

    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """Float inputs training saw looked up directly; anything else through `transform_row`."""
        columns = [(self.shape.input_cols[0], self.shape.output_cols[0], self._lookup.get)]
        return lookup_row_function(columns, float, self.transform_row)

    def _unseen_message(self, value: Any) -> str:
        if value is None:
            shown = "null"
        elif isinstance(value, int | np.integer) and not isinstance(value, bool):
            shown = str(int(value))
        else:
            shown = java_double(float(value))
        return (f"Unseen value {shown} in feature {self.shape.input_cols[0]}. To handle unseen values, "
                "set Param handleInvalid to keep.")
