"""Issue 30: MLflow's pyfunc `predict` on the abalone pipeline + a linear regression (StringIndexer ->
OneHotEncoder -> VectorAssembler -> LinearRegression), logged with `sparkleap.mlflow.log_model` (the bundle
runtime, no JVM) and with MLflow's spark flavor (`mlflow.spark.log_model`, scored by Spark on local[2]), both
loaded with `mlflow.pyfunc.load_model` and called with the same pandas rows: 1 row and 10,000 rows a call.
The two answer the same predictions (checked on the 10,000 rows). Tracking store: a temp folder; no telemetry.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator

import numpy as np

from bench.core import Entry, Spec, repeat, timed
from bench.core import entry as make_entry
from bench.workbench import ABALONE, CATEGORICAL, LABEL, NUMERIC, Workbench, read_abalone

FASTER = "peer time / ours (× faster)"
PEER = "MLflow spark flavor (mlflow.spark.log_model, pyfunc load), local[2], {}"
BATCH_ROWS = 10_000
SINGLE = Spec("mlflow: pyfunc predict, 1 row (sparkleap flavor)", "ms/call", 30, peer=PEER.format("1 row"),
              ratio_means=FASTER)
BATCH = Spec(f"mlflow: pyfunc predict, {BATCH_ROWS:,} rows (sparkleap flavor)", "ms/call", 30,
             peer=PEER.format(f"{BATCH_ROWS:,} rows"), ratio_means=FASTER)
SPECS = [SINGLE, BATCH]
LOCAL_ONLY = {"MLFLOW_ALLOW_FILE_STORE": "true", "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}


def per_call_ms(predict, frame, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        predict(frame)
    return (time.perf_counter() - started) / calls * 1e3


def measure(wb: Workbench) -> Iterator[Entry]:
    os.environ.update(LOCAL_ONLY)
    import mlflow
    import pandas as pd
    from pyspark.ml import PipelineModel
    from pyspark.ml.regression import LinearRegression

    import sparkleap.mlflow

    frame = wb.spark_frame(ABALONE)
    features = wb.pipeline_model.transform(frame)
    model = PipelineModel([*wb.pipeline_model.stages, LinearRegression(labelCol=LABEL).fit(features)])
    cols = read_abalone(wb.data(BATCH_ROWS))
    batch = pd.DataFrame({n: cols[n] for n in CATEGORICAL + NUMERIC}).head(BATCH_ROWS)
    one = batch.head(1)
    with tempfile.TemporaryDirectory(prefix="sparkleap-bench-mlflow-") as tmp:
        mlflow.set_tracking_uri(f"file://{tmp}/mlruns")
        with mlflow.start_run():
            ours_uri = sparkleap.mlflow.log_model(model, "sparkleap", input_example=one, sample=frame).model_uri
            spark_uri = mlflow.spark.log_model(model, "spark", input_example=one).model_uri  # its API: artifact_path
        ours, peer = mlflow.pyfunc.load_model(ours_uri), mlflow.pyfunc.load_model(spark_uri)
        got, want = ours.predict(batch)["prediction"].to_numpy(), np.asarray(peer.predict(batch), dtype=np.float64)
        diff = float(np.max(np.abs(got - want)))
        for predict in (ours.predict, peer.predict):  # warm both (Spark's first job compiles code)
            predict(one)
        reps = wb.sizes.repeats
        ours_one = repeat(lambda: per_call_ms(ours.predict, one, 200), reps)
        peer_one = repeat(lambda: per_call_ms(peer.predict, one, 5), reps)
        yield make_entry(SINGLE, ours_one, peer_one, max_abs_diff=diff, calls_per_repeat=200, peer_calls=5)
        ours_batch = repeat(lambda: timed(lambda: ours.predict(batch)) * 1e3, reps)
        peer_batch = repeat(lambda: timed(lambda: peer.predict(batch)) * 1e3, reps)
        yield make_entry(BATCH, ours_batch, peer_batch, max_abs_diff=diff, rows=BATCH_ROWS)
