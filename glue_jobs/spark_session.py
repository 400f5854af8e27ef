"""The SparkSession the job uses: the active one on Glue/spark-submit, else embedded `local[*]`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

QUIET_LOG4J = """\
# Errors only. Spark's shell start-up prints "Setting default log level" unless the level of its own logger
# (configured, or WARN) equals the root's: both are set to error.
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.spark.name = org.apache.spark
logger.spark.level = error
"""


def quiet_log_config() -> Path:
    """A log4j2 file that lets only errors through: Spark's start-up lines (default log level, native
    Hadoop library) stay hidden unless the user asks for them."""
    path = Path(tempfile.gettempdir()) / f"sparkleap-log4j2-{os.getuid()}.properties"
    if not path.is_file() or path.read_text() != QUIET_LOG4J:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(QUIET_LOG4J)
        os.replace(tmp, path)
    return path


def local_session(app_name: str = "sparkleap", partitions: int | None = None, master: str | None = None,
                  verbose: bool = False):
    """Get or create a SparkSession; embedded local Spark unless one is already active.

    `partitions` sets spark.sql.shuffle.partitions (small data wants few); `verbose` shows Spark's own
    log lines (warnings and start-up messages), which are hidden otherwise.
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
    if not verbose:
        quiet = f"-Dlog4j2.configurationFile=file:{quiet_log_config()}"
        builder = builder.config("spark.driver.extraJavaOptions", quiet)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def job_session(app_name: str = "sparkleap-preprocess", verbose: bool = False):
    """The job's SparkSession: the active one, the cluster's under spark-submit/Glue, else embedded local."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # launched by spark-submit or Glue: master and resources come from there
        return SparkSession.builder.appName(app_name).getOrCreate()
    return local_session(app_name=app_name, verbose=verbose)
