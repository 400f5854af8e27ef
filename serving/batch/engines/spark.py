"""The spark engine: the job's files spread over Spark executors, scored with `mapInPandas`.

Each partition builds the inprocess engine once (bundle runtime + booster, from model bytes shipped with
the task, so executors need no shared disk) and runs its files through the same per-file code as the other
engines (`job.transform_stored`), reading and writing with `base.storage` (local paths or s3://; on a
cluster use s3://). Outputs are therefore byte-identical to the inprocess engine's; a file is the unit of
work, so each file must fit in one executor's memory, and many files spread over the cluster.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from base import storage
from serving.batch import outputs
from serving.batch.job import FileFailed, FileResult, JobResult, failed, start
from serving.batch.options import TransformOptions
from serving.batch.progress import Progress
from serving.inference_pipeline.description import Pipeline

RESULT_SCHEMA = ("position long, status string, records long, record long, reason string, size long, "
                 "sha256 string")
SHIPPED_ENV = ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION")  # where S3 is; never credentials


def _model_bytes(path: str) -> bytes:
    """A model file's bytes, or a directory packed as tar.gz."""
    if Path(path).is_file():
        return Path(path).read_bytes()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for item in sorted(Path(path).iterdir()):
            tar.add(item, arcname=item.name)
    return buffer.getvalue()


def run_spark_job(pipeline: Pipeline, input_location: str, output: str, options: TransformOptions,
                  spark=None, progress: Progress | None = None, overwrite: bool = False) -> JobResult:
    """Transform every file under `input_location` on Spark (the active session, else a local one)."""
    from serving.batch import fingerprint
    from serving.batch.engines.inprocess import InprocessEngine

    started = time.perf_counter()
    options = options.resolved(InprocessEngine.execution_parameters())
    plan = start(input_location, output, options, "spark", fingerprint.of_pipeline(pipeline), overwrite)
    result, files = plan.result, plan.files
    progress = progress or Progress(len(files))
    progress.start(options.describe() + ", engine spark")
    plan.drop_gone(progress)
    targets = [outputs.output_uri(output, rel) for _, rel in files]
    kept = [plan.unchanged(uri, targets[i]) for i, (uri, _) in enumerate(files)]
    pending = [(i, files[i][0], targets[i]) for i in range(len(files)) if not kept[i]]
    rows: dict[int, dict[str, Any]] = {}
    if pending:
        spark = spark or _session()
        frame = spark.createDataFrame(pending, "position long, input string, output string")
        frame = frame.repartition(min(len(pending), spark.sparkContext.defaultParallelism), "position")
        score = _scorer(pipeline, options)
        rows = {r["position"]: r.asDict() for r in frame.mapInPandas(score, RESULT_SCHEMA).collect()}
    for i, (uri, rel) in enumerate(files):
        if kept[i]:
            plan.skip(uri, targets[i], rel, kept[i], progress)
            continue
        row = rows[i]
        record = None if row["record"] < 0 else int(row["record"])
        stamp = {"size": row["size"], "sha256": row["sha256"]} if row["sha256"] else None
        if row["status"] == "completed":
            result.files.append(FileResult(uri, targets[i], "completed", int(row["records"]), **stamp))
            progress.file_done(rel, int(row["records"]), changed=not overwrite and uri in plan.earlier)
        else:
            result.files.append(failed(uri, targets[i], FileFailed(record or 0, row["reason"]), stamp))
            progress.file_failed(rel, record or 0, row["reason"])
    result.seconds = time.perf_counter() - started
    outputs.write_manifest(output, result.to_json())
    progress.finish(result)
    return result


def _session():
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    from glue_jobs.spark_session import local_session

    return local_session(app_name="sparkleap-transform")


def _scorer(pipeline: Pipeline, options: TransformOptions):
    """The mapInPandas function: builds the engine once per partition, then scores each file of it."""
    shipped = [(c.name, c.kind, _model_bytes(c.model), dict(c.environment)) for c in pipeline.containers]
    env = {k: os.environ[k] for k in SHIPPED_ENV if k in os.environ}

    def score(batches):
        import pandas as pd

        from serving.batch import fingerprint
        from serving.batch.engines.inprocess import InprocessEngine
        from serving.batch.job import FileFailed, transform_stored
        from serving.inference_pipeline.description import Container
        from serving.inference_pipeline.description import Pipeline as Pipe

        for key, value in env.items():
            os.environ.setdefault(key, value)
        with tempfile.TemporaryDirectory(prefix="sparkleap-transform-") as tmp:
            containers = []
            for name, kind, data, environment in shipped:
                path = Path(tmp, f"{name}.tar.gz")
                path.write_bytes(data)
                containers.append(Container(name, kind, str(path), environment))
            engine = InprocessEngine(Pipe(tuple(containers)))
            for batch in batches:
                results = []
                for position, uri, target in zip(batch["position"], batch["input"], batch["output"], strict=True):
                    stamp = {"size": -1, "sha256": ""}  # not read
                    try:
                        stored = storage.read_bytes(uri)
                        stamp = fingerprint.of_input(stored)
                        body, count = transform_stored(stored, options, engine)
                        storage.write_whole(target, body)
                        results.append((position, "completed", count, -1, "", *stamp.values()))
                    except FileFailed as exc:
                        results.append((position, "failed", 0, exc.record, str(exc), *stamp.values()))
                    except Exception as exc:  # noqa: BLE001 - one file's I/O failure must not kill the others
                        results.append((position, "failed", 0, 0, f"{type(exc).__name__}: {exc}", *stamp.values()))
                yield pd.DataFrame(results, columns=["position", "status", "records", "record", "reason", "size",
                                                     "sha256"])

    return score
