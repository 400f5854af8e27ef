"""word_filter: keep the tokens made only of letters and longer than `length`, MLeap's `WordLengthFilter`
(an MLeap extension op; no plain Spark class).

Attribute `length` (int, default 3). A token is kept when every UTF-16 unit is a letter (Java
`Character.isLetter(char)`, so a character beyond U+FFFF is not) and its Java length is > `length`.
"""

from __future__ import annotations

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Shape
from bundles.ops.row_map import RowMapOp
from jvm import regex


class WordFilter(RowMapOp):
    op_name = "word_filter"

    def __init__(self, name: str, shape: Shape, length: int = 3):
        super().__init__(name, shape)
        self.length = int(length)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> WordFilter:
        return cls(name, shape, attrs.integer("length", 3))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"length": v.integer(self.length)}, self.shape

    def apply(self, value: list[str]) -> list[str]:
        return [w for w in value if len(w) > self.length and all(map(regex.java_is_letter, w))]
