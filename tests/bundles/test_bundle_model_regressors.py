"""Property tests of the regression ops (linear, generalized linear, isotonic, AFT survival) and LinearSVC:
random data and hyper-parameters, fitted in Spark, exported, saved, loaded, transformed; every output
column equals Spark's for every row, columnar and single-row (exact, or within the op's stated tolerance)."""

from __future__ import annotations

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from tests.bundles.model_parity import FEATURE, QUICK, SOAK, check_model, frame_of, some_rows

REL = 1e-12


@st.composite
def linear_cases(draw, sparse: bool = False):
    rows = draw(some_rows(sparse))
    labels = [draw(FEATURE) for _ in rows]
    params = {"regParam": draw(st.sampled_from([0.0, 0.1])), "elasticNetParam": draw(st.sampled_from([0.0, 1.0])),
              "fitIntercept": draw(st.booleans()), "solver": draw(st.sampled_from(["auto", "l-bfgs"]))}
    return rows, labels, params


def check_linear(spark, case) -> None:
    from pyspark.ml.regression import LinearRegression

    rows, labels, params = case
    note(repr(case))
    train = frame_of(spark, rows, labels)
    check_model(LinearRegression(**params).fit(train), train, train, exact={"prediction"}, targets=("0.20", "0.9"))


@QUICK
@given(case=linear_cases())
def test_linear_regression_equals_spark(spark, case):
    check_linear(spark, case)


@st.composite
def svc_cases(draw, sparse: bool = False):
    rows = draw(some_rows(sparse))
    labels = [float(i % 2) if i < 2 else float(draw(st.integers(0, 1))) for i in range(len(rows))]
    params = {"regParam": draw(st.sampled_from([0.0, 0.1])), "fitIntercept": draw(st.booleans()),
              "threshold": draw(st.sampled_from([0.0, -0.5, 0.5])), "maxIter": 20}
    raw = draw(st.sampled_from(["rawPrediction", ""]))
    return rows, labels, params, raw


def check_svc(spark, case) -> None:
    from pyspark.ml.classification import LinearSVC

    rows, labels, params, raw = case
    note(repr(case))
    train = frame_of(spark, rows, labels)
    model = LinearSVC(**params).fit(train).setRawPredictionCol(raw)
    check_model(model, train, train, exact={"rawPrediction", "prediction"})


@QUICK
@given(case=svc_cases())
def test_linear_svc_equals_spark(spark, case):
    check_svc(spark, case)


FAMILY_LINKS = [("gaussian", None), ("gaussian", "log"), ("gaussian", "inverse"), ("binomial", None),
                ("binomial", "probit"), ("binomial", "cloglog"), ("poisson", None), ("poisson", "identity"),
                ("poisson", "sqrt"), ("gamma", None), ("gamma", "log"), ("gamma", "identity"),
                ("tweedie", None)]


@st.composite
def glr_cases(draw, sparse: bool = False):
    rows = draw(some_rows(sparse, max_features=5, value=st.floats(-1, 1, allow_subnormal=False).map(lambda x: x + 0.0),
                          widths=(20, 60)))
    family, link = draw(st.sampled_from(FAMILY_LINKS))
    if family == "binomial":
        labels = [float(i % 2) if i < 2 else float(draw(st.integers(0, 1))) for i in range(len(rows))]
    elif family == "gaussian" and link is None:
        labels = [draw(FEATURE) for _ in rows]
    else:
        labels = [draw(st.floats(0.5, 20)) for _ in rows]
    params = {"family": family, "regParam": draw(st.sampled_from([0.0, 0.1])), "maxIter": 25,
              "fitIntercept": draw(st.booleans()) if link in (None, "log") else True}
    if link:
        params["link"] = link
    if family == "tweedie":
        params["variancePower"] = draw(st.sampled_from([0.0, 1.0, 1.5, 2.0, 3.0]))
        if draw(st.booleans()):
            params["linkPower"] = draw(st.sampled_from([0.0, 1.0, 0.5, -0.5]))
    link_col = draw(st.sampled_from(["", "eta"]))
    return rows, labels, params, link_col


