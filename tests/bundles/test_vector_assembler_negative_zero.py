"""vector_assembler: a -0.0 in a scalar, dense or sparse input comes out as 0.0, as Spark's VectorAssembler
gives it (it keeps only values != 0.0), in the columnar and the single-row transform. Oracle: real Spark."""

from __future__ import annotations

import numpy as np
import pytest

from bundles.spark import bundle_from_spark
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix

pytestmark = pytest.mark.spark


def test_negative_zero_inputs_are_assembled_as_zero_as_spark(spark):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import VectorAssembler
    from pyspark.ml.linalg import Vectors

    rows = [(-0.0, Vectors.dense([-0.0, 2.0])), (1.5, Vectors.dense([3.0, -0.0]))]
    frame = spark.createDataFrame(rows, ["x", "v"])
    model = Pipeline(stages=[VectorAssembler(inputCols=["x", "v"], outputCol="f")]).fit(frame)
    want = np.array([r.f.toArray() for r in model.transform(frame).collect()])
    bundle = bundle_from_spark(model, frame)
    got = bundle.transform({"x": np.array([r[0] for r in rows]), "v": np.array([r[1].toArray() for r in rows])})
    assert got.column("f").tobytes() == want.tobytes()
    for (x, v), expected in zip(rows, want, strict=True):
        one = bundle.transform_row({"x": x, "v": v.toArray().tolist()})["f"]
        assert np.array(one).tobytes() == expected.tobytes()
    assert not np.signbit(want).any()


def test_a_stored_negative_zero_in_a_sparse_input_is_assembled_as_zero(spark):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import VectorAssembler
    from pyspark.ml.linalg import Vectors

    frame = spark.createDataFrame([(-0.0, Vectors.sparse(3, [0, 2], [-0.0, 1.5]))], ["x", "s"])
    model = Pipeline(stages=[VectorAssembler(inputCols=["x", "s"], outputCol="f")]).fit(frame)
    want = model.transform(frame).collect()[0].f.toArray()
    bundle = bundle_from_spark(model, frame)
    column = SparseMatrix(3, np.array([0, 2]), np.array([0, 2]), np.array([-0.0, 1.5]))
    columnar = dense_matrix(bundle.transform({"x": np.array([-0.0]), "s": column}).column("f"))
    assert columnar[0].tobytes() == want.tobytes()
    row = bundle.transform_row({"x": -0.0, "s": SparseVector(3, [0, 2], [-0.0, 1.5])})["f"]
    assert np.array(row.dense()).tobytes() == want.tobytes()
