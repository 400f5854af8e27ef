"""The SparkSession the job uses: the active one on Glue/spark-submit, else embedded `local[*]`."""

from __future__ import annotations

import os
import sys


def local_session(app_name: str = "sparkleap", partitions: int | None = None, master: str | None = None):
    """Get or create a SparkSession; embedded local Spark unless one is already active.

    `partitions` sets spark.sql.shuffle.partitions (small data wants few).
    """
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Python workers use this interpreter's packages
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = (
        SparkSession.builder.appName(app_name)
        .master(master or os.environ.get("SPARK_MASTER", "local[*]"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions or 4))
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def job_session(app_name: str = "sparkleap-preprocess"):
    """The job's SparkSession: the active one, the cluster's under spark-submit/Glue, else embedded local."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # launched by spark-submit or Glue: master and resources come from there
        return SparkSession.builder.appName(app_name).getOrCreate()
    return local_session(app_name=app_name)
