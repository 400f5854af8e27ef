"""The post-processing bundle of a classifier: the XGBoost container's probabilities -> `class,probability`.

AWS's inference-pipeline examples end a classifier with a SparkML container that turns XGBoost's output
back into the class name. Ours does that and keeps the probability: its one output column, an array of two
strings, reads `gentoo,0.934` in CSV — the predicted class and the probability XGBoost gave it, to 3
decimals (the looked-up text `gentoo<US>0.934` split by a RegexTokenizer on the unit separator U+001F).
Only ops real MLeap 0.20 loads are used (checked against it), so AWS's sagemaker-sparkml-serving image
serves it too:

- binary:logistic, input `p1` (P(class 1), one CSV field): Bucketizer over [0, 1] with a split
  just above 0.5 (class 1 iff p > 0.5, as AWS's container labels it) and at every half-thousandth, then
  IndexToString mapping each bucket to `class,max(p, 1 - p)` rounded.
- multi:softprob with k > 2 classes, inputs `p0..p<k-1>` (the k CSV fields; short names keep the schema
  within SageMaker's 1024 bytes per environment value for up to about 30 classes): the largest
  probability (a chain of math_binary max), its class index (VectorAssembler -> an identity multinomial
  LogisticRegression, whose prediction is the first largest input, as numpy's argmax), the probability's
  3-decimal bucket (Bucketizer), index * 1001 + bucket (math_binary), IndexToString over every
  `class,probability` text.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

DECIMALS = 3
STEPS = 10**DECIMALS  # probability buckets are 0/STEPS .. STEPS/STEPS
OUTPUT = "predicted_label"
SEPARATOR = "\x1f"  # between class and probability in the looked-up text, split into the output array
BUNDLE = "model.tar.gz"
SCHEMA = "schema.json"
TARGET = "0.20"  # math_binary max needs MLeap 0.20 (AWS sparkml-serving image 3.3)


class NoPostprocessing(ValueError):
    """This objective / class count has no post-processing bundle (the message says why)."""


def _text(name: str, probability: float) -> str:
    return f"{name}{SEPARATOR}{probability:.{DECIMALS}f}"


def _split_op(source: str):
    """RegexTokenizer on SEPARATOR, case kept: the text -> [class, probability], an array of strings, which
    the SparkML container writes as `class,probability` in CSV (and `{"features": [...]}` in JSON Lines)."""
    from bundles.ops.base import Shape
    from bundles.ops.regex_tokenizer import RegexTokenizer

    return RegexTokenizer("split_class_and_probability", Shape.single(source, OUTPUT), SEPARATOR, gaps=True,
                          min_length=1, lowercase=False)


OUTPUT_SCHEMA = {"name": OUTPUT, "type": "string", "struct": "array"}


def _half_steps() -> list[float]:
    """The split points between 3-decimal probabilities: 0.0005, 0.0015, ..., 0.9995."""
    return [(2 * i + 1) / (2 * STEPS) for i in range(STEPS)]


def _binary_buckets(classes: list[str]) -> tuple[list[float], list[str]]:
    """(inner splits over P(class 1), the text of each bucket): the predicted class and max(p, 1 - p)."""
    inner = sorted({*_half_steps(), math.nextafter(0.5, 1.0)})
    bounds = [0.0, *inner, 1.0]
    labels = []
    for low, high in zip(bounds, bounds[1:], strict=False):
        mid = (low + high) / 2.0
        winner = 1 if mid > 0.5 else 0
        shown = mid if winner else 1.0 - mid
        labels.append(_text(classes[winner], round(shown * STEPS) / STEPS))
    return inner, labels


def binary_bundle(classes: list[str]):
    """p1 (P(classes[1])) -> `class,probability` text."""
    from bundles.bundle import Bundle
    from bundles.ops.base import Shape
    from bundles.ops.bucketizer import Bucketizer
    from bundles.ops.pipeline import Pipeline
    from bundles.ops.reverse_string_indexer import ReverseStringIndexer

    inner, labels = _binary_buckets(classes)
    splits = [-math.inf, *inner, math.inf]
    ops = [Bucketizer("probability_bucket", Shape.single("p1", "bucket"), splits),
           ReverseStringIndexer("class_and_probability", Shape.single("bucket", "class_and_probability"), labels),
           _split_op("class_and_probability")]
    schema = {"input": [{"name": "p1", "type": "double"}], "output": OUTPUT_SCHEMA}
    return Bundle(Pipeline("postprocess", ops), {"name": "postprocess"}), schema


def multiclass_bundle(classes: list[str]):
    """p0..p<k-1> -> `class,probability` text of the first most probable class."""
    from bundles import attributes as v
    from bundles.bundle import Bundle
    from bundles.ops.base import Shape
    from bundles.ops.bucketizer import Bucketizer
    from bundles.ops.logistic_regression import LogisticRegression
    from bundles.ops.math_binary import MathBinary
    from bundles.ops.pipeline import Pipeline
    from bundles.ops.reverse_string_indexer import ReverseStringIndexer
    from bundles.ops.vector_assembler import VectorAssembler

    k = len(classes)
    inputs = [f"p{i}" for i in range(k)]
    ops = []
    best = inputs[0]
    for i in range(1, k):
        out = "max_probability" if i == k - 1 else f"max_probability_{i}"
        ops.append(MathBinary(f"max_{i}", Shape([("input_a", best), ("input_b", inputs[i])], [("output", out)]),
                              "max"))
        best = out
    ops.append(VectorAssembler("probabilities", Shape([(f"input{i}", c) for i, c in enumerate(inputs)],
                                                      [("output", "probabilities")]),
                               [v.scalar_shape(False) for _ in inputs]))
    ops.append(LogisticRegression("argmax", Shape([("features", "probabilities")], [("prediction", "class_index")]),
                                  np.eye(k), np.zeros(k), multinomial=True))
    splits = [-math.inf, *_half_steps(), math.inf]
    ops.append(Bucketizer("probability_bucket", Shape.single(best, "bucket"), splits))
    ops.append(MathBinary("class_offset", Shape([("input_a", "class_index")], [("output", "class_offset")]),
                          "mul", db=float(STEPS + 1)))
    ops.append(MathBinary("label_index", Shape([("input_a", "class_offset"), ("input_b", "bucket")],
                                               [("output", "label_index")]), "add"))
    labels = [_text(name, j / STEPS) for name in classes for j in range(STEPS + 1)]
    ops.append(ReverseStringIndexer("class_and_probability", Shape.single("label_index", "class_and_probability"),
                                    labels))
    ops.append(_split_op("class_and_probability"))
    schema = {"input": [{"name": c, "type": "double"} for c in inputs], "output": OUTPUT_SCHEMA}
    return Bundle(Pipeline("postprocess", ops), {"name": "postprocess"}), schema


def build(objective: str, classes: list[str]):
    """(bundle, serving schema) for a classifier trained with `objective` on `classes`."""
    if objective == "binary:logistic" and len(classes) == 2:
        return binary_bundle(classes)
    if objective == "multi:softprob" and len(classes) > 2:
        return multiclass_bundle(classes)
    raise NoPostprocessing(f"no post-processing for {objective} with {len(classes)} classes (it maps "
                           "binary:logistic or multi:softprob with 3 or more classes); the pipeline answers "
                           "XGBoost's own output")


def write(folder: Path, objective: str, classes: list[str]) -> Path:
    """`folder/model.tar.gz` and `folder/schema.json` (SAGEMAKER_SPARKML_SCHEMA); returns the bundle path."""
    import bundles

    bundle, schema = build(objective, classes)
    folder.mkdir(parents=True, exist_ok=True)
    bundles.save_bundle(bundle, folder / BUNDLE, TARGET)
    (folder / SCHEMA).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    return folder / BUNDLE


def expected(probabilities: np.ndarray, classes: list[str]) -> list[str]:
    """The bundle's answers ([class, probability text] per row) for XGBoost's predictions ((n,) or (n, k)),
    computed here with the same buckets."""
    import bisect

    probabilities = np.asarray(probabilities, dtype=np.float64)
    if probabilities.ndim == 1:
        inner, labels = _binary_buckets(classes)
        texts = [labels[bisect.bisect_right(inner, float(p))] for p in probabilities]
    else:
        steps = _half_steps()
        winners = np.argmax(probabilities, axis=1)
        texts = [_text(classes[w], bisect.bisect_right(steps, float(p[w])) / STEPS)
                 for w, p in zip(winners, probabilities, strict=True)]
    return [text.split(SEPARATOR) for text in texts]
