"""The target_encoder op without Spark: its bundle layout, Spark 4's numbers, and the same answers from the
columnar and single-row paths for seen, unseen, NaN, -0.0 and null categories (Spark 4 itself judges it in
test_target_encoder_spark4.py)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import bundles
from bundles.context import TARGETS
from bundles.ops.base import Shape
from bundles.ops.pipeline import Pipeline
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.target_encoder import TargetEncoder
from serving.contract import Invocation
from serving.schema import parse_schema
from serving.sparkml.app import SparkMLModel

# Spark 4.3.0's model and answers for column `a` of rows (a, y): (0, 1), (1, 0), (1, 1), (-0.0, 0), (2, null),
# (null, 1), (3, 1) with smoothing 1.5 (TargetEncoder(..., smoothing=1.5).fit; the null label row is left out).
BINARY = dict(categories=[0.0, 1.0, 3.0], counts=[2.0, 2.0, 1.0], stats=[1.0, 1.0, 1.0], global_stats=(6.0, 4.0),
              null_stats=(1.0, 1.0), target_type="binary", smoothing=1.5)
CONTINUOUS = dict(BINARY, stats=[0.5, 0.5, 1.0], global_stats=(6.0, 0.6666666666666666), target_type="continuous")
SPARK_SEEN = {0.0: 0.5714285714285714, 1.0: 0.5714285714285714, 3.0: 0.8}
SPARK_NULL, SPARK_UNSEEN = 0.8, 0.6666666666666666
# inputs the model never saw: NaN, a fraction, negatives, Spark's own sentinel keys, a new index
UNSEEN = [math.nan, 1.5, -1.0, -2.0, 2147483647.0, 5.0, math.inf]


def encoder(handle_invalid: str = "keep", model: dict | None = None, **changes) -> TargetEncoder:
    return TargetEncoder("te", Shape.single("a", "a_te"), **{**(model or BINARY), **changes},
                         handle_invalid=handle_invalid)


def bundle_of(op: TargetEncoder) -> bundles.Bundle:
    return bundles.Bundle(Pipeline("p", [op]))


def both_paths(bundle: bundles.Bundle, column: np.ndarray) -> tuple[list, list]:
    columnar = bundle.transform({"a": column}).columns["a_te"].tolist()
    singles = [bundle.transform_row({"a": v})["a_te"] for v in column.tolist()]
    return columnar, singles


@pytest.mark.parametrize("model", [BINARY, CONTINUOUS], ids=["binary", "continuous"])
def test_encodings_are_spark_4s_bit_for_bit(model):
    op = encoder(model=model)
    assert dict(zip(op.categories, op.encodings, strict=True)) == SPARK_SEEN
    assert (op.null_encoding, op.unseen_encoding) == (SPARK_NULL, SPARK_UNSEEN)


def test_the_blend_keeps_sparks_operation_order():
    """w * (stat / count) + (1 - w) * (global_stat / global_count), w = count / (count + smoothing): for one
    row labelled 0 of two (smoothing 0.1) Spark 4 gives 0.04545454545454547; the textbook (stat + smoothing *
    global mean) / (count + smoothing) gives 0.045454545454545456 (test_target_encoder_spark4.py fits it)."""
    op = encoder(categories=[0.0], counts=[1.0], stats=[0.0], global_stats=(2.0, 1.0), null_stats=None,
                 smoothing=0.1)
    assert op.encodings == [0.04545454545454547]
    assert (0.0 + 0.1 * 0.5) / 1.1 == 0.045454545454545456


@pytest.mark.parametrize("as_array", [lambda xs: np.array(xs, dtype=np.float64), lambda xs: np.array(xs, object)],
                         ids=["float64", "object"])
def test_seen_unseen_nan_and_negative_zero_agree_on_both_paths(as_array):
    values = [0.0, -0.0, 1.0, 3.0, *UNSEEN]
    want = [SPARK_SEEN[0.0], SPARK_SEEN[0.0], SPARK_SEEN[1.0], SPARK_SEEN[3.0]] + [SPARK_UNSEEN] * len(UNSEEN)
    columnar, singles = both_paths(bundle_of(encoder("keep")), as_array(values))
    assert columnar == singles == want


def test_integer_inputs_are_cast_to_double_like_spark():
    columnar, singles = both_paths(bundle_of(encoder("error")), np.array([3, 0, 1], dtype=np.int64))
    assert columnar == singles == [SPARK_SEEN[3.0], SPARK_SEEN[0.0], SPARK_SEEN[1.0]]


def test_null_takes_the_null_category_or_else_the_unseen_encoding():
    with_nulls = np.array([None, 1.0, None], dtype=object)
    assert both_paths(bundle_of(encoder("error")), with_nulls) == ([SPARK_NULL, SPARK_SEEN[1.0], SPARK_NULL],) * 2
    unseen_null = bundle_of(encoder("keep", null_stats=None))
    assert both_paths(unseen_null, with_nulls) == ([SPARK_UNSEEN, SPARK_SEEN[1.0], SPARK_UNSEEN],) * 2


@pytest.mark.parametrize(("value", "shown"), [(math.nan, "NaN"), (5.0, "5.0"), (1e10, "1.0E10"), (7, "7"),
                                              (-0.5, "-0.5")])
def test_unseen_values_with_error_fail_with_sparks_message_naming_row_and_column(value, shown):
    bundle = bundle_of(encoder("error"))
    message = f"Unseen value {shown} in feature a. To handle unseen values, set Param handleInvalid to keep."
    with pytest.raises(bundles.TransformError, match=rf"^row 2, column 'a': {re.escape(message)}$"):
        bundle.transform({"a": np.array([1.0, value], dtype=object)})
    with pytest.raises(bundles.TransformError, match=rf"column 'a': {re.escape(message)}$"):
        bundle.transform_row({"a": value})


def test_a_null_without_a_null_category_fails_with_error_as_an_unseen_null():
    bundle = bundle_of(encoder("error", null_stats=None))
    with pytest.raises(bundles.TransformError, match=r"^row 1, column 'a': Unseen value null in feature a\."):
        bundle.transform({"a": np.array([None], dtype=object)})
    with pytest.raises(bundles.TransformError, match="Unseen value null in feature a"):
        bundle.transform_row({"a": None})


def test_a_value_that_is_not_a_number_is_an_error_naming_row_and_column():
    with pytest.raises(bundles.TransformError, match=r"row 2, column 'a': not a number: 'x'"):
        bundle_of(encoder()).transform({"a": np.array([1.0, "x"], dtype=object)})
    with pytest.raises(bundles.TransformError, match=r"column 'a': not a number: 'x'"):
        bundle_of(encoder()).transform_row({"a": "x"})


def test_a_model_that_saw_only_null_categories_encodes_everything_else_as_unseen():
    bundle = bundle_of(encoder("keep", categories=[], counts=[], stats=[]))
    assert both_paths(bundle, np.array([0.0, None, 2.0], dtype=object)) == ([SPARK_UNSEEN, SPARK_NULL,
                                                                            SPARK_UNSEEN],) * 2


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("model", [BINARY, CONTINUOUS, dict(BINARY, null_stats=None)],
                         ids=["binary", "continuous", "no-null-category"])
def test_the_written_bundle_holds_the_documented_attributes_and_reads_back_the_same(tmp_path: Path, target, model):
    op = encoder("error", model=model)
    path = bundles.save_bundle(bundle_of(op), tmp_path / "te", target=target)
    node = json.loads((path / "root" / "te.node" / "model.json").read_text())
    assert node["op"] == "target_encoder"
    attrs = node["attributes"]
    assert attrs["categories"]["double"] == model["categories"] and attrs["counts"]["double"] == model["counts"]
    assert attrs["stats"]["double"] == model["stats"]
    assert (attrs["global_count"]["double"], attrs["global_stat"]["double"]) == model["global_stats"]
    assert ("null_count" in attrs) == (model["null_stats"] is not None)
    assert (attrs["target_type"]["string"], attrs["handle_invalid"]["string"]) == (model["target_type"], "error")
    assert attrs["smoothing"]["double"] == 1.5
    (back,) = bundles.load_bundle(path).ops
    assert (back.categories, back.encodings, back.unseen_encoding, back.null_encoding) == (
        op.categories, op.encodings, op.unseen_encoding, op.null_encoding)


@pytest.mark.parametrize(("changes", "message"), [
    ({"target_type": "multiclass"}, "target_type must be one of"),
    ({"handle_invalid": "skip"}, "handle_invalid must be one of"),
    ({"counts": [1.0]}, "3 categories, 1 counts, 3 stats"),
    ({"categories": [0.0, 0.0, 1.0]}, "categories must be distinct numbers"),
    ({"smoothing": -1.0}, "smoothing must be >= 0"),
])
def test_a_broken_node_is_a_bundle_error_naming_it(changes, message):
    with pytest.raises(bundles.BundleError, match=f"node 'te': {message}"):
        TargetEncoder("te", Shape.single("a", "a_te"), **{**BINARY, "handle_invalid": "error", **changes})
    with pytest.raises(bundles.BundleError, match="node 'te': a target_encoder node has one input and one output"):
        TargetEncoder("te", Shape.indexed(["a", "b"], ["a_te", "b_te"]), **BINARY)


def test_the_sparkml_container_serves_a_string_indexer_then_target_encoder_bundle(tmp_path: Path):
    """Raw strings -> StringIndexer -> target_encoder, as a Spark 4 pipeline would be, served by the container's
    model from the bundle file: a CSV batch (columnar) and a single row give the encodings."""
    indexer = StringIndexer("si", Shape.single("cat", "a"), [["x", "y", "z", "w"]], "keep")
    pipeline = bundles.Bundle(Pipeline("p", [indexer, encoder("keep")]))
    loaded = bundles.load_bundle(bundles.save_bundle(pipeline, tmp_path / "te.zip"))
    schema = loaded.serving_schema("a_te")
    assert schema == {"input": [{"name": "cat", "type": "string"}],
                      "output": {"name": "a_te", "type": "double", "struct": "basic"}}
    model = SparkMLModel(loaded, parse_schema(schema))
    model.warm_up()
    answer = model.invoke(Invocation(b"x\ny\nw\nnew\nz", "text/csv", "text/csv")).body.decode().splitlines()
    # x, y -> 0, 1 (seen); w -> 3 (seen); an unknown label -> 4 (never seen by the encoder); z -> 2 (unseen)
    assert answer == [repr(v) for v in (SPARK_SEEN[0.0], SPARK_SEEN[1.0], SPARK_SEEN[3.0], SPARK_UNSEEN,
                                         SPARK_UNSEEN)]
    single = model.invoke(Invocation(b"w", "text/csv", "text/csv")).body.decode().strip()
    assert single == repr(SPARK_SEEN[3.0])
