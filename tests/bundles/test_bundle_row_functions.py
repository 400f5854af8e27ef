"""The specialised single-row functions (`Op.row_function`) give exactly what `transform_row` gives, on the
common values (their fast paths) and on everything else (their fallbacks), errors included."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from bundles.attributes import scalar_shape, tensor_shape
from bundles.errors import TransformError
from bundles.frame import Frame
from bundles.ops.base import Shape
from bundles.ops.bucketizer import Bucketizer
from bundles.ops.logistic_regression import LogisticRegression
from bundles.ops.one_hot_encoder import OneHotEncoder
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.vector_assembler import VectorAssembler
from jvm.linalg import DotWeights
from jvm.vectors import SparseVector

SPECIAL = [0.0, -0.0, math.nan, math.inf, -math.inf, 1e300, -3.0, 2.5, 7]


def same(a, b) -> bool:
    if isinstance(a, list | tuple):
        return isinstance(b, list | tuple) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b and (not isinstance(a, float) or math.copysign(1.0, a) == math.copysign(1.0, b))


def outcome(function, row: dict):
    """The row after `function`, or the error it raised (type and message)."""
    row = dict(row)
    try:
        function(row)
    except (TransformError, KeyError, ValueError, TypeError) as exc:
        return type(exc).__name__, str(exc)
    return {k: (v.dense() if isinstance(v, SparseVector) else v) for k, v in row.items()}


def check_rows(op, rows: list[dict]) -> None:
    fast = op.row_function()
    for row in rows:
        want, got = outcome(op.transform_row, row), outcome(fast, row)
        assert (want.keys() == got.keys() and all(same(want[k], got[k]) for k in want)
                if isinstance(want, dict) else want == got), row


@pytest.mark.parametrize("lanes", [4, 1])
@pytest.mark.parametrize("size", [0, 1, 3, 4, 5, 9, 13])
def test_the_generated_dot_product_is_dot_row_bit_for_bit(size, lanes):
    rng = random.Random(size * 10 + lanes)
    weights = DotWeights(np.array([rng.uniform(-5, 5) for _ in range(size)]), lanes)
    dot = weights.row_function()
    for _ in range(2000):
        x = [rng.choice([rng.uniform(-100, 100), rng.choice(SPECIAL)]) for _ in range(size)]
        assert same(dot(x), weights.dot_row(x)), x


@pytest.mark.parametrize("invalid", ["error", "keep", "skip"])
def test_string_indexer_row_function(invalid):
    op = StringIndexer("si", Shape.indexed(["a", "b"], ["ai", "bi"]), [["x", "y"], ["u"]], invalid)
    rows = [{"a": "x", "b": "u"}, {"a": "y", "b": "zz"}, {"a": None, "b": "u"}, {"a": 1.0, "b": "u"}, {"a": "x"}]
    fast = op.row_function()
    for row in rows:
        try:
            want = outcome(op.transform_row, row)
        except Exception as exc:  # noqa: BLE001 - SkipRow: both must raise it
            with pytest.raises(type(exc)):
                fast(dict(row))
            continue
        assert outcome(fast, row) == want, row


@pytest.mark.parametrize(("drop_last", "invalid"), [(True, "error"), (False, "keep"), (True, "keep")])
def test_one_hot_encoder_row_function(drop_last, invalid):
    op = OneHotEncoder("ohe", Shape.indexed(["i"], ["v"]), [3], drop_last, invalid)
    check_rows(op, [{"i": x} for x in [0.0, 1.0, 2.0, -0.0, 3.0, 2.5, -1.0, math.nan, 1, True, "1", None]])


def test_vector_assembler_row_function():
    op = VectorAssembler("va", Shape([("input0", "v"), ("input1", "x")], [("output", "out")]),
                         [tensor_shape(2), scalar_shape()])
    rows = [{"v": [a, b], "x": c} for a, b, c in zip(SPECIAL, SPECIAL[3:] + SPECIAL[:3], SPECIAL[5:] + SPECIAL[:5],
                                                     strict=True)]
    rows += [{"v": [1, 2], "x": 3}, {"v": SparseVector(2, [1], [-0.0]), "x": -0.0}, {"v": [1.0, 2.0], "x": None},
             {"v": [1.0, 2.0], "x": "a"}, {"v": [1.0], "x": 2.0}, {"x": 1.0}]
    check_rows(op, rows)


@pytest.mark.parametrize("ports", [("raw_prediction", "probability", "prediction"), ("raw_prediction", "prediction"),
                                   ("probability", "prediction"), ("prediction",)])
def test_binary_logistic_regression_row_function(ports):
    rng = random.Random(len(ports))
    shape = Shape([("features", "f")], [(p, p) for p in ports])
    op = LogisticRegression("lr", shape, np.array([0.5, -1.25, 3.0, 1e-3, -2.0]), np.array([0.25]), False, 0.3)
    rows = [{"f": [rng.choice([rng.uniform(-9, 9), rng.choice(SPECIAL)]) for _ in range(5)]} for _ in range(300)]
    rows += [{"f": [1, 2, 3, 4, 5]}, {"f": [1.0] * 4}, {"f": SparseVector(5, [2], [1.5])}, {"f": ["a"] * 5},
             {"f": None}, {}]
    check_rows(op, rows)


def test_a_negative_zero_falls_below_a_zero_split_as_in_javas_binary_search():
    row_of = {"x": -0.0}
    middle = Bucketizer("b", Shape.single("x", "y"), [-math.inf, -1.0, 0.0, 5.0])
    out = Frame({"x": np.array([-0.0, 0.0, -0.5])})
    middle.transform(out)
    assert out.columns["y"].tolist() == [1.0, 2.0, 1.0]
    assert outcome(middle.transform_row, row_of) == {"x": -0.0, "y": 1.0}
    negative = Bucketizer("b", Shape.single("x", "y"), [-math.inf, -0.0, 5.0])  # -0.0 == the split: its bucket
    assert outcome(negative.transform_row, row_of) == {"x": -0.0, "y": 1.0}
    first = Bucketizer("b", Shape.single("x", "y"), [0.0, 1.0, 5.0])  # -0.0 is below the first split
    assert outcome(first.transform_row, row_of)[0] == "TransformError"
    with pytest.raises(TransformError, match="out of Bucketizer bounds"):
        first.transform(Frame({"x": np.array([1.0, -0.0])}))
    last = Bucketizer("b", Shape.single("x", "y"), [-5.0, -1.0, 0.0])  # == the last split: the last bucket
    assert outcome(last.transform_row, row_of) == {"x": -0.0, "y": 1.0}


def test_tree_regressors_row_function_checks_every_slot_like_transform_row():
    from bundles.ops.decision_tree_regression import DecisionTreeRegression
    from bundles.trees import Split, Tree

    tree = Tree([Split(0, 0.5), None, None], [[0.0], [1.0], [2.0]])
    op = DecisionTreeRegression("dt", Shape([("features", "f")], [("prediction", "p")]), tree, 3)
    check_rows(op, [{"f": [0.25, 9.0, 1.0]}, {"f": [0.75, 9.0, 1.0]}, {"f": [math.nan, 0.0, 0.0]},
                    {"f": [0.25, "a", 1.0]}, {"f": [0.25, None, 1.0]}, {"f": ["1.5", 0.0, 0.0]}, {"f": [1, 2, 3]},
                    {"f": [0.25, 1.0]}, {"f": SparseVector(3, [0], [0.75])}, {"f": None}])
