"""The SparkML container serves model bundles unchanged: a Spark pipeline ending in a logistic regression,
exported with `bundle_from_spark`, answers the prediction (double), the probability (vector) or the raw
prediction as Spark computes them; the derived schema defaults to the model's prediction column."""

from __future__ import annotations

import json

import numpy as np
import pytest

import bundles
from bundles.spark import bundle_from_spark
from serving.contract import Invocation
from serving.schema import SchemaError, parse_schema
from serving.sparkml.app import SparkMLModel

ROWS = [("a", 1.5, 0.0), ("b", -0.5, 1.0), ("a", 3.0, 1.0), ("c", 0.25, 0.0), ("b", 2.0, 1.0), ("c", -1.0, 0.0),
        ("a", 0.5, 1.0), ("c", 1.0, 0.0)]


@pytest.fixture(scope="module")
def fitted(spark):
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import OneHotEncoder, StringIndexer, VectorAssembler

    data = spark.createDataFrame(ROWS, ["cat", "x", "label"])
    model = Pipeline(stages=[StringIndexer(inputCol="cat", outputCol="cat_i"),
                             OneHotEncoder(inputCol="cat_i", outputCol="cat_v"),
                             VectorAssembler(inputCols=["cat_v", "x"], outputCol="features"),
                             LogisticRegression(regParam=0.1)]).fit(data)
    expected = model.transform(data).select("prediction", "probability", "rawPrediction").collect()
    return bundle_from_spark(model, data), expected


def invoke(model: SparkMLModel, rows: list[tuple], accept: str = "text/csv") -> str:
    body = "\n".join(f"{c},{x}" for c, x, _ in rows).encode()
    return model.invoke(Invocation(body, "text/csv", accept)).body.decode()


def test_the_derived_schema_outputs_the_last_models_prediction_as_a_double(fitted):
    bundle, _ = fitted
    assert bundle.serving_schema()["output"] == {"name": "prediction", "type": "double", "struct": "basic"}
    assert bundle.serving_schema("probability")["output"]["struct"] == "vector"


@pytest.mark.parametrize("rows", [ROWS[:1], ROWS])  # the single-row path and the columnar path
def test_prediction_output_equals_spark(fitted, rows):
    bundle, expected = fitted
    model = SparkMLModel(bundle, parse_schema(bundle.serving_schema()))
    assert invoke(model, rows).splitlines() == [repr(r["prediction"]) for r in expected[:len(rows)]]


@pytest.mark.parametrize("rows", [ROWS[:1], ROWS])
def test_probability_output_is_served_as_a_vector_equal_to_spark(fitted, rows, tmp_path):
    bundle, expected = fitted
    loaded = bundles.load_bundle(bundles.save_bundle(bundle, tmp_path / "lr.zip"))
    model = SparkMLModel(loaded, parse_schema(loaded.serving_schema("probability")))
    lines = invoke(model, rows, accept="application/jsonlines").splitlines()
    got = np.array([json.loads(line)["features"] for line in lines])
    want = np.array([r["probability"].toArray() for r in expected[:len(rows)]])
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_a_vector_output_declared_basic_is_refused_at_startup_naming_the_struct(fitted):
    bundle, _ = fitted
    schema = bundle.serving_schema()
    schema["output"] = {"name": "rawPrediction", "type": "double"}
    with pytest.raises(SchemaError, match="'rawPrediction' is a vector column; give it \"struct\": \"vector\""):
        SparkMLModel(bundle, parse_schema(schema))
