"""Tests that misbehave on purpose, run by test_no_hang_no_orphan.py in a child pytest (never collected on their
own: the file name does not start with test_)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from base.processes import ServerProcess, descendants, free_port


def test_a_fit_that_hangs(spark):
    from pyspark.ml.feature import StringIndexer
    from pyspark.sql import functions as F

    sleepy = F.udf(lambda x: time.sleep(600) or x, "string")
    StringIndexer(inputCol="c", outputCol="c_i").fit(spark.range(4).select(sleepy(F.col("id").cast("string"))
                                                                           .alias("c")))


def test_a_session_that_starts_a_jvm_and_children_then_waits(spark, tmp_path):
    """Writes its pid, the Spark JVM's, a server's and a plain child's to $SPARKLEAP_ORPHAN_PIDS, then waits."""
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], dict(os.environ),
                           port, tmp_path / "server.log", ping_path="/", die_with_parent=True).start()
    server.wait_ready(60)
    child = subprocess.Popen(["sleep", "600"])  # no parent-death signal of its own
    jvm = spark.sparkContext._gateway.proc.pid
    pids = [os.getpid(), jvm, server.pid, child.pid, *descendants(jvm)]
    path = os.environ["SPARKLEAP_ORPHAN_PIDS"]
    with open(path + ".tmp", "w") as f:
        f.write(" ".join(map(str, pids)))
    os.replace(path + ".tmp", path)
    time.sleep(600)
