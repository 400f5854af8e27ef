"""What every benchmark group shares: sizes, bench/cache/, generated abalone-shaped data, the fitted models.

Models are fitted once per run: the Spark feature pipeline on abalone (glue_jobs.features), its bundle
(bundles.spark.bundle_from_spark, written as bench/cache/model/sparkml/model.tar.gz) and an XGBoost
booster trained on the bundle's features (bench/cache/model/xgboost/model.tar.gz).
"""

from __future__ import annotations

import functools
import os
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from base.atomic import atomic_path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / "cache"
SHARED = Path(os.environ.get("SPARKLEAP_SHARED", REPO.parent / "shared"))
ABALONE = SHARED / "data" / "abalone.csv"
SCHEMA = REPO / "schema" / "abalone.json"
NAMES = ["sex", "length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight",
         "shell_weight", "rings"]
CATEGORICAL = ["sex"]
NUMERIC = NAMES[1:-1]
LABEL = "rings"


@dataclass(frozen=True)
class Sizes:
    """Rows and repeats of one run mode."""

    mode: str
    batch_rows: int  # batch transform / throughput data set
    preprocess_rows: tuple[int, ...]  # generated data sets for the preprocessing job's growth
    single_rows: int  # single-row calls per repeat (in-process)
    requests: int  # HTTP requests per latency repeat
    repeats: int
    spark_single_repeats: int
    job_repeats: int  # whole preprocessing-job runs on abalone (each starts a JVM)


QUICK = Sizes("quick", batch_rows=100_000, preprocess_rows=(25_000, 100_000), single_rows=5_000,
              requests=300, repeats=3, spark_single_repeats=3, job_repeats=1)
FULL = Sizes("full", batch_rows=1_000_000, preprocess_rows=(1_000_000, 10_000_000), single_rows=50_000,
             requests=3_000, repeats=5, spark_single_repeats=15, job_repeats=3)


def python_env() -> dict[str, str]:
    """Environment for child processes: this interpreter's venv first on PATH, Spark on loopback."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    env["PYTHONPATH"] = str(REPO)
    return env


def generate_abalone(rows: int, path: Path, seed: int = 7) -> Path:
    """A headerless abalone-shaped CSV of `rows` rows: real rows resampled, numbers jittered by ≤ 1 %.

    Written once per size (temp name, then rename); later runs reuse it.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if path.is_file():
        return path
    real = read_abalone(ABALONE)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(real["sex"]), rows)
    columns = {"sex": pa.array(real["sex"][pick].astype(str))}
    for name in NUMERIC:
        jitter = 1.0 + rng.uniform(-0.01, 0.01, rows)
        columns[name] = pa.array(np.round(real[name][pick] * jitter, 4))
    columns[LABEL] = pa.array(real[LABEL][pick])
    path.parent.mkdir(parents=True, exist_ok=True)
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with atomic_path(path) as tmp:
        pacsv.write_csv(pa.table(columns), tmp, options)
    return path


def read_abalone(path: Path) -> dict[str, np.ndarray]:
    """A headerless abalone-shaped CSV as columns: `sex` an object array, the rest float64."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types = {n: pa.string() if n == "sex" else pa.float64() for n in NAMES}
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(column_names=NAMES),
                            convert_options=pacsv.ConvertOptions(column_types=types))
    return {n: table[n].to_numpy(zero_copy_only=False) for n in NAMES}


class Workbench:
    """Sizes, paths and lazily built shared things (Spark session, models, data files)."""

    def __init__(self, sizes: Sizes, cache: Path = CACHE):
        self.sizes = sizes
        self.cache = cache
        self.cache.mkdir(parents=True, exist_ok=True)
        self._spark = None

    @property
    def spark(self):
        if self._spark is None:
            from glue_jobs.spark_session import local_session

            self._spark = local_session(app_name="sparkleap-bench", partitions=2, master="local[2]")
        return self._spark

    def stop(self) -> None:
        if self._spark is not None:
            self._spark.stop()
            self._spark = None

    def data(self, rows: int) -> Path:
        return generate_abalone(rows, self.cache / "data" / f"abalone-{rows}.csv")

    def spark_frame(self, path: Path):
        """A Spark DataFrame of an abalone-shaped CSV (sex string, numbers double)."""
        from pyspark.sql.types import DoubleType, StringType, StructField, StructType

        fields = [StructField(n, StringType() if n == "sex" else DoubleType()) for n in NAMES]
        return self.spark.read.csv(str(path), schema=StructType(fields), header=False)

    @functools.cached_property
    def pipeline_model(self):
        """The fitted Spark PipelineModel (StringIndexer -> OneHotEncoder -> VectorAssembler) on abalone."""
        from glue_jobs.features import build_pipeline

        frame = self.spark_frame(ABALONE)  # starts Spark before the stages are created
        return build_pipeline(CATEGORICAL, NUMERIC).fit(frame)

    @functools.cached_property
    def bundle_path(self) -> Path:
        """bench/cache/model/sparkml/model.tar.gz: the pipeline's bundle."""
        from bundles import save_bundle
        from bundles.spark import bundle_from_spark

        path = self.cache / "model" / "sparkml" / "model.tar.gz"
        bundle = bundle_from_spark(self.pipeline_model, self.spark_frame(ABALONE))
        save_bundle(bundle, path)
        return path

    @functools.cached_property
    def bundle(self):
        from bundles import load_bundle

        return load_bundle(self.bundle_path)

    @functools.cached_property
    def booster(self):
        """XGBoost regressor on the bundle's features of abalone (the AWS sample's settings, 50 rounds)."""
        import xgboost as xgb

        cols = read_abalone(ABALONE)
        features = self.features(cols)
        params = {"objective": "reg:squarederror", "max_depth": 5, "eta": 0.2, "gamma": 4, "min_child_weight": 6,
                  "subsample": 0.7, "seed": 0}
        return xgb.train(params, xgb.DMatrix(features, label=cols[LABEL]), num_boost_round=50)

    @functools.cached_property
    def booster_path(self) -> Path:
        """bench/cache/model/xgboost/model.tar.gz holding `xgboost-model`."""
        folder = self.cache / "model" / "xgboost"
        folder.mkdir(parents=True, exist_ok=True)
        raw = folder / "xgboost-model"
        self.booster.save_model(str(raw.with_suffix(".json")))
        os.replace(raw.with_suffix(".json"), raw)
        path = folder / "model.tar.gz"
        with atomic_path(path) as tmp, tarfile.open(tmp, "w:gz") as tf:
            tf.add(raw, arcname="xgboost-model")
        return path

    def features(self, cols: dict[str, Any]) -> np.ndarray:
        """The bundle's dense `features` (rows x 9) for columns of raw abalone values."""
        out = self.bundle.transform({n: cols[n] for n in CATEGORICAL + NUMERIC})
        return np.asarray(out.columns["features"], dtype=np.float64)
