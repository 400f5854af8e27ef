"""tokenizer: lowercase a string and split it on single whitespace characters, Spark `Tokenizer`.

Spark: `text.toLowerCase.split("\\s")` (Java): `\\s` is one ASCII whitespace character, so runs of spaces
give empty tokens between them, a leading space gives a leading "" and trailing empties are dropped;
"" gives [""]. No attributes. A null text is an error (Spark's UDF fails on it too).
"""

from __future__ import annotations

from typing import Any

from bundles.attributes import Attributes
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp

TO_SPACE = str.maketrans("\t\n\x0b\f\r", "     ")  # Java's \s without UNICODE_CHARACTER_CLASS, but " "


class Tokenizer(RowMapOp):
    op_name = "tokenizer"
    spark_classes = ("Tokenizer",)
    input_kind = "text"
    input_struct = "basic"

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: Attributes, ctx: Context) -> Tokenizer:
        return cls(name, shape)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, cls.single_shape(stage))]

    def apply(self, value: str) -> list[str]:
        return java_split_whitespace(value.lower())


def java_split_whitespace(text: str) -> list[str]:
    """Java's `text.split("\\s")`, fast: every one of Java's six `\\s` characters becomes a space, then
    `str.split(" ")` (the same cuts), then trailing empty strings go; "" stays [""] (no match: the text)."""
    parts = text.translate(TO_SPACE).split(" ")
    if not parts[-1] and len(parts) > 1:
        while parts and not parts[-1]:
            parts.pop()
    return parts
