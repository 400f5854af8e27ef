"""MLflow fixtures: a file tracking store in a temp folder (no telemetry: nothing leaves the machine), a small
fitted Spark pipeline (StringIndexer -> OneHotEncoder -> VectorAssembler -> LogisticRegression) and it logged
once with `sparkleap.mlflow.log_model`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

ENV = {"MLFLOW_ALLOW_FILE_STORE": "true", "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}


@pytest.fixture(scope="session")
def tracking(tmp_path_factory) -> str:
    """MLFLOW_TRACKING_URI set to a fresh local folder for the session (child processes inherit it)."""
    import mlflow

    uri = (tmp_path_factory.mktemp("mlflow") / "mlruns").as_uri()  # FileStore sets up a folder it creates
    with pytest.MonkeyPatch.context() as env:
        for name, value in {**ENV, "MLFLOW_TRACKING_URI": uri}.items():
            env.setenv(name, value)
        mlflow.set_tracking_uri(uri)
        yield uri


@dataclass
class Fitted:
    model: Any  # the PipelineModel
    sample: Any  # its training DataFrame (Spark)
    rows: pd.DataFrame  # input rows as MLflow takes them (no label; numbers as doubles)

    def spark_outputs(self, spark, rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """Spark's own transform of `rows`: the chosen columns, vectors as lists of floats."""
        out = self.model.transform(spark.createDataFrame(rows)).select(*columns).toPandas()
        for name in columns:
            if out[name].dtype == object:
                out[name] = [v.toArray().tolist() for v in out[name]]
        return out


def rows(count: int, seed: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"color": rng.choice(["red", "green", "blue"], count), "size": rng.normal(size=count),
                          "age": rng.integers(0, 60, count).astype(np.float64)})
    frame["label"] = ((frame["size"] > 0) ^ (frame["color"] == "red")).astype(np.float64)
    return frame


@pytest.fixture(scope="session")
def fitted(spark) -> Fitted:
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import OneHotEncoder, StringIndexer, VectorAssembler

    data = rows(80)
    sample = spark.createDataFrame(data)
    stages = [StringIndexer(inputCol="color", outputCol="color_index"),
              OneHotEncoder(inputCols=["color_index"], outputCols=["color_vec"]),
              VectorAssembler(inputCols=["color_vec", "size", "age"], outputCol="features"),
              LogisticRegression(maxIter=10)]
    return Fitted(Pipeline(stages=stages).fit(sample), sample, data.drop(columns="label"))


@pytest.fixture(scope="session")
def logged_uri(tracking: str, fitted: Fitted) -> str:
    """The fitted pipeline logged in a run; its `models:/` URI."""
    import mlflow

    import sparkleap.mlflow

    with mlflow.start_run():
        info = sparkleap.mlflow.log_model(fitted.model, "pipeline", input_example=fitted.rows.head(3),
                                          sample=fitted.sample)
    return info.model_uri
