"""Who is at fault when applying a bundle fails: the input (TransformError, naming row and column: a 4xx when
served) or the op itself (OpFailure, naming the node and op: a 500). A ValueError, TypeError, KeyError or
IndexError raised by an op's own code is a bug, not bad input."""

from __future__ import annotations

import numpy as np
import pytest

from base.errors import InputError
from bundles import OpFailure, TransformError, load_bundle
from bundles.ops.vector_assembler import VectorAssembler
from tests.helpers.servers import TITANIC_MODEL

NODE = "VectorAssembler_4791887787e56e13d677"
ROW = {"Pclass": 1.0, "Embarked": "C", "Age": 38.0, "Fare": 71.5, "SibSp": 1.0, "Sex": "female"}


@pytest.fixture
def bundle(shared):
    return load_bundle(str(shared / TITANIC_MODEL))


def columns(*rows: dict) -> dict[str, np.ndarray]:
    return {k: np.array([r[k] for r in rows], dtype=object if isinstance(rows[0][k], str) else np.float64)
            for k in rows[0]}


def broken(exc: Exception):
    def transform(self, frame):
        raise exc

    return transform


@pytest.mark.parametrize("bug", [ValueError("operands could not be broadcast together"), TypeError("'NoneType'"),
                                 KeyError("slots"), IndexError("index 7 is out of bounds"), ZeroDivisionError(),
                                 AttributeError("'list' object has no attribute 'shape'")],
                         ids=lambda e: type(e).__name__)
def test_an_op_raising_on_its_own_is_an_op_failure_naming_node_and_op(bundle, monkeypatch, bug):
    monkeypatch.setattr(VectorAssembler, "transform", broken(bug))
    monkeypatch.setattr(VectorAssembler, "row_function", lambda self: broken(bug).__get__(self))
    with pytest.raises(OpFailure) as batch:
        bundle.transform(columns(ROW, ROW))
    with pytest.raises(OpFailure) as one:
        bundle.transform_row(ROW)
    for failure in (batch.value, one.value):
        assert (failure.node, failure.op, failure.cause) == (NODE, "vector_assembler", bug)
        assert str(failure).startswith(f"node '{NODE}' (op vector_assembler) failed: {type(bug).__name__}")


def test_an_op_raising_an_input_error_is_a_transform_error(bundle, monkeypatch):
    monkeypatch.setattr(VectorAssembler, "transform", broken(InputError("null value")))
    with pytest.raises(TransformError, match="null value"):
        bundle.transform(columns(ROW))


def test_bad_values_and_missing_columns_are_transform_errors_naming_row_and_column(bundle):
    with pytest.raises(TransformError) as unseen:
        bundle.transform(columns(ROW, {**ROW, "Sex": "unknown"}))
    assert (unseen.value.row, unseen.value.column) == (1, "Sex")
    with pytest.raises(TransformError, match="row 1, column 'Sex'"):
        bundle.transform_row({**ROW, "Sex": "unknown"})
    with pytest.raises(TransformError, match="input column 'Age' is missing"):
        bundle.transform_row({k: v for k, v in ROW.items() if k != "Age"})
    with pytest.raises(TransformError, match="input column 'Age' is missing"):
        bundle.transform(columns({k: v for k, v in ROW.items() if k != "Age"}))
