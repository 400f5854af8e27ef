"""Spark's BLAS summation order in every model op whose output sums through netlib's `ddot` / `dgemv`, on
dense features wide enough to fill several Vector API lanes (8 to 40): raw outputs bit for bit against Spark,
columnar and single-row, as built and after a save/load round trip (`model_parity.check_model`).

Marker `spark4`: the Spark 4 tier (`make test-spark4`) runs them, where the session's launcher enables the
Vector API and the bundle records VectorBLAS with the driver JVM's lanes; they hold on Spark 3.5 too (there
they pin Java11BLAS's order), whose tier leaves them out for time. What the bundle records is checked here too.
"""

from __future__ import annotations

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from bundles.spark import bundle_from_spark
from tests.bundles.model_parity import FEATURE, QUICK, check_model, feature_rows, frame_of

pytestmark = [pytest.mark.spark, pytest.mark.spark4]

REL = 1e-12  # outputs through Java's Math.exp / log (see jvm.java_math)
WIDE = feature_rows(min_rows=8, max_rows=14, min_features=8, max_features=40)
NON_NEGATIVE = st.floats(0, 50, allow_subnormal=False).map(lambda x: x + 0.0)
TWO_OR_THREE = st.sampled_from([2, 3])


def labels_for(draw, n: int, classes: int) -> list[float]:
    return [float(i % classes) if i < classes else float(draw(st.integers(0, classes - 1))) for i in range(n)]


@st.composite
def classified(draw, value=FEATURE, classes=TWO_OR_THREE):
    rows = draw(feature_rows(min_rows=8, max_rows=14, min_features=8, max_features=40, value=value))
    return rows, labels_for(draw, len(rows), draw(classes))


def fit(spark, estimator, rows, labels=None):
    train = frame_of(spark, rows, labels)
    return estimator.fit(train), train


@QUICK
@given(case=classified(classes=st.sampled_from([2, 2, 3])), family=st.sampled_from(["auto", "multinomial"]))
def test_logistic_regression_margins_sum_as_spark(spark, case, family):
    from pyspark.ml.classification import LogisticRegression

    note(repr((case, family)))
    model, train = fit(spark, LogisticRegression(maxIter=15, regParam=0.01, family=family), *case)
    check_model(model, train, train, exact={"rawPrediction", "prediction"}, rel=REL, abs_=1e-300)


@QUICK
@given(case=classified(value=NON_NEGATIVE), model_type=st.sampled_from(["multinomial", "complement"]))
def test_naive_bayes_gemv_sums_as_spark(spark, case, model_type):
    from pyspark.ml.classification import NaiveBayes

    note(repr((case, model_type)))
    model, train = fit(spark, NaiveBayes(modelType=model_type), *case)
    exact = {"rawPrediction", "prediction"} if model_type == "multinomial" else {"prediction"}
    check_model(model, train, train, exact=exact, rel=REL, abs_=1e-300)


@QUICK
@given(case=classified(value=st.sampled_from([0.0, 1.0])))
def test_bernoulli_naive_bayes_sums_as_spark(spark, case):
    from pyspark.ml.classification import NaiveBayes

    note(repr(case))
    model, train = fit(spark, NaiveBayes(modelType="bernoulli"), *case)
    check_model(model, train, train, exact={"prediction"}, rel=REL, abs_=1e-300)


@QUICK
@given(rows=WIDE, k=st.integers(1, 6))
def test_pca_projection_sums_as_spark(spark, rows, k):
    from pyspark.ml.feature import PCA

    note(repr((rows, k)))
    model, train = fit(spark, PCA(k=min(k, len(rows[0])), inputCol="features", outputCol="projected"), rows)
    check_model(model, train, train, exact={"projected"})


@QUICK
@given(rows=WIDE, data=st.data())
def test_linear_regression_and_identity_glm_sum_as_spark(spark, rows, data):
    from pyspark.ml.regression import GeneralizedLinearRegression, LinearRegression

    labels = [data.draw(FEATURE) for _ in rows]
    note(repr((rows, labels)))
    for estimator in (LinearRegression(regParam=0.1), GeneralizedLinearRegression(family="gaussian", maxIter=5)):
        model, train = fit(spark, estimator, rows, labels)
        check_model(model, train, train, exact={"prediction"})


@QUICK
@given(case=classified(classes=st.just(2)))
def test_linear_svc_margin_sums_as_spark(spark, case):
    from pyspark.ml.classification import LinearSVC

    note(repr(case))
    model, train = fit(spark, LinearSVC(maxIter=10, regParam=0.1), *case)
    check_model(model, train, train, exact={"rawPrediction", "prediction"})


@QUICK
@given(rows=WIDE, data=st.data())
def test_gbt_ensemble_sum_as_spark(spark, rows, data):
    """GBT's prediction is netlib ddot of the tree outputs and their weights: 8 to 20 trees."""
    from pyspark.ml.regression import GBTRegressor

    labels = [data.draw(FEATURE) for _ in rows]
    trees = data.draw(st.integers(8, 20))
    note(repr((rows, labels, trees)))
    model, train = fit(spark, GBTRegressor(maxIter=trees, maxDepth=2, seed=1), rows, labels)
    check_model(model, train, train, exact={"prediction"})


def test_the_bundle_records_the_sessions_spark_and_blas(spark):
    """The record's lanes are the driver JVM's: VectorBLAS's SPECIES_MAX when Spark's launcher added the Vector
    API module (Spark 4), else 0 (Java11BLAS)."""
    from pyspark.ml.regression import LinearRegression

    model, train = fit(spark, LinearRegression(), [[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]], [1.0, 2.0, 3.0])
    record = bundle_from_spark(model, train).info["spark"]
    jvm = spark.sparkContext._jvm
    vector = jvm.java.lang.ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
    lanes = jvm.jdk.incubator.vector.DoubleVector.SPECIES_MAX.length() if vector else 0
    assert record == {"version": spark.version, "vector_lanes": lanes}
    assert (lanes > 0) == (int(spark.version.split(".")[0]) >= 4)  # Spark 4's launcher turns the Vector API on
