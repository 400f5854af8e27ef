"""Spark 4's TargetEncoder is the judge: random data fitted in real Spark 4 (both target types, smoothing,
handle_invalid, null / -0.0 / NaN / unseen / fractional categories, a double and an int column), and our runtime
gives Spark's transform bit for bit, columnar and single row, built from the model and read back from the
written bundle; `bundle export` of a saved model and the SparkML container serve it.

Needs PySpark 4 (`make test-spark4`, or in a PySpark 4 venv `python -m pytest -m "spark4 and not soak" FILE`):
the main tier (PySpark 3.5, which has no TargetEncoder) deselects the `spark4` marker."""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

import bundles
from bundles.context import TARGETS
from bundles.spark import bundle_from_spark

pytestmark = [pytest.mark.spark, pytest.mark.spark4]

SCHEMA = "id int, a double, b int, y double"
# rows to transform that training never saw: NaN, a fraction, negatives, Spark's own sentinel keys, nulls
UNSEEN_ROWS = [(math.nan, 7), (1.5, -1), (-1.0, 2), (2147483647.0, None), (None, -2), (9.0, 1), (math.inf, 0)]


@dataclass
class Case:
    rows: list[tuple]  # (a, b, y) training rows
    target_type: str
    smoothing: float
    handle_invalid: str
    unseen: list[tuple]  # (a, b) rows to transform besides the training rows (keep only)


@st.composite
def cases(draw) -> Case:
    target_type = draw(st.sampled_from(["binary", "continuous"]))
    if target_type == "binary":
        label = st.sampled_from([0.0, 1.0, 1.0, None, math.nan])
        known = st.sampled_from([0.0, 1.0])
    else:
        known = st.floats(-1e3, 1e3, allow_subnormal=False).map(lambda x: x + 0.0)
        label = st.one_of(known, st.sampled_from([None, math.nan]))
    n = draw(st.integers(3, 10))
    a = st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, None])
    b = st.sampled_from([0, 1, 2, 5, None])
    rows = [(draw(a), draw(b), draw(label)) for _ in range(n)]
    rows[0] = (*rows[0][:2], draw(known))  # Spark needs a labelled row
    handle_invalid = draw(st.sampled_from(["error", "keep"]))
    unseen = draw(st.lists(st.sampled_from(UNSEEN_ROWS), max_size=4, unique=True)) if handle_invalid == "keep" else []
    smoothing = draw(st.one_of(st.sampled_from([0.0, 0.1, 1.0, 1.5, 20.0, 1e6]), st.floats(0.0, 100.0)))
    return Case(rows, target_type, smoothing, handle_invalid, unseen)


def fit(spark, case: Case):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import TargetEncoder

    train = spark.createDataFrame([(i, *r) for i, r in enumerate(case.rows)], SCHEMA)
    encoder = TargetEncoder(inputCols=["a", "b"], outputCols=["a_te", "b_te"], labelCol="y",
                            targetType=case.target_type, smoothing=case.smoothing, handleInvalid=case.handle_invalid)
    model = Pipeline(stages=[encoder]).fit(train)
    # a category seen only in rows with a null or NaN label is unseen to the model: only `keep` transforms those
    labelled = [(a, b) for a, b, y in case.rows if case.handle_invalid == "keep" or (y is not None and y == y)]
    features = labelled + case.unseen
    data = spark.createDataFrame([(i, a, b) for i, (a, b) in enumerate(features)], "id int, a double, b int")
    return model, train, data


def runtime_columns(values: list, dtype) -> np.ndarray:
    """A column as the serving layer builds it: typed when it holds no null, else objects."""
    return np.array(values, dtype=object if any(v is None for v in values) else dtype)


def check_equal(bundle: bundles.Bundle, data: list, expected: dict[str, list], how: str) -> None:
    columns = {"a": runtime_columns([r["a"] for r in data], np.float64),
               "b": runtime_columns([r["b"] for r in data], np.int64)}
    frame = bundle.transform(columns)
    singles = [bundle.transform_row({"a": r["a"], "b": r["b"]}) for r in data]
    for name, want in expected.items():
        assert frame.columns[name].tolist() == want, f"{how}, columnar, {name}"
        assert [s[name] for s in singles] == want, f"{how}, single row, {name}"


def check_case(spark, case: Case) -> None:
    note(repr(case))
    model, train, data = fit(spark, case)
    out = model.transform(data).orderBy("id").collect()
    expected = {name: [r[name] for r in out] for name in ("a_te", "b_te")}
    rows = [r.asDict() for r in out]
    bundle = bundle_from_spark(model, train)
    check_equal(bundle, rows, expected, "built")
    with tempfile.TemporaryDirectory() as tmp:
        for target in TARGETS:
            path = bundles.save_bundle(bundle, Path(tmp) / f"te-{target}.zip", target=target)
            check_equal(bundles.load_bundle(path), rows, expected, f"round trip {target}")


QUICK = settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # each example is a
# Spark fit and transform (~1 s): no shrinking, a failing case is printed as drawn


