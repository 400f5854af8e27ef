"""word_to_vector: the average of the word vectors of a sentence's tokens, Spark `Word2VecModel`.

Attributes `words` (string list), `indices` (long list: the row of each word in `word_vectors`; absent
means 0..n-1), `word_vectors` (double list or tensor, words x vector_size, Spark's float32 values widened)
and MLeap's optional `kernel` ("default": sum / number of tokens; "sqrt": sum / its L2 norm). Spark: sum
the known words' vectors in token order, then multiply by 1 / (number of tokens, unknown ones included);
an empty sentence gives the zero vector.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.row_map import RowMapOp


class WordToVector(RowMapOp):
    op_name = "word_to_vector"
    spark_classes = ("Word2VecModel",)
    output_kind = "dense"

    def __init__(self, name: str, shape: Shape, words: list[str], vectors: np.ndarray, kernel: str = "default"):
        super().__init__(name, shape)
        vectors = np.asarray(vectors, dtype=np.float64)
        if kernel not in ("default", "sqrt") or vectors.ndim != 2 or len(vectors) != len(words):
            raise BundleError(f"node {name!r}: word_to_vector needs one vector per word and kernel default/sqrt")
        self.words, self.vectors, self.kernel = list(words), vectors, kernel
        self.size = vectors.shape[1]
        self._lookup = {w: row.tolist() for w, row in zip(self.words, vectors, strict=True)}

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> WordToVector:
        words = attrs.strings("words")
        indices = attrs.integers("indices", list(range(len(words))))
        flat = np.asarray(attrs.doubles("word_vectors") if attrs.raw["word_vectors"].get("type") == "list"
                          else attrs.tensor("word_vectors"), dtype=np.float64)
        if not words or len(flat) % len(words) or sorted(indices) != list(range(len(words))):
            raise BundleError(f"node {name!r}: word_to_vector words, indices and word_vectors do not agree")
        table = flat.reshape(len(words), -1)
        return cls(name, shape, words, table[indices], attrs.string("kernel", "default"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"words": v.strings(self.words), "indices": v.longs(range(len(self.words))),
                 "word_vectors": v.doubles(self.vectors.ravel())}
        if self.kernel != "default":
            attrs["kernel"] = v.string(self.kernel)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        rows = stage.getVectors().collect()
        vectors = np.array([r["vector"].toArray() for r in rows], dtype=np.float64).reshape(len(rows), -1)
        return [cls(stage.uid, cls.single_shape(stage), [r["word"] for r in rows], vectors)]

    def apply(self, value: list[str]) -> list[float]:
        total = [0.0] * self.size
        if not value:
            return total
        lookup = self._lookup
        for word in value:
            vec = lookup.get(word)
            if vec is not None:
                total = [a + b for a, b in zip(total, vec, strict=True)]
        if self.kernel == "sqrt":
            norm = math.sqrt(sum(x * x for x in total))
            return [x / norm for x in total]
        scale = 1.0 / len(value)
        return [x * scale for x in total]
