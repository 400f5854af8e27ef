"""The peers every group is compared with, measured in the same run on the same rows.

- PySpark `PipelineModel.transform` (+ xgboost through mapInPandas) on local[2];
- scikit-learn OneHotEncoder/ColumnTransformer (+ xgboost) in-process;
- a bare echo chain (bench/echo.py) on the servers' own stack (Flask on granian), for the HTTP overhead;
- the floor: pyarrow CSV read + xgboost predict, nothing else.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from base.processes import ServerProcess, free_port
from bench.workbench import ABALONE, CATEGORICAL, NUMERIC, Workbench, python_env, read_abalone


def spark_batch_seconds(wb: Workbench, path: Path) -> float:
    """PipelineModel.transform over the CSV at `path`, `features` computed for every row (noop sink)."""
    import time

    df = wb.spark_frame(path)
    started = time.perf_counter()
    wb.pipeline_model.transform(df).select("features").write.format("noop").mode("overwrite").save()
    return time.perf_counter() - started


def spark_single_row_seconds(wb: Workbench, row: dict[str, Any]) -> float:
    """One row through PipelineModel.transform, collected to the driver (what serving one row costs)."""
    import time

    started = time.perf_counter()
    df = wb.spark.createDataFrame([row], schema=wb.spark_frame(ABALONE).drop("rings").schema)
    wb.pipeline_model.transform(df).select("features").collect()
    return time.perf_counter() - started


def spark_predict_seconds(wb: Workbench, path: Path) -> float:
    """PySpark end to end: read CSV, PipelineModel.transform, xgboost predict per partition (noop sink)."""
    import time

    from pyspark.ml.functions import vector_to_array

    booster_raw = bytes(wb.booster.save_raw("json"))

    def predict(batches):
        import pandas as pd
        import xgboost as xgb

        booster = xgb.Booster()
        booster.load_model(bytearray(booster_raw))
        for pdf in batches:
            features = np.stack(pdf["f"].to_numpy()) if len(pdf) else np.zeros((0, booster.num_features()))
            yield pd.DataFrame({"prediction": booster.inplace_predict(features)})

    df = wb.spark_frame(path)
    started = time.perf_counter()
    feats = wb.pipeline_model.transform(df).select(vector_to_array("features").alias("f"))
    feats.mapInPandas(predict, "prediction double").write.format("noop").mode("overwrite").save()
    return time.perf_counter() - started


class Sklearn:
    """OneHotEncoder(sex) + passthrough numerics in a ColumnTransformer, fitted on abalone, + the booster."""

    BUNDLE_ORDER = [2, 1, *range(3, 10)]  # sklearn's sorted F, I, M slots -> the bundle's M, I (F dropped)

    def __init__(self, wb: Workbench):
        import pandas as pd
        from sklearn.compose import ColumnTransformer
        from sklearn.preprocessing import OneHotEncoder

        self.wb = wb
        frame = pd.DataFrame(read_abalone(ABALONE))
        self.columns = ColumnTransformer([("sex", OneHotEncoder(drop=None, sparse_output=False), CATEGORICAL)],
                                         remainder="passthrough").set_output(transform="default")
        self.columns.fit(frame[CATEGORICAL + NUMERIC])

    def frame(self, cols: dict[str, np.ndarray]):
        import pandas as pd

        return pd.DataFrame({n: cols[n] for n in CATEGORICAL + NUMERIC})

    def transform(self, frame) -> np.ndarray:
        return self.columns.transform(frame)

    def predict_seconds(self, path: Path) -> float:
        """Read the CSV (pandas over pyarrow), transform, predict (the booster takes the first 9 columns)."""
        import time

        import pandas as pd

        started = time.perf_counter()
        frame = pd.read_csv(path, header=None, names=[*CATEGORICAL, *NUMERIC, "rings"], engine="pyarrow")
        features = self.transform(frame[CATEGORICAL + NUMERIC])[:, self.BUNDLE_ORDER]
        self.wb.booster.inplace_predict(features)
        return time.perf_counter() - started


def floor_seconds(wb: Workbench, path: Path) -> float:
    """The floor: pyarrow CSV read + the same features built with two NumPy compares + xgboost predict."""
    import time

    started = time.perf_counter()
    cols = read_abalone(path)
    sex = cols["sex"]
    features = np.column_stack([sex == "M", sex == "I", *(cols[n] for n in NUMERIC)]).astype(np.float64)
    wb.booster.inplace_predict(features)
    return time.perf_counter() - started


@contextlib.contextmanager
def echo_chain(wb: Workbench, behind: int = 0) -> Iterator[int]:
    """An echo front end (1 worker) passing each body through `behind` echo servers in turn, as the pipeline
    front end does with its containers, on the servers' stack (Flask on granian, keep-alive); yields the
    front port."""
    servers: list[ServerProcess] = []
    try:
        hops = []
        for i in range(behind + 1):
            port = free_port()
            env = {**python_env(), "ECHO_NEXT": ",".join(hops) if i == behind else ""}
            argv = [sys.executable, "-m", "bench.echo", "--port", str(port)]
            server = ServerProcess(argv, env, port, wb.cache / "logs" / f"echo-{i}.log").start()
            servers.append(server)
            server.wait_ready()
            hops.append(f"127.0.0.1:{port}")
        yield servers[-1].port
    finally:
        for server in servers:
            server.stop()