@QUICK
@given(case=cases())
def test_spark_4s_target_encoder_equals_the_runtime_on_random_data(spark, case):
    check_case(spark, case)


@pytest.mark.soak
@settings(QUICK, max_examples=60)
@given(case=cases())
def test_spark_4s_target_encoder_equals_the_runtime_on_much_random_data(spark, case):
    check_case(spark, case)


def test_sparks_blend_order_gives_its_last_bit(spark):
    """One row labelled 0 of two, smoothing 0.1: Spark 4 gives 0.04545454545454547 (the textbook blend gives
    0.045454545454545456): the op's pinned number is Spark's."""
    case = Case([(0.0, 0, 0.0), (1.0, 1, 1.0)], "binary", 0.1, "error", [])
    model, train, data = fit(spark, case)
    (first, _) = model.transform(data).orderBy("id").collect()
    assert first["a_te"] == 0.04545454545454547
    assert bundle_from_spark(model, train).transform_row({"a": 0.0, "b": 0})["a_te"] == 0.04545454545454547


def test_a_bare_multi_column_model_is_bundled_as_one_node_per_column(spark):
    from pyspark.ml.feature import TargetEncoder

    case = Case([(0.0, 0, 1.0), (1.0, 1, 0.0), (1.0, 0, 1.0)], "continuous", 0.5, "keep", [(2.0, 1)])
    _, train, data = fit(spark, case)
    model = TargetEncoder(inputCols=["a", "b"], outputCols=["a_te", "b_te"], labelCol="y", targetType="continuous",
                          smoothing=0.5, handleInvalid="keep").fit(train)
    out = model.transform(data).orderBy("id").collect()
    bundle = bundle_from_spark(model, train)
    assert [op.op_name for op in bundle.ops] == ["target_encoder", "target_encoder"]
    check_equal(bundle, [r.asDict() for r in out], {n: [r[n] for r in out] for n in ("a_te", "b_te")}, "bare")


@pytest.mark.parametrize(("a", "b"), [(math.nan, 0), (4.0, 0), (0.5, 0), (0.0, 9), (None, 0)])
def test_an_unseen_value_with_error_fails_in_spark_and_here_with_the_same_message(spark, a, b):
    case = Case([(0.0, 0, 1.0), (1.0, 1, 0.0)], "binary", 1.0, "error", [])
    model, train, _ = fit(spark, case)
    bad = spark.createDataFrame([(0, a, b)], "id int, a double, b int")
    with pytest.raises(Exception) as spark_error:  # noqa: PT011 - Spark's error classes vary by version
        model.transform(bad).collect()
    with pytest.raises(bundles.TransformError) as ours:
        bundle_from_spark(model, train).transform_row({"a": a, "b": b})
    assert ours.value.reason in str(spark_error.value)


def test_bundle_export_of_a_saved_spark_4_model_serves_sparks_encodings(spark, tmp_path: Path, capsys):
    """StringIndexer -> TargetEncoder saved by Spark 4 and written by `sparkleap bundle export` (--target 0.20,
    with a note that real MLeap cannot load a target_encoder node); the SparkML container's model serves the
    encodings Spark computes, for a CSV batch and a single row."""
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import StringIndexer, TargetEncoder

    from serving.contract import Invocation
    from serving.schema import parse_schema
    from serving.sparkml.app import SparkMLModel
    from sparkleap.bundle_cli import export

    rows = [("red", 1.0), ("blue", 0.0), ("red", 0.0), ("green", 1.0), ("red", 1.0), ("blue", 1.0)]
    train = spark.createDataFrame(rows, "colour string, clicked double")
    model = Pipeline(stages=[StringIndexer(inputCol="colour", outputCol="colour_i", handleInvalid="keep"),
                             TargetEncoder(inputCol="colour_i", outputCol="colour_te", labelCol="clicked",
                                           smoothing=2.0, handleInvalid="keep")]).fit(train)
    model.write().save(str(tmp_path / "model"))
    train.select("colour").toPandas().to_csv(tmp_path / "sample.csv", index=False)
    schema = export(str(tmp_path / "model"), str(tmp_path / "sample.csv"), str(tmp_path / "te.zip"), "0.20")
    assert schema["output"] == {"name": "colour_te", "type": "double", "struct": "basic"}
    assert "op(s) target_encoder have no MLeap op" in capsys.readouterr().err

    colours = ["red", "blue", "green", "purple"]
    queries = spark.createDataFrame([(c,) for c in colours], "colour string")
    want = {r["colour"]: r["colour_te"] for r in model.transform(queries).collect()}
    served = SparkMLModel(bundles.load_bundle(tmp_path / "te.zip"), parse_schema(schema))
    served.warm_up()
    batch = served.invoke(Invocation("\n".join(colours).encode(), "text/csv", "text/csv")).body.decode()
    assert batch.splitlines() == [repr(want[c]) for c in colours]
    single = served.invoke(Invocation(b"green", "text/csv", "text/csv")).body.decode().strip()
    assert single == repr(want["green"])
