"""Property tests of the clustering ops (k-means, bisecting k-means, Gaussian mixture): random data and
hyper-parameters, fitted in Spark, exported, saved, loaded, transformed; the predicted cluster equals
Spark's for every row (and the mixture's probabilities are within the op's stated tolerance).

The mixture's data are k drawn clusters, well apart, each spread along every axis: on arbitrary rows a component
can collapse onto one point, its covariance becomes rounding noise, and a NaN in it makes F2J LAPACK's dsyev (in
Spark's fit) loop for ever."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from bundles.spark import bundle_from_spark
from jvm.vectors import SparseMatrix, SparseVector
from tests.bundles.model_parity import FEATURE, QUICK, SOAK, check_model, feature_rows, frame_of, spark_outputs


@st.composite
def cluster_cases(draw):
    rows = draw(feature_rows(min_rows=10, max_rows=24, max_features=5))
    return rows, draw(st.integers(2, 4)), draw(st.integers(0, 99)), draw(st.sampled_from(["euclidean", "cosine"]))


def check_centers(spark, case, estimator: str) -> None:
    from pyspark.ml import clustering

    rows, k, seed, measure = case
    note(repr(case))
    if measure == "cosine" and any(sum(x * x for x in r) == 0 for r in rows):
        return  # Spark refuses zero vectors with the cosine measure
    train = frame_of(spark, rows)
    model = getattr(clustering, estimator)(k=k, seed=seed, maxIter=10, distanceMeasure=measure).fit(train)
    check_model(model, train, train, exact={"prediction"})


@QUICK
@given(case=cluster_cases())
def test_k_means_equals_spark(spark, case):
    check_centers(spark, case, "KMeans")


@QUICK
@given(case=cluster_cases())
def test_bisecting_k_means_equals_spark(spark, case):
    check_centers(spark, case, "BisectingKMeans")


@QUICK
@given(case=cluster_cases(), estimator=st.sampled_from(["KMeans", "BisectingKMeans"]))
def test_k_means_on_sparse_points_equals_spark(spark, case, estimator):
    """Sparse points stay sparse: Spark measures them on fastSquaredDistance's sparse branch (max(|c|² + |x|² -
    2 c.x, 0) against a second precision bound), columnar and single row alike."""
    from pyspark.ml import clustering
    from pyspark.ml.linalg import Vectors

    rows, k, seed, measure = case
    note(repr((case, estimator)))
    if measure == "cosine" and any(sum(x * x for x in r) == 0 for r in rows):
        return  # Spark refuses zero vectors with the cosine measure
    rows = [[x if j % 2 == i % 3 % 2 else 0.0 for j, x in enumerate(r)] for i, r in enumerate(rows)]
    if measure == "cosine" and any(sum(x * x for x in r) == 0 for r in rows):
        return
    model = getattr(clustering, estimator)(k=k, seed=seed, maxIter=10, distanceMeasure=measure).fit(
        frame_of(spark, rows))
    sparse = [Vectors.sparse(len(r), {j: x for j, x in enumerate(r) if x != 0.0}) for r in rows]
    _, expected = spark_outputs(model, spark.createDataFrame(list(enumerate(sparse)), ["id", "features"]))
    bundle = bundle_from_spark(model, frame_of(spark, rows))
    points = [SparseVector(v.size, v.indices.tolist(), v.values.tolist()) for v in sparse]
    columnar = bundle.transform({"features": SparseMatrix.from_rows(points, len(rows[0]))}).columns
    assert list(columnar["prediction"]) == list(expected["prediction"])
    assert [bundle.transform_row({"features": p})["prediction"] for p in points] == list(expected["prediction"])


SPREAD = st.floats(min_value=0.5, max_value=5.0).map(lambda x: x + 0.0)


@st.composite
def mixture_rows(draw, value=FEATURE) -> tuple[list[list[float]], int]:
    """(rows, k): k clusters 1000 apart along the first axis, each its centre (other coordinates drawn from
    `value`), the centre moved by a drawn spread (0.5 to 5) either way along each axis, and up to 3 drawn points
    within that spread: every cluster's covariance is positive-definite and well-conditioned."""
    width, k = draw(st.integers(1, 5)), draw(st.integers(2, 4))
    rows = []
    for j in range(k):
        centre = [1000.0 * j, *(draw(value) for _ in range(width - 1))]
        spread = [draw(SPREAD) for _ in range(width)]
        rows.append(centre)
        for axis in range(width):
            for sign in (-1.0, 1.0):
                rows.append([c + sign * spread[axis] * (i == axis) for i, c in enumerate(centre)])
        for _ in range(draw(st.integers(0, 3))):
            rows.append([c + draw(st.floats(-s, s)) for c, s in zip(centre, spread, strict=True)])
    return rows, k


@st.composite
def mixture_cases(draw):
    rows, k = draw(mixture_rows())
    return rows, k, draw(st.integers(0, 99)), "euclidean"


def check_mixture(spark, case) -> None:
    from pyspark.ml.clustering import GaussianMixture

    rows, k, seed, _ = case
    note(repr(case))
    train = frame_of(spark, rows)
    model = GaussianMixture(k=k, seed=seed, maxIter=10).fit(train)
    check_model(model, train, train, exact={"prediction"}, rel=1e-12)  # exact but for Math.exp/log: see the op


@QUICK
@given(case=mixture_cases())
def test_gaussian_mixture_equals_spark(spark, case):
    check_mixture(spark, case)


@QUICK
@given(mixture=mixture_rows(value=st.one_of(st.just(0.0), FEATURE)), seed=st.integers(0, 99))
def test_gaussian_mixture_on_sparse_points_equals_spark(spark, mixture, seed):
    """Sparse points take Spark's sparse gemv (plain multiply-adds over the stored entries), not the dense one."""
    from pyspark.ml.clustering import GaussianMixture
    from pyspark.ml.linalg import Vectors

    rows, k = mixture
    note(repr((rows, k, seed)))
    model = GaussianMixture(k=k, seed=seed, maxIter=10).fit(frame_of(spark, rows))
    sparse = [Vectors.sparse(len(r), {j: x for j, x in enumerate(r) if x != 0.0}) for r in rows]
    _, expected = spark_outputs(model, spark.createDataFrame(list(enumerate(sparse)), ["id", "features"]))
    bundle = bundle_from_spark(model, frame_of(spark, rows))
    points = [SparseVector(v.size, v.indices.tolist(), v.values.tolist()) for v in sparse]
    columnar = bundle.transform({"features": SparseMatrix.from_rows(points, len(rows[0]))}).columns
    singles = [bundle.transform_row({"features": point}) for point in points]
    for name, rel in (("prediction", 0.0), ("probability", 1e-12)):
        np.testing.assert_allclose(np.asarray(columnar[name], dtype=float), expected[name], rtol=rel, atol=0)
        np.testing.assert_allclose([s[name] for s in singles], expected[name], rtol=rel, atol=0)


@pytest.mark.soak
@SOAK
@given(case=cluster_cases(), mixture=mixture_cases())
def test_clustering_ops_equal_spark_on_many_cases(spark, case, mixture):
    check_centers(spark, case, "KMeans")
    check_centers(spark, case, "BisectingKMeans")
    check_mixture(spark, mixture)
