"""`mlflow.pyfunc.spark_udf` on a sparkleap model: a DataFrame scored on local Spark by the Python runtime in
the workers (env_manager local), equal to the pipeline's own transform."""

from __future__ import annotations

import mlflow

from tests.mlflow.conftest import rows


def test_spark_udf_scores_a_dataframe_like_the_pipeline(spark, fitted, logged_uri):
    batch = rows(50, seed=11).drop(columns="label")
    frame = spark.createDataFrame(batch)
    udf = mlflow.pyfunc.spark_udf(spark, logged_uri, env_manager="local")
    scored = frame.withColumn("scored", udf(*frame.columns)).toPandas()
    want = fitted.spark_outputs(spark, batch, ["prediction"])["prediction"].tolist()
    assert scored["scored"].tolist() == want
