"""The SparkML container's warm-up: a row the model accepts (each indexed string's first known label, a split
of a Bucketizer, zero vectors, neutral numbers) goes through every op, alone and as a batch, and through every
encoder before /ping can answer; a model that cannot answer it ends the start with one line naming the op."""

from __future__ import annotations

import json

import numpy as np
import pytest

import bundles
from bundles import attributes as v
from bundles.ops.base import Shape
from bundles.ops.bucketizer import Bucketizer
from bundles.ops.pipeline import Pipeline
from bundles.ops.standard_scaler import StandardScaler
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.vector_assembler import VectorAssembler
from serving.schema import parse_schema
from serving.sparkml.app import SparkMLModel, WarmUpError, warm_up_row
from tests.helpers.servers import assert_one_line_failure, run_serve, running

SHAPES = [v.scalar_shape(), v.scalar_shape(), v.tensor_shape(2)]


def model(scaler_size: int = 5) -> bundles.Bundle:
    """city (indexed, error on unseen labels), age (bucketized over [18, 65]), v (a 2-vector), assembled and
    centred by a scaler expecting `scaler_size` values (4 fit)."""
    return bundles.Bundle(Pipeline("p", [
        StringIndexer("city_index", Shape.single("city", "city_i"), [["Oslo", "Rome"]], "error"),
        Bucketizer("age_bucket", Shape.single("age", "age_b"), [18.0, 40.0, 65.0], "error"),
        VectorAssembler("assemble", Shape([("input0", "city_i"), ("input1", "age_b"), ("input2", "v")],
                                          [("output", "features")]), SHAPES),
        StandardScaler("scale", Shape.single("features", "scaled"), np.zeros(scaler_size), None),
    ]))


def test_the_warm_up_row_is_one_the_model_accepts():
    bundle = model(4)
    schema = parse_schema(bundle.serving_schema())
    assert schema.names == ["city", "age", "v"]
    assert warm_up_row(bundle, schema) == ["Oslo", 18.0, [0.0, 0.0]]
    SparkMLModel(bundle, schema).warm_up()


def test_a_model_that_cannot_answer_fails_its_warm_up_naming_the_op():
    bundle = model(5)  # the scaler wants 5 values, the assembler gives 4
    with pytest.raises(WarmUpError, match=r"node 'scale' \(standard_scaler\) cannot answer the warm-up row "
                                          r"\(city='Oslo', age=18.0, v=\[0.0, 0.0\]\), one row"):
        SparkMLModel(bundle, parse_schema(bundle.serving_schema())).warm_up()


@pytest.mark.process
def test_the_container_refuses_to_start_a_model_that_cannot_answer(tmp_path):
    folder = bundles.save_bundle(model(5), tmp_path / "broken")
    result = run_serve("sparkml", folder)
    assert_one_line_failure(result, "sparkml container: cannot start:", "node 'scale' (standard_scaler)",
                            "cannot answer the warm-up row")


@pytest.mark.process
def test_the_container_starts_a_model_whose_indexer_refuses_unseen_labels(tmp_path):
    folder = bundles.save_bundle(model(4), tmp_path / "good")
    with running("sparkml", folder) as server:
        assert server.get("/ping").status_code == 200
        body = json.dumps({"data": ["Rome", 50, [1.5, -0.0]]})
        assert server.post(body, content_type="application/json").text == "1.0,1.0,1.5,0.0"
