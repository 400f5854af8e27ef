"""Issue 14: model ops on abalone-shaped features — a 100-tree random forest (depth 8), a 50-round GBT and a
logistic regression — single row and batched, next to PySpark's transform and onnxruntime on the same model
converted with onnxmltools. Our answers are checked against Spark's (exact) on every benchmarked row.

Models are fitted once on the real abalone features and cached (Spark's own save, and the .onnx files) in
bench/cache/model/; the logistic regression runs once its op is merged (else: not measured, with the reason).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from bench.core import Entry, Spec, Target, entry, not_measured, repeat, timed
from bench.workbench import ABALONE, CATEGORICAL, LABEL, NUMERIC, Workbench, read_abalone

FASTER = "peer time / ours (× faster)"
MODELS = {  # name -> (op name, single-row target µs)
    "forest": ("random_forest_regression", 50.0),
    "gbt": ("gbt_regression", None),
    "logistic": ("logistic_regression", 10.0),
}
ONNX_BATCH_TARGETS = {"forest": 1.0, "gbt": 0.5, "logistic": 0.5}  # issue 25: our rows/s ÷ onnxruntime's
TITLES = {"forest": "random forest (100 trees, depth 8)", "gbt": "GBT (50 rounds, depth 5)",
          "logistic": "logistic regression"}


def specs(sizes) -> list[Spec]:
    out = []
    for name, (_, single_target) in MODELS.items():
        title = TITLES[name]
        out.append(Spec(f"model {title}: single row (transform_row)", "µs/row", 14,
                        Target("max", single_target) if single_target else None,
                        peer="onnxruntime InferenceSession.run, one row", ratio_means=FASTER))
        out.append(Spec(f"model {title}: batched vs onnxruntime", "rows/s", 25,
                        Target("min", ONNX_BATCH_TARGETS[name], on="ratio"),
                        peer="onnxruntime (float32), same rows", ratio_means="ours / peer rows/s",
                        lower_is_better=False))
        out.append(Spec(f"model {title}: batched vs PySpark", "rows/s", 14,
                        peer="PySpark model.transform (features cached, noop sink), local[2]",
                        ratio_means="ours / peer rows/s", lower_is_better=False))
    return out


def _spec(name: str, kind: str) -> Spec:
    title = TITLES[name]
    return next(s for s in specs(None) if s.name.startswith(f"model {title}: {kind}"))


def _training_frame(wb: Workbench):
    """Abalone features (the bundle's `features`, 9 wide) with the label, as a Spark DataFrame."""
    from pyspark.ml.linalg import Vectors

    cols = read_abalone(ABALONE)
    features = wb.features(cols)
    labels = cols[LABEL]
    rows = [(Vectors.dense(f), float(y), float(y > 9)) for f, y in zip(features, labels, strict=True)]
    return wb.spark.createDataFrame(rows, ["features", "label", "old"])


def _fit(wb: Workbench, name: str, frame):
    from pyspark.ml.classification import LogisticRegression, LogisticRegressionModel
    from pyspark.ml.regression import (
        GBTRegressionModel,
        GBTRegressor,
        RandomForestRegressionModel,
        RandomForestRegressor,
    )

    path = wb.cache / "model" / "models" / name
    cls, est = {
        "forest": (RandomForestRegressionModel, lambda: RandomForestRegressor(numTrees=100, maxDepth=8, seed=1)),
        "gbt": (GBTRegressionModel, lambda: GBTRegressor(maxIter=50, maxDepth=5, seed=1)),
        "logistic": (LogisticRegressionModel, lambda: LogisticRegression(labelCol="old", maxIter=50)),
    }[name]
    if path.is_dir():
        return cls.load(str(path))
    model = est().fit(frame)
    model.write().overwrite().save(str(path))
    return model


def _onnx_session(wb: Workbench, name: str, model):
    import onnxruntime as ort

    path = wb.cache / "model" / "models" / f"{name}.onnx"
    if not path.is_file():
        from onnxmltools import convert_sparkml
        from onnxmltools.convert.common.data_types import FloatTensorType

        onx = convert_sparkml(model, name, [("features", FloatTensorType([None, 9]))], spark_session=wb.spark)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(onx.SerializeToString())
        tmp.rename(path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _spark_batch_seconds(model, frame) -> float:
    started = time.perf_counter()
    model.transform(frame).select(model.getPredictionCol()).write.format("noop").mode("overwrite").save()
    return time.perf_counter() - started


def measure(wb: Workbench) -> Iterator[Entry]:
    from bundles.ops import OPS

    sizes = wb.sizes
    cols = read_abalone(wb.data(sizes.batch_rows))
    features = wb.features({n: cols[n] for n in CATEGORICAL + NUMERIC})
    train = _training_frame(wb)
    spark_rows = wb.spark.createDataFrame([(v,) for v in _vectors(features[:20_000])], ["features"]).cache()
    spark_rows.count()
    for name, (op_name, _) in MODELS.items():
        if op_name not in OPS:
            for kind in ("single row", "batched vs onnxruntime", "batched vs PySpark"):
                yield not_measured(_spec(name, kind), f"op {op_name} is not in this branch yet (it comes from "
                                                      "the i14b-models merge)")
            continue
        yield from _measure_model(wb, name, _fit(wb, name, train), train, spark_rows, features)


def _measure_model(wb: Workbench, name: str, model, train, spark_rows, features: np.ndarray) -> Iterator[Entry]:
    from bundles.spark import bundle_from_spark

    sizes = wb.sizes
    n = len(features)
    bundle = bundle_from_spark(model, train)
    check = _exact_rows(bundle, model, spark_rows, features[:20_000])
    session = _onnx_session(wb, name, model)
    onnx_out = session.get_outputs()[-1].name if name == "logistic" else session.get_outputs()[0].name
    rows = [{"features": r} for r in features[:min(sizes.single_rows, 2000)].tolist()]

    def ours_single(clock=time.perf_counter) -> float:
        started = clock()
        for row in rows:
            bundle.transform_row(dict(row))
        return (clock() - started) / len(rows) * 1e6

    singles32 = [features[i:i + 1].astype(np.float32) for i in range(min(len(rows), 1000))]

    def onnx_single() -> float:
        started = time.perf_counter()
        for x in singles32:
            session.run([onnx_out], {"features": x})
        return (time.perf_counter() - started) / len(singles32) * 1e6

    cpu = ours_single(time.thread_time)  # CPU time: what a row costs when the shared machine's cores are busy
    yield entry(_spec(name, "single row"), repeat(ours_single, sizes.repeats), repeat(onnx_single, sizes.repeats),
                note=f"{check}; {cpu:.1f} µs/row of CPU time", cpu_us_per_row=round(cpu, 2))
    batch = repeat(lambda: n / timed(lambda: bundle.transform({"features": features})), sizes.repeats)
    x32 = features.astype(np.float32)
    onnx_batch = repeat(lambda: n / timed(lambda: session.run([onnx_out], {"features": x32})), sizes.repeats)
    onnx_diff = _onnx_difference(session, session.get_outputs()[0].name, bundle, features[:20_000])
    yield entry(_spec(name, "batched vs onnxruntime"), batch, onnx_batch, rows=n,
                note=f"{check}; onnxruntime (float32) differs from Spark by up to {onnx_diff:.3g}")
    _spark_batch_seconds(model, spark_rows)  # warm-up
    spark_batch = repeat(lambda: spark_rows.count() / _spark_batch_seconds(model, spark_rows), sizes.repeats)
    yield entry(_spec(name, "batched vs PySpark"), batch, spark_batch, rows=n, note=check)


def _vectors(matrix: np.ndarray) -> list:
    from pyspark.ml.linalg import Vectors

    return [Vectors.dense(r) for r in matrix]


def _prediction_col(bundle) -> str:
    return bundle.ops[-1].prediction_col


def _exact_rows(bundle, model, spark_rows, features: np.ndarray) -> str:
    """Our predictions on the first rows against Spark's transform of the same rows."""
    want = np.array([r[0] for r in model.transform(spark_rows).select(model.getPredictionCol()).collect()])
    ours = bundle.transform({"features": features}).columns[_prediction_col(bundle)]
    mismatches = int(np.sum(ours != want))
    return f"exact vs Spark on {len(want)} rows" if mismatches == 0 else f"{mismatches} of {len(want)} rows differ"


def _onnx_difference(session, output: str, bundle, features: np.ndarray) -> float:
    got = np.asarray(session.run([output], {"features": features.astype(np.float32)})[0], dtype=np.float64)
    ours = np.asarray(bundle.transform({"features": features}).columns[_prediction_col(bundle)], dtype=np.float64)
    return float(np.max(np.abs(got.reshape(ours.shape) - ours)))

