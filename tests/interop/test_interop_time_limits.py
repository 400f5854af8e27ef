"""The catalogue cannot hang the run: its Gaussian-mixture data stays well-conditioned in every partitioning and
gives the same model run after run, and a case whose Spark work hangs fails naming the case, its jobs cancelled."""

from __future__ import annotations

import time

import numpy as np
import pytest

from glue_jobs.spark_limit import SparkTimeout
from interop.catalogue import Case, mixture_points, mixture_stages
from interop.suite import prepare

pytestmark = pytest.mark.interop
CENTRES = ([0.0, 0.0, 0.0], [8.0, -6.0, 7.0])


def mixture(spark, partitions: int):
    from pyspark.ml import Pipeline

    return Pipeline(stages=mixture_stages()).fit(mixture_points(spark).repartition(partitions)).stages[-1]


def test_the_gaussian_mixture_case_finds_the_same_well_conditioned_clusters_in_any_partitioning(spark):
    for partitions in (3, 10):  # the default tol stopped these between the clusters; the catalogue runs 2
        model = mixture(spark, partitions)
        order = np.argsort([g.mean[0] for g in model.gaussians])
        for centre, i in zip(CENTRES, order, strict=True):
            gaussian = model.gaussians[i]
            np.testing.assert_allclose(gaussian.mean.toArray(), centre, atol=1e-6, err_msg=f"{partitions} parts")
            eigenvalues = np.linalg.eigvalsh(gaussian.cov.toArray())
            assert 0.2 < eigenvalues.min() and eigenvalues.max() < 0.9, (partitions, eigenvalues)
    again = mixture(spark, 10)
    assert model.weights == again.weights
    assert [g.cov.toArray().tolist() for g in model.gaussians] == [g.cov.toArray().tolist() for g in again.gaussians]


def hanging_fit(spark):
    """A StringIndexer fitted on a column whose UDF sleeps for 10 minutes."""
    from pyspark.ml.feature import StringIndexer
    from pyspark.sql import functions as F

    sleepy = F.udf(lambda x: time.sleep(600) or x, "string")
    df = spark.range(4).select(sleepy(F.col("id").cast("string")).alias("c"))
    return StringIndexer(inputCol="c", outputCol="c_i").fit(df), df


def test_a_case_whose_fit_hangs_fails_naming_it_and_leaves_no_running_spark_job(spark, tmp_path):
    started = time.monotonic()
    with pytest.raises(SparkTimeout, match="interop case hanging_fit: Spark work passed its 3 s limit"):
        prepare(Case("hanging_fit", hanging_fit), spark, tmp_path, limit_s=3)
    assert time.monotonic() - started < 60
    tracker = spark.sparkContext.statusTracker()
    deadline = time.monotonic() + 30
    while (tracker.getActiveJobsIds() or tracker.getActiveStageIds()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert tracker.getActiveJobsIds() == [] and tracker.getActiveStageIds() == []
    assert spark.range(3).count() == 3  # the session works on
