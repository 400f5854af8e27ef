"""Issue 16: the anchor. Real MLeap 0.20 (in one JVM, through interop's harness) next to our runtime, same bundles.

Bundles: the abalone features, and when their ops exist in bundles/ops, a random forest and a logistic
regression on those features. MLeap's batched figure is a LeapFrame transform + collect of the same rows, its
single-row figure one RowTransformer call per row (built once, as a server would); both timed inside the JVM
after warm-up. Ours: `Bundle.transform` on the columns, `Bundle.transform_row` per row. Both sides are timed in
thread CPU time, since the machine is shared (waiting for a core would count against whichever side waited).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

from bench.core import Entry, Spec, Stats, Target, entry, not_measured, repeat
from bench.workbench import ABALONE, CATEGORICAL, LABEL, NUMERIC, Workbench, read_abalone

ROWS = 10_000
PEER_BATCH = "real MLeap 0.20 LeapFrame transform + collect, same rows (JVM, warmed up; thread CPU time)"
PEER_SINGLE = "real MLeap 0.20 RowTransformer, one row per call (JVM, warmed up; thread CPU time)"
MODELS = {  # bundle -> the Spark model class its op needs (None: today's feature ops)
    "abalone features": None,
    "random forest": "RandomForestRegressionModel",
    "logistic regression": "LogisticRegressionModel",
}


def batch_spec(model: str, group: str = "MLeap anchor", issue: int = 16) -> Spec:
    return Spec(f"{group}: {model}, batched", "rows/s", issue, Target("min", 1.0, on="ratio"), peer=PEER_BATCH,
                ratio_means="ours / MLeap (× faster)", lower_is_better=False)


def single_spec(model: str, group: str = "MLeap anchor", issue: int = 16) -> Spec:
    return Spec(f"{group}: {model}, single row", "µs/row", issue, Target("max", 2.0, on="ratio"), peer=PEER_SINGLE,
                ratio_means="ours / MLeap (× slower)", ratio_is_overhead=True)


SPECS = [spec(m) for m in MODELS for spec in (batch_spec, single_spec)]


def cpu_timed(fn) -> float:
    """This thread's CPU seconds for one call."""
    started = time.thread_time()
    fn()
    return time.thread_time() - started


def fitted(wb: Workbench, model: str):
    """The fitted PipelineModel for `model`: the abalone features, plus a random forest or logistic regression."""
    from pyspark.ml import PipelineModel
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.regression import RandomForestRegressor
    from pyspark.sql import functions as F

    features = wb.pipeline_model
    if model == "abalone features":
        return features
    train = features.transform(wb.spark_frame(ABALONE))
    if model == "random forest":
        head = RandomForestRegressor(labelCol=LABEL, numTrees=20, maxDepth=6, seed=7).fit(train)
    else:
        train = train.withColumn("old", (F.col(LABEL) > 9).cast("double"))
        head = LogisticRegression(labelCol="old", maxIter=50).fit(train)
    return PipelineModel(stages=[*features.stages, head])


def bundle_dir(wb: Workbench, model: str) -> Path:
    """The model's bundle as an unpacked folder (real MLeap reads folders and zips, not model.tar.gz)."""
    from bundles import save_bundle
    from bundles.spark import bundle_from_spark

    folder = wb.cache / "mleap_anchor" / model.replace(" ", "_")
    if not (folder / "bundle.json").exists():
        save_bundle(bundle_from_spark(fitted(wb, model), wb.spark_frame(ABALONE)), folder)
    return folder


def measure(wb: Workbench) -> Iterator[Entry]:
    from bundles import load_bundle
    from bundles.ops import SPARK_CLASSES
    from interop.mleap import Harness, Task
    from interop.suite import serving_frame

    cols = read_abalone(wb.data(ROWS))
    inputs = {n: cols[n][:ROWS] for n in CATEGORICAL + NUMERIC}
    rows = [{n: (str(inputs[n][i]) if n in CATEGORICAL else float(inputs[n][i])) for n in inputs}
            for i in range(len(inputs["sex"]))]
    seconds = 2.0 if wb.sizes.mode == "quick" else 5.0
    ready = [m for m, spark_class in MODELS.items() if spark_class is None or spark_class in SPARK_CLASSES]
    for model in MODELS:
        if model not in ready:
            reason = f"bundles/ops has no op for Spark's {MODELS[model]} yet (another branch adds it)"
            yield not_measured(batch_spec(model), reason)
            yield not_measured(single_spec(model), reason)
    tasks = []
    for model in ready:
        folder = bundle_dir(wb, model)
        frame = wb.cache / "mleap_anchor" / f"{folder.name}.frame.json"
        frame.write_text(json.dumps(serving_frame(load_bundle(folder), rows), allow_nan=False))
        tasks.append(Task("bench", str(folder), (str(frame), str(seconds))))
    results = Harness().run(tasks)
    for model, mleap in zip(ready, results, strict=True):
        if "error" in mleap:
            raise RuntimeError(f"real MLeap could not run the {model} bundle: {mleap['error'].splitlines()[0]}")
        bundle = load_bundle(bundle_dir(wb, model))
        bundle.transform(dict(inputs))  # warm-up
        batch = repeat(lambda b=bundle: len(rows) / cpu_timed(lambda: b.transform(dict(inputs))), wb.sizes.repeats)
        yield entry(batch_spec(model), batch, mleap["batch_rows_per_s"], rows=len(rows))

        def single_us(b=bundle) -> float:
            started = time.thread_time()
            for row in rows:
                b.transform_row(row)
            return (time.thread_time() - started) / len(rows) * 1e6

        single_us()  # warm-up
        yield entry(single_spec(model), repeat(single_us, wb.sizes.repeats), Stats([mleap["single_us"]]),
                    rows=len(rows), mleap_single_calls=mleap["single_calls"])
