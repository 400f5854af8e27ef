"""ngram: the space-joined runs of `n` consecutive tokens, Spark `NGram`.

Attribute `n` (long). Fewer than n tokens give no n-grams (Scala's `sliding(n).withPartial(false)`).
"""

from __future__ import annotations

from typing import Any

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp


class NGram(RowMapOp):
    op_name = "ngram"
    spark_classes = ("NGram",)

    def __init__(self, name: str, shape: Shape, n: int = 2):
        super().__init__(name, shape)
        if int(n) < 1:
            raise BundleError(f"node {name!r}: ngram n must be >= 1, got {n}")
        self.n = int(n)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> NGram:
        return cls(name, shape, attrs.integer("n"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"n": v.long(self.n)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, cls.single_shape(stage), stage.getN())]

    def apply(self, value: list[str]) -> list[str]:
        n = self.n
        return [" ".join(value[i:i + n]) for i in range(len(value) - n + 1)]