def check_glr(spark, case) -> None:
    from pyspark.ml.regression import GeneralizedLinearRegression

    rows, labels, params, link_col = case
    note(repr(case))
    train = frame_of(spark, rows, labels)
    try:
        model = GeneralizedLinearRegression(**params).fit(train)
    except Exception as exc:  # Spark refuses some draws (e.g. a singular design): not our concern
        note(f"Spark could not fit: {exc}")
        return
    if link_col:
        model.setLinkPredictionCol(link_col)
    check_model(model, train, train, exact={"eta"}, rel=REL, abs_=1e-300)


@QUICK
@given(case=glr_cases())
def test_generalized_linear_regression_equals_spark(spark, case):
    check_glr(spark, case)


@st.composite
def isotonic_cases(draw):
    n = draw(st.integers(5, 20))
    xs = [draw(st.sampled_from([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])) if draw(st.booleans()) else draw(FEATURE)
          for _ in range(n)]
    labels = [draw(FEATURE) for _ in range(n)]
    vector = draw(st.booleans())
    return xs, labels, draw(st.booleans()), vector


def check_isotonic(spark, case) -> None:
    from pyspark.ml.regression import IsotonicRegression

    xs, labels, isotonic, vector = case
    note(repr(case))
    probes = xs + [min(xs) - 1.0, max(xs) + 1.0, (min(xs) + max(xs)) / 2]
    if vector:
        train = frame_of(spark, [[x, -x] for x in xs], labels)
        data = frame_of(spark, [[x, -x] for x in probes])
        model = IsotonicRegression(isotonic=isotonic, featureIndex=0).fit(train)
        check_model(model, train, data, exact={"prediction"})
    else:
        train = frame_of(spark, [[x] for x in xs], labels, x=xs).drop("features").withColumnRenamed("x", "features")
        data = frame_of(spark, [[x] for x in probes], x=probes).drop("features").withColumnRenamed("x", "features")
        model = IsotonicRegression(isotonic=isotonic).fit(train)
        check_model(model, train, data, exact={"prediction"})


@QUICK
@given(case=isotonic_cases())
def test_isotonic_regression_equals_spark(spark, case):
    check_isotonic(spark, case)


@st.composite
def aft_cases(draw, sparse: bool = False):
    rows = draw(some_rows(sparse, max_features=4, value=st.floats(-1, 1, allow_subnormal=False).map(lambda x: x + 0.0)))
    labels = [draw(st.floats(0.1, 10)) for _ in rows]
    censor = [float(draw(st.integers(0, 1))) for _ in rows]
    probabilities = sorted(set(draw(st.lists(st.floats(0.01, 0.99), min_size=1, max_size=4))))
    return rows, labels, censor, probabilities, draw(st.booleans()), draw(st.sampled_from(["", "quantiles"]))


def check_aft(spark, case) -> None:
    from pyspark.ml.regression import AFTSurvivalRegression

    rows, labels, censor, probabilities, intercept, quantiles = case
    note(repr(case))
    train = frame_of(spark, rows, labels, censor=censor)
    model = AFTSurvivalRegression(quantileProbabilities=probabilities, fitIntercept=intercept, maxIter=30).fit(train)
    if quantiles:
        model.setQuantilesCol(quantiles)
    check_model(model, train, train, exact=set(), rel=REL, abs_=1e-300)


@QUICK
@given(case=aft_cases())
def test_aft_survival_regression_equals_spark(spark, case):
    check_aft(spark, case)


@settings(QUICK, max_examples=1)
@given(linear=linear_cases(sparse=True), svc=svc_cases(sparse=True), glr=glr_cases(sparse=True),
       aft=aft_cases(sparse=True))
def test_linear_models_equal_spark_on_sparse_features(spark, linear, svc, glr, aft):
    """Spark's sparse BLAS.dot (the stored entries, in index order), columnar and single row."""
    check_linear(spark, linear)
    check_svc(spark, svc)
    check_glr(spark, glr)
    check_aft(spark, aft)


@pytest.mark.soak
@SOAK
@given(linear=linear_cases(), svc=svc_cases(), glr=glr_cases(), isotonic=isotonic_cases(), aft=aft_cases())
def test_regression_ops_equal_spark_on_many_cases(spark, linear, svc, glr, isotonic, aft):
    check_linear(spark, linear)
    check_svc(spark, svc)
    check_glr(spark, glr)
    check_isotonic(spark, isotonic)
    check_aft(spark, aft)
