"""Spark's transform of the fitted abalone pipeline equals the bundle runtime's, value for value, on every row."""

from __future__ import annotations

import numpy as np
import pytest

from bundles import load_bundle, save_bundle
from bundles.spark import bundle_from_spark
from glue_jobs.features import FEATURES, build_pipeline

NUMERIC = ["length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight", "shell_weight"]


@pytest.mark.parametrize("target", ["0.20", "0.9"])
def test_bundle_runtime_equals_spark_on_every_abalone_row(spark, abalone_csv, tmp_path, target):
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    schema = StructType([StructField("sex", StringType()), *(StructField(n, DoubleType()) for n in NUMERIC),
                         StructField("rings", DoubleType())])
    frame = spark.read.csv(str(abalone_csv), schema=schema).cache()
    model = build_pipeline(["sex"], NUMERIC).fit(frame)
    rows = model.transform(frame).select("sex", *NUMERIC, FEATURES).collect()
    spark_features = np.array([row[FEATURES].toArray() for row in rows])

    save_bundle(bundle_from_spark(model, frame, target=target), tmp_path / "model.tar.gz")
    bundle = load_bundle(tmp_path / "model.tar.gz")
    columns = {"sex": np.array([row["sex"] for row in rows], dtype=object),
               **{n: np.array([row[n] for row in rows], dtype=np.float64) for n in NUMERIC}}
    ours = bundle.transform(columns).columns[FEATURES]

    assert len(rows) == 4177
    np.testing.assert_array_equal(ours, spark_features)
    for i in (0, 1, 4176):
        single = bundle.transform_row({name: values[i] for name, values in columns.items()})
        np.testing.assert_array_equal(np.asarray(single[FEATURES], dtype=np.float64), spark_features[i])
    frame.unpersist()
