"""Property tests of the tree ops: random data and hyper-parameters, fitted in real Spark, exported, read back.

For every row, Spark's transform equals the bundle runtime (columnar and single-row) on prediction,
rawPrediction and probability. Exact, except the GBT classifier's probability: Java's `Math.exp` and
glibc's `exp` round differently for some inputs (1 ulp), so that column is compared at 1e-15 relative.
The data has a categorical feature (ML attribute metadata), and the rows to transform include category
values the trees never saw (Spark sends them right).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

import bundles
from bundles.spark import bundle_from_spark
from jvm.vectors import SparseMatrix
from tests.bundles.model_parity import row_value, spark_vector

NUM_CATEGORIES = 4


@dataclass
class Case:
    kind: str  # op name
    x: list[list[float]]  # rows: 3 numbers and a category code
    label: list[float]
    params: dict
    thresholds: list[float] | None
    drop_raw: bool
    drop_probability: bool
    target: str
    width: int = 4  # > 4: the rows are that wide, mostly zeros, and reach Spark and the runtime sparse


REGRESSORS = ("decision_tree_regression", "random_forest_regression", "gbt_regression")
CLASSIFIERS = ("decision_tree_classifier", "random_forest_classifier", "gbt_classifier")


@st.composite
def cases(draw, kind: str, wide: bool = False) -> Case:
    n = draw(st.integers(12, 40))
    number = st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, draw(st.integers(0, 3))))
    x = [[draw(number), draw(number), draw(number), float(draw(st.integers(0, NUM_CATEGORIES - 1)))]
         for _ in range(n)]
    width = draw(st.sampled_from([50, 400])) if wide else 4
    for row in x:
        row[0] = draw(st.sampled_from([0.0, row[0]]))  # zeros are not stored in a sparse row
        row.extend([0.0] * (width - 4))
        for i in draw(st.lists(st.integers(4, width - 1), max_size=4, unique=True)) if wide else []:
            row[i] = draw(number)
    classes = 2 if kind in ("gbt_classifier",) else draw(st.integers(2, 4))
    if kind in CLASSIFIERS:
        label = [float(i % classes) if i < classes else float(draw(st.integers(0, classes - 1))) for i in range(n)]
    else:
        label = [draw(number) for _ in range(n)]
    params: dict = {"maxDepth": draw(st.integers(1, 6)), "maxBins": draw(st.integers(NUM_CATEGORIES, 32)),
                    "minInstancesPerNode": draw(st.integers(1, 3)), "seed": draw(st.integers(0, 99))}
    if kind.startswith("random_forest"):
        params |= {"numTrees": draw(st.integers(1, 8)), "subsamplingRate": draw(st.sampled_from([0.6, 1.0])),
                   "featureSubsetStrategy": draw(st.sampled_from(["auto", "all", "sqrt", "2"]))}
    if kind.startswith("gbt"):
        params |= {"maxIter": draw(st.integers(1, 12)), "stepSize": draw(st.sampled_from([0.05, 0.1, 0.3, 0.7]))}
    if kind in ("decision_tree_classifier", "random_forest_classifier"):
        params["impurity"] = draw(st.sampled_from(["gini", "entropy"]))
    thresholds = None
    if kind in CLASSIFIERS and draw(st.booleans()):
        thresholds = [draw(st.sampled_from([0.1, 0.3, 0.5, 0.9])) for _ in range(classes)]
    return Case(kind, x, label, params, thresholds, kind in CLASSIFIERS and draw(st.booleans()),
                kind in CLASSIFIERS and draw(st.booleans()), draw(st.sampled_from(["0.20", "0.9"])), width)


def spark_estimator(case: Case):
    from pyspark.ml import classification, regression

    cls = {"decision_tree_regression": regression.DecisionTreeRegressor,
           "random_forest_regression": regression.RandomForestRegressor,
           "gbt_regression": regression.GBTRegressor,
           "decision_tree_classifier": classification.DecisionTreeClassifier,
           "random_forest_classifier": classification.RandomForestClassifier,
           "gbt_classifier": classification.GBTClassifier}[case.kind]
    est = cls(**case.params)
    if case.thresholds:
        est.setThresholds(case.thresholds)
    if case.drop_raw:
        est.setRawPredictionCol("")
    if case.drop_probability:
        est.setProbabilityCol("")
    return est


def features_frame(spark, rows: list[list[float]], labels: list[float] | None = None):
    """A DataFrame with `features` whose slot 3 is declared categorical (ML attribute metadata); rows wider than
    4 are given as SparseVectors."""
    from pyspark.sql import functions as F

    width = len(rows[0])
    meta = {"ml_attr": {"num_attrs": width, "attrs": {
        "numeric": [{"idx": i, "name": f"x{i}"} for i in range(width) if i != 3],
        "nominal": [{"idx": 3, "name": "c", "vals": [str(v) for v in range(NUM_CATEGORIES)]}]}}}
    data = [(i, spark_vector(r, width > 4), labels[i] if labels else 0.0) for i, r in enumerate(rows)]
    df = spark.createDataFrame(data, ["id", "features", "label"])
    return df.withColumn("features", F.col("features").alias("features", metadata=meta))


def check_case(spark, case: Case) -> None:
    note(repr(case))
    train = features_frame(spark, case.x, case.label)
    model = spark_estimator(case).fit(train)
    probe_rows = case.x + [[*r[:3], c, *r[4:]] for r, c in zip(case.x[:3], (7.0, 2.5, -1.0), strict=False)]
    out = model.transform(features_frame(spark, probe_rows)).orderBy("id").collect()
    columns = [c for c in ("rawPrediction", "probability", "prediction") if c in out[0].asDict()]
    want = {c: np.array([np.asarray(r[c].toArray() if hasattr(r[c], "toArray") else r[c], dtype=float)
                         for r in out]) for c in columns}
    with tempfile.TemporaryDirectory() as tmp:
        path = bundles.save_bundle(bundle_from_spark(model, train, target=case.target), Path(tmp) / "b.zip",
                                   target=case.target)
        bundle = bundles.load_bundle(path)
    assert bundle.ops[-1].op_name == case.kind
    features = np.array(probe_rows, dtype=np.float64)
    if case.width > 4:  # the sparse paths: stored entries only
        features = SparseMatrix.from_dense(features)
    frame = bundle.transform({"features": features})
    singles = [bundle.transform_row({"features": row_value(features, i)}) for i in range(len(probe_rows))]
    for c in columns:
        got_col = np.asarray(frame.columns[c], dtype=float).reshape(want[c].shape)
        got_row = np.array([np.asarray(s[c], dtype=float) for s in singles]).reshape(want[c].shape)
        if case.kind == "gbt_classifier" and c == "probability":
            np.testing.assert_allclose(got_col, want[c], rtol=1e-15, atol=0, err_msg=f"columnar {c}")
            np.testing.assert_allclose(got_row, want[c], rtol=1e-15, atol=0, err_msg=f"single-row {c}")
        else:
            np.testing.assert_array_equal(got_col, want[c], err_msg=f"columnar {c}")
            np.testing.assert_array_equal(got_row, want[c], err_msg=f"single-row {c}")


QUICK = settings(max_examples=1, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # ~4 s a fit + export


@pytest.mark.parametrize("kind", REGRESSORS + CLASSIFIERS)
@QUICK
@given(data=st.data())
def test_tree_op_equals_spark_on_random_data_and_hyper_parameters(spark, kind, data):
    check_case(spark, data.draw(cases(kind)))


@pytest.mark.parametrize("kind", ["decision_tree_classifier", "random_forest_regression", "gbt_classifier"])
@QUICK
@given(data=st.data())
def test_tree_op_equals_spark_on_wide_sparse_features(spark, kind, data):
    """Sparse rows: the columnar walk reads a dense matrix of the used features, the single row a lookup."""
    check_case(spark, data.draw(cases(kind, wide=True)))


@pytest.mark.soak
@pytest.mark.parametrize("kind", REGRESSORS + CLASSIFIERS)
@settings(QUICK, max_examples=12)
@given(data=st.data())
def test_tree_op_equals_spark_on_many_random_cases(spark, kind, data):
    check_case(spark, data.draw(cases(kind)))
