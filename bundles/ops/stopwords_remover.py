"""stopwords_remover: drop the tokens that are stop words, Spark `StopWordsRemover`.

Attributes `stop_words` (string list) and `case_sensitive` (boolean). Case-insensitive matching compares
lowercased tokens with lowercased stop words (Java `toLowerCase(locale)`; MLeap stores no locale, so a
stage with a locale whose lowercasing differs from the root locale's (tr, az, lt) is refused by the writer).
Spark 3's multi-column form (inputCols/outputCols) is written as one node per column.
"""

from __future__ import annotations

from typing import Any

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape, node_names, spark_columns
from bundles.ops.row_map import RowMapOp

LOCALE_SENSITIVE = ("tr", "az", "lt")


class StopWordsRemover(RowMapOp):
    op_name = "stopwords_remover"
    spark_classes = ("StopWordsRemover",)

    def __init__(self, name: str, shape: Shape, stop_words: list[str], case_sensitive: bool = False):
        super().__init__(name, shape)
        self.stop_words = list(stop_words)
        self.case_sensitive = bool(case_sensitive)
        self._set = frozenset(self.stop_words if case_sensitive else (w.lower() for w in self.stop_words))

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> StopWordsRemover:
        return cls(name, shape, attrs.strings("stop_words"), attrs.boolean("case_sensitive", False))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"stop_words": v.strings(self.stop_words), "case_sensitive": v.boolean(self.case_sensitive)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        locale = stage.getLocale()
        if not stage.getCaseSensitive() and locale.split("_")[0].lower() in LOCALE_SENSITIVE:
            raise BundleError(f"Spark stage StopWordsRemover ({stage.uid}): locale {locale!r} lowercases "
                              "differently and MLeap's stopwords_remover stores no locale")
        pairs = spark_columns(stage)
        return [cls(name, Shape.single(i, o), stage.getStopWords(), stage.getCaseSensitive())
                for name, (i, o) in zip(node_names(stage, len(pairs)), pairs, strict=True)]

    def apply(self, value: list[str]) -> list[str]:
        if self.case_sensitive:
            return [t for t in value if t not in self._set]
        return [t for t in value if t.lower() not in self._set]
