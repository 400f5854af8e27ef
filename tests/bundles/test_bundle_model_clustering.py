"""Property tests of the clustering ops (k-means, bisecting k-means, Gaussian mixture): random data and
hyper-parameters, fitted in Spark, exported, saved, loaded, transformed; the predicted cluster equals
Spark's for every row (and the mixture's probabilities are within the op's stated tolerance)."""

from __future__ import annotations

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from tests.bundles.model_parity import QUICK, SOAK, check_model, feature_rows, frame_of


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


def check_mixture(spark, case) -> None:
    from pyspark.ml.clustering import GaussianMixture

    rows, k, seed, _ = case
    note(repr(case))
    train = frame_of(spark, rows)
    model = GaussianMixture(k=k, seed=seed, maxIter=10).fit(train)
    check_model(model, train, train, exact={"prediction"}, rel=1e-12)  # exact but for Math.exp/log: see the op


@QUICK
@given(case=cluster_cases())
def test_gaussian_mixture_equals_spark(spark, case):
    check_mixture(spark, case)


@pytest.mark.soak
@SOAK
@given(case=cluster_cases())
def test_clustering_ops_equal_spark_on_many_cases(spark, case):
    check_centers(spark, case, "KMeans")
    check_centers(spark, case, "BisectingKMeans")
    check_mixture(spark, case)
