"""Issue 8: batch transform rows/s per engine on abalone-shaped rows, next to the floor and PySpark.

Input: the workbench's rows without the label, split into 4 files. Every engine scores all rows; the http
engine runs the local pipeline (MultiRecord, 1 MB payloads, 2 concurrent requests, 2 workers per container)
and its output must be byte-identical to the inprocess engine's (else the figure is not measured). Peers,
measured on the same rows in the same run: the floor (pyarrow CSV read + xgboost predict alone) and PySpark
PipelineModel.transform + xgboost on local[2].
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


def job_rows_per_s(run, folder: Path, rows: int, keep: Path | None = None) -> float:
    """One job into a fresh output folder (`keep`/out, kept, when given); rows/s (read, score, write included)."""
    out = keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        result = run(str(folder), str(out / "out"))
        if result.failed:
            raise RuntimeError(result.failed[0].report_line())
        return rows / result.seconds
    finally:
        if keep is None:
            shutil.rmtree(out, ignore_errors=True)


def differing_file(a: Path, b: Path) -> str | None:
    """The first output file (`*.out`) whose bytes differ between two job folders (or that only one has), else
    None. The job's manifest.json differs by design (engine, timings)."""
    names = sorted({p.relative_to(a).as_posix() for p in a.rglob("*.out")}
                   | {p.relative_to(b).as_posix() for p in b.rglob("*.out")})
    if not names:
        return "(no .out file)"
    for name in names:
        if not (a / name).is_file() or not (b / name).is_file() or (a / name).read_bytes() != (b / name).read_bytes():
            return name
    return None


def measure(wb: Workbench) -> Iterator[Entry]:
    from serving.batch.engines.http import HttpEngine
    from serving.batch.engines.inprocess import InprocessEngine
    from serving.batch.engines.run import batch_pipeline
    from serving.batch.engines.spark import run_spark_job
    from serving.batch.job import run_job
    from serving.batch.options import TransformOptions
    from serving.batch.progress import Progress
    from serving.inference_pipeline.description import default_pipeline
    from serving.inference_pipeline.local import LocalEndpoint

    rows = wb.sizes.batch_rows
    source = wb.data(rows)
    folder = input_folder(wb, source, rows, f"batch-{rows}")
    pipeline = default_pipeline(str(wb.bundle_path), str(wb.booster_path))
    options = TransformOptions(batch_strategy="MultiRecord", max_payload_mb=1, max_concurrent_transforms=2)
    engine = InprocessEngine(pipeline)

    def inprocess(src: str, dst: str):
        return run_job(src, dst, options, engine, Progress(FILES, quiet=True))

    kept = Path(tempfile.mkdtemp(prefix="bench-batch-kept-"))
    job_rows_per_s(inprocess, folder, rows, keep=kept / "inprocess")  # warm-up; the reference output
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

    try:
        with LocalEndpoint(batch_pipeline(pipeline), name="bench-batch", workers=2) as endpoint:
            http = HttpEngine(endpoint.url)

            def over_http(src: str, dst: str):
                return run_job(src, dst, options, http, Progress(FILES, quiet=True))

            job_rows_per_s(over_http, folder, rows, keep=kept / "http")
            differs = differing_file(kept / "inprocess", kept / "http")
            if differs:
                raise RuntimeError(f"http output {differs} is not byte-identical to the inprocess engine's")
            runs = Stats([job_rows_per_s(over_http, folder, rows) for _ in range(max(1, wb.sizes.repeats // 2))])
        yield entry(HTTP_MULTI, runs, rows=rows, max_payload_mb=1, max_concurrent_transforms=2,
                    identical_to_inprocess=True)
    finally:
        shutil.rmtree(kept, ignore_errors=True)
