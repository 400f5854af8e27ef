"""Edge behaviour of the numeric ops on both runtime paths: invalid values, skip, nulls, multi-column Spark stages."""

from __future__ import annotations

import math

import numpy as np
import pytest

import bundles
from bundles.ops.base import Shape
from bundles.ops.bucketizer import Bucketizer
from bundles.ops.imputer import Imputer
from bundles.ops.pipeline import Pipeline
from bundles.spark import bundle_from_spark


def bundle_of(*ops) -> bundles.Bundle:
    return bundles.Bundle(Pipeline("p", list(ops)))


def bucketizer(handle_invalid: str) -> bundles.Bundle:
    return bundle_of(Bucketizer("b", Shape.single("x", "x_b"), [0.0, 1.0, 2.0], handle_invalid))


def test_bucketizer_keep_puts_nan_in_the_extra_bucket():
    bundle = bucketizer("keep")
    assert bundle.transform({"x": np.array([0.0, 1.5, 2.0, math.nan])}).columns["x_b"].tolist() == [0, 1, 1, 2]
    assert bundle.transform_row({"x": math.nan})["x_b"] == 2.0


def test_bucketizer_skip_drops_nan_rows_and_keeps_row_numbers():
    frame = bucketizer("skip").transform({"x": np.array([math.nan, 0.5, math.nan, 1.5])})
    assert frame.columns["x_b"].tolist() == [0.0, 1.0] and frame.rows.tolist() == [1, 3]
    assert bucketizer("skip").transform_row({"x": math.nan}) is None


@pytest.mark.parametrize("handle_invalid", ["error", "keep", "skip"])
def test_bucketizer_values_outside_the_splits_are_always_an_error_naming_the_row(handle_invalid):
    with pytest.raises(bundles.TransformError, match=r"row 2, column 'x': Feature value 2.5 out of Bucketizer"):
        bucketizer(handle_invalid).transform({"x": np.array([0.5, 2.5])})
    with pytest.raises(bundles.TransformError, match="out of Bucketizer bounds"):
        bucketizer(handle_invalid).transform_row({"x": -1.0})


def test_bucketizer_error_names_the_first_nan_row():
    with pytest.raises(bundles.TransformError, match=r"row 3, column 'x': Bucketizer encountered NaN"):
        bucketizer("error").transform({"x": np.array([0.5, 1.0, math.nan])})


def test_imputer_fills_nulls_nans_and_the_missing_value_on_both_paths():
    bundle = bundle_of(Imputer("i", Shape.single("x", "x_m"), surrogate=7.5, missing=-1.0))
    column = np.array([None, math.nan, -1.0, 2.0], dtype=object)
    assert bundle.transform({"x": column}).columns["x_m"].tolist() == [7.5, 7.5, 7.5, 2.0]
    assert [bundle.transform_row({"x": v})["x_m"] for v in column] == [7.5, 7.5, 7.5, 2.0]
    with pytest.raises(bundles.TransformError, match=r"row 1, column 'x': not a number: 'abc'"):
        bundle.transform({"x": np.array(["abc"], dtype=object)})


def test_a_vector_of_the_wrong_size_is_rejected_naming_the_column(tmp_path):
    from bundles.ops.max_abs_scaler import MaxAbsScaler

    bundle = bundle_of(MaxAbsScaler("m", Shape.single("v", "v_s"), np.array([2.0, 4.0])))
    with pytest.raises(bundles.TransformError, match=r"column 'v': expected a vector of size 2, got 3"):
        bundle.transform_row({"v": [1.0, 2.0, 3.0]})
    assert bundle.transform({"v": np.array([[1.0, 2.0]])}).columns["v_s"].tolist() == [[0.5, 0.5]]


def test_multi_column_spark_bucketizer_and_binarizer_become_one_node_per_column(spark, tmp_path):
    from pyspark.ml import Pipeline as SparkPipeline
    from pyspark.ml.feature import Binarizer
    from pyspark.ml.feature import Bucketizer as SparkBucketizer

    df = spark.createDataFrame([(0.5, 3.0), (1.5, -1.0), (float("nan"), 9.0)], ["a", "b"])
    stages = [SparkBucketizer(inputCols=["a", "b"], outputCols=["a_b", "b_b"], handleInvalid="keep",
                              splitsArray=[[0.0, 1.0, 2.0], [-math.inf, 0.0, math.inf]]),
              Binarizer(inputCols=["a", "b"], outputCols=["a_01", "b_01"], thresholds=[1.0, 2.0])]
    model = SparkPipeline(stages=stages).fit(df)
    want = model.transform(df).collect()
    bundle = bundles.load_bundle(bundles.save_bundle(bundle_from_spark(model, df), tmp_path / "b.zip"))
    assert [op.op_name for op in bundle.ops] == ["bucketizer", "bucketizer", "binarizer", "binarizer"]
    columns = {"a": np.array([r["a"] for r in want]), "b": np.array([r["b"] for r in want])}
    frame = bundle.transform(columns)
    for name in ("a_b", "b_b", "a_01", "b_01"):
        assert frame.columns[name].tolist() == [r[name] for r in want], name
    assert bundle.serving_schema()["input"] == [{"name": "a", "type": "double"}, {"name": "b", "type": "double"}]


def test_a_gaussian_mixture_with_a_nan_covariance_is_refused_naming_the_node():
    from bundles.errors import BundleError
    from bundles.ops.gaussian_mixture import GaussianMixture

    shape = Shape([("features", "features")], [("prediction", "prediction")])
    covs = [np.eye(2), np.array([[1.0, math.nan], [math.nan, 1.0]])]
    with pytest.raises(BundleError, match=r"'gmm'.*covariance.*NaN"):
        GaussianMixture("gmm", shape, [0.5, 0.5], [np.zeros(2), np.ones(2)], covs)
