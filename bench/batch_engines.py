"""Issue 8: batch transform rows/s per engine on abalone-shaped rows, next to the floor and PySpark.

Input: the workbench's rows without the label, split into 4 files. inprocess and spark engines score all
rows; the http engine (local pipeline, MultiRecord, 1 MB payloads, 2 concurrent requests) a slice of them
(at most 200 000 rows) since it is the slow one. Peers, measured on the same rows in the same run: the floor
(pyarrow CSV read + xgboost predict alone) and PySpark PipelineModel.transform + xgboost on local[2].
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from base.atomic import atomic_path
from bench.core import Entry, Spec, Stats, Target, entry, repeat, timed
from bench.peers import floor_seconds, spark_predict_seconds
from bench.workbench import LABEL, Workbench

FILES = 4
HTTP_MAX_ROWS = 200_000
FLOOR = "floor: pyarrow CSV read + xgboost predict"
PYSPARK = "PySpark PipelineModel.transform + xgboost, local[2]"
MORE = "ours ÷ peer (× more rows/s)"
INPROC = Spec("batch transform: inprocess engine", "rows/s", 8, Target("min", 1_000_000), lower_is_better=False)
INPROC_FLOOR = Spec("batch transform: inprocess vs the floor", "rows/s", 8, Target("min", 0.5, on="ratio"),
                    peer=FLOOR, ratio_means=MORE, lower_is_better=False)
INPROC_SPARK = Spec("batch transform: inprocess vs PySpark", "rows/s", 8, Target("min", 10.0, on="ratio"),
                    peer=PYSPARK, ratio_means=MORE, lower_is_better=False)
HTTP_MULTI = Spec("batch transform: http engine, MultiRecord", "rows/s", 8, Target("min", 200_000),
                  lower_is_better=False)
SPARK_ENGINE = Spec("batch transform: spark engine, local[2]", "rows/s", 8, peer=PYSPARK, ratio_means=MORE,
                    lower_is_better=False)
SPECS = [INPROC, INPROC_FLOOR, INPROC_SPARK, HTTP_MULTI, SPARK_ENGINE]


def input_folder(wb: Workbench, source: Path, rows: int, name: str) -> Path:
    """`rows` rows of `source` without the label, as FILES CSV files (written once, reused)."""
    import pyarrow.csv as pacsv

    from bench.workbench import NAMES

    folder = wb.cache / "data" / name
    if folder.is_dir():
        return folder
    table = pacsv.read_csv(source, read_options=pacsv.ReadOptions(column_names=NAMES)).slice(0, rows).drop([LABEL])
    step = -(-table.num_rows // FILES)
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    with atomic_path(folder) as tmp:
        tmp.mkdir()
        for i in range(FILES):
            pacsv.write_csv(table.slice(i * step, step), tmp / f"part-{i}.csv", options)
    return folder


def job_rows_per_s(run, folder: Path, rows: int) -> float:
    """One job into a fresh output folder; rows/s (read, score, write included)."""
    out = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        result = run(str(folder), str(out / "out"))
        if result.failed:
            raise RuntimeError(result.failed[0].report_line())
        return rows / result.seconds
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure(wb: Workbench) -> Iterator[Entry]:
    from serving.batch.engines.http import HttpEngine
    from serving.batch.engines.inprocess import InprocessEngine
    from serving.batch.engines.run import batch_pipeline
    from serving.batch.engines.spark import run_spark_job
    from serving.batch.job import run_job
    from serving.batch.options import TransformOptions
    from serving.batch.progress import Progress
    from serving.pipeline.description import default_pipeline
    from serving.pipeline.local import LocalEndpoint

    rows = wb.sizes.batch_rows
    source = wb.data(rows)
    folder = input_folder(wb, source, rows, f"batch-{rows}")
    pipeline = default_pipeline(str(wb.bundle_path), str(wb.booster_path))
    options = TransformOptions(batch_strategy="MultiRecord", max_payload_mb=1, max_concurrent_transforms=2)
    engine = InprocessEngine(pipeline)

    def inprocess(src: str, dst: str):
        return run_job(src, dst, options, engine, Progress(FILES, quiet=True))

    job_rows_per_s(inprocess, folder, rows)  # warm-up
    ours = repeat(lambda: job_rows_per_s(inprocess, folder, rows), wb.sizes.repeats)
    yield entry(INPROC, ours, rows=rows, files=FILES)
    floor = repeat(lambda: rows / timed(lambda: floor_seconds(wb, source)), wb.sizes.repeats)
    yield entry(INPROC_FLOOR, ours, floor, rows=rows)
    spark_predict_seconds(wb, source)  # warm-up
    pyspark = repeat(lambda: rows / spark_predict_seconds(wb, source), wb.sizes.repeats)
    yield entry(INPROC_SPARK, ours, pyspark, rows=rows)

    def on_spark(src: str, dst: str):
        return run_spark_job(pipeline, src, dst, options, spark=wb.spark, progress=Progress(FILES, quiet=True))

    spark_engine = repeat(lambda: job_rows_per_s(on_spark, folder, rows), wb.sizes.repeats)
    yield entry(SPARK_ENGINE, spark_engine, pyspark, rows=rows)

    http_rows = min(rows, HTTP_MAX_ROWS)
    http_folder = folder if http_rows == rows else input_folder(wb, source, http_rows, f"batch-{http_rows}")
    with LocalEndpoint(batch_pipeline(pipeline), name="bench-batch", workers=2) as endpoint:
        http = HttpEngine(endpoint.url)

        def over_http(src: str, dst: str):
            return run_job(src, dst, options, http, Progress(FILES, quiet=True))

        yield entry(HTTP_MULTI, Stats([job_rows_per_s(over_http, http_folder, http_rows)]), rows=http_rows,
                    max_payload_mb=1, max_concurrent_transforms=2)
