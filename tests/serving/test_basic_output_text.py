"""A basic (non-vector) SparkML output is the value's bare text per row whatever the Accept, byte for byte as
AWS's container answers (`sendResponseForSingleValue(output.toString(), accept)`): a label as it is, a double
in Java's `Double.toString`; one deliberate difference, a CSV answer quotes a label holding a comma (RFC 4180)."""

from __future__ import annotations

import pytest

import bundles
from bundles.ops.base import Shape
from bundles.ops.pipeline import Pipeline
from bundles.ops.reverse_string_indexer import ReverseStringIndexer
from bundles.ops.string_indexer import StringIndexer
from serving.contract import Invocation
from serving.schema import parse_schema
from serving.sparkml.app import SparkMLModel

pytestmark = pytest.mark.unit

LABELS = ["good", "dog, big", "ünï"]
BUNDLE = bundles.Bundle(Pipeline("p", [StringIndexer("index", Shape.single("x", "x_i"), [LABELS]),
                                       ReverseStringIndexer("label", Shape.single("x_i", "y"), LABELS)]))


def answer(output: str, body: str, accept: str) -> bytes:
    model = SparkMLModel(BUNDLE, parse_schema(BUNDLE.serving_schema(output)))
    reply = model.invoke(Invocation(body.encode(), "text/csv", accept))
    return reply.body


@pytest.mark.parametrize("accept", ["text/csv", "application/jsonlines", "application/jsonlines;data=text"])
def test_a_basic_output_is_its_bare_text_whatever_the_accept(accept):
    assert answer("y", "good\nünï", accept) == "good\nünï".encode()
    assert answer("x_i", 'good\n"dog, big"\nünï', accept) == b"0.0\n1.0\n2.0"


def test_a_label_with_a_comma_is_quoted_only_in_csv():
    assert answer("y", '"dog, big"', "text/csv") == b'"dog, big"'
    assert answer("y", '"dog, big"', "application/jsonlines") == b"dog, big"
