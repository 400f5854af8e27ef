"""regex_tokenizer: split (gaps) or match a Java regex over a string, Spark `RegexTokenizer`.

Attributes `regex` (string), `match_gaps`, `token_min_length` (int), `lowercase_text` (booleans). Spark:
lowercase (Java `toLowerCase`) when asked, then `Pattern.split` (gaps) or every match (`findAllIn`), then
keep tokens whose Java length (UTF-16 units) is >= the minimum. The Java pattern runs on Python's `re`
through `jvm.regex.translate`, which documents the constructs it maps and those it refuses (a
pattern it cannot map is a BundleError when the bundle loads, not a wrong answer later).
"""

from __future__ import annotations

from typing import Any

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp
from jvm import regex


class RegexTokenizer(RowMapOp):
    op_name = "regex_tokenizer"
    spark_classes = ("RegexTokenizer",)
    input_kind = "text"
    input_struct = "basic"

    def __init__(self, name: str, shape: Shape, pattern: str = "\\s+", gaps: bool = True, min_length: int = 1,
                 lowercase: bool = True):
        super().__init__(name, shape)
        try:
            self.regex = regex.compile_java(pattern)
        except ValueError as exc:
            raise BundleError(f"node {name!r}: regex_tokenizer pattern {pattern!r}: {exc}") from None
        self.pattern, self.gaps, self.min_length, self.lowercase = pattern, bool(gaps), int(min_length), bool(lowercase)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> RegexTokenizer:
        return cls(name, shape, attrs.string("regex"), attrs.boolean("match_gaps", True),
                   attrs.integer("token_min_length", 1), attrs.boolean("lowercase_text", True))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"regex": v.string(self.pattern), "match_gaps": v.boolean(self.gaps),
                "token_min_length": v.integer(self.min_length), "lowercase_text": v.boolean(self.lowercase)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, cls.single_shape(stage), stage.getPattern(), stage.getGaps(),
                    stage.getMinTokenLength(), stage.getToLowercase())]

    def apply(self, value: str) -> list[str]:
        text = value.lower() if self.lowercase else value
        tokens = regex.split(self.regex, text) if self.gaps else regex.find_all(self.regex, text)
        if self.min_length <= 1:
            return tokens if self.min_length <= 0 else [t for t in tokens if t]
        return [t for t in tokens if regex.java_length(t) >= self.min_length]
