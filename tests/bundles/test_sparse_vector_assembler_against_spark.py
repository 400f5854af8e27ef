"""sparse_vector_assembler (the pixar bundle's community op; Spark has no such stage) against Spark's nearest
stage: VectorAssembler with handleInvalid="keep" gives the same values with NaN where a value is missing; ours
keeps exactly its non-NaN entries (a sparse vector of the same size), columnar and single row."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bundles
from bundles.ops.base import Shape
from bundles.ops.sparse_vector_assembler import SparseVectorAssembler

pytestmark = pytest.mark.spark

VALUES = st.one_of(st.just(math.nan), st.just(0.0), st.floats(-1e6, 1e6, allow_nan=False))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(1, 4), data=st.data())
def test_sparse_vector_assembler_keeps_the_non_missing_values_sparks_assembler_gives(spark, tmp_path, width, data):
    from pyspark.ml.feature import VectorAssembler

    rows = data.draw(st.lists(st.lists(VALUES, min_size=width, max_size=width), min_size=1, max_size=12))
    names = [f"f{i}" for i in range(width)]
    df = spark.createDataFrame([tuple(r) for r in rows], ", ".join(f"{n} double" for n in names))
    want = [r["v"].toArray() for r in VectorAssembler(inputCols=names, outputCol="v", handleInvalid="keep")
            .transform(df).collect()]
    op = SparseVectorAssembler("sva", Shape([(n, n) for n in names], [("output", "v")]), ["double"] * width,
                               [{"base": "scalar", "isNullable": True}] * width, [math.nan], False)
    bundle = bundles.load_bundle(bundles.save_bundle(bundles.Bundle(op), tmp_path / "sva"))
    frame = bundle.transform({n: np.array([r[i] for r in rows]) for i, n in enumerate(names)})
    for i, (row, spark_vector) in enumerate(zip(rows, want, strict=True)):
        kept = [j for j, x in enumerate(spark_vector) if not math.isnan(x)]
        for got in (frame.columns["v"][i], bundle.transform_row(dict(zip(names, row, strict=True)))["v"]):
            assert got.size == width
            assert list(got.indices) == kept
            assert list(got.values) == [spark_vector[j] for j in kept]
