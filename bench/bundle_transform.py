"""Issue 3: the bundle runtime's transform time per row, single row and batched, next to PySpark and sklearn."""

from __future__ import annotations

import time
from collections.abc import Iterator

from bench.core import Entry, Spec, Stats, Target, entry, repeat, timed
from bench.peers import Sklearn, spark_batch_seconds, spark_single_row_seconds
from bench.workbench import CATEGORICAL, NUMERIC, Workbench, read_abalone

FASTER = "peer time / ours (× faster)"
SINGLE = Spec("bundle: single-row transform (transform_row)", "µs/row", 3, Target("max", 10.0),
              peer="scikit-learn ColumnTransformer.transform, one row", ratio_means=FASTER)
SINGLE_VS_SPARK = Spec("bundle: single-row transform vs PySpark", "µs/row", 3, Target("min", 1000.0, on="ratio"),
                       peer="PySpark PipelineModel.transform + collect, one row", ratio_means=FASTER)
BATCH_VS_SPARK = Spec("bundle: batched transform (columnar)", "µs/row", 3,
                      peer="PySpark PipelineModel.transform, same rows, local[2]", ratio_means=FASTER)
BATCH_VS_SKLEARN = Spec("bundle: batched transform vs scikit-learn", "µs/row", 3,
                        peer="scikit-learn ColumnTransformer.transform, same rows", ratio_means=FASTER)
SPECS = [SINGLE, SINGLE_VS_SPARK, BATCH_VS_SPARK, BATCH_VS_SKLEARN]


def measure(wb: Workbench) -> Iterator[Entry]:
    sizes = wb.sizes
    path = wb.data(sizes.batch_rows)
    cols = read_abalone(path)
    inputs = {n: cols[n] for n in CATEGORICAL + NUMERIC}
    bundle = wb.bundle
    n_single = min(sizes.single_rows, sizes.batch_rows)
    rows = [{n: (str(cols[n][i]) if n in CATEGORICAL else float(cols[n][i])) for n in inputs} for i in range(n_single)]

    def single_row_us() -> float:
        started = time.perf_counter()
        for row in rows:
            bundle.transform_row(row)
        return (time.perf_counter() - started) / len(rows) * 1e6

    sklearn = Sklearn(wb)
    sk_frames = [sklearn.frame({n: inputs[n][i:i + 1] for n in inputs}) for i in range(min(500, n_single))]

    def sklearn_single_us() -> float:
        started = time.perf_counter()
        for frame in sk_frames:
            sklearn.transform(frame)
        return (time.perf_counter() - started) / len(sk_frames) * 1e6

    single = repeat(single_row_us, sizes.repeats)
    yield entry(SINGLE, single, repeat(sklearn_single_us, sizes.repeats), rows_per_repeat=len(rows))

    spark_row = {n: rows[0][n] for n in inputs}
    spark_single_row_seconds(wb, spark_row)  # warm-up: first call compiles the plan
    spark_single = Stats([spark_single_row_seconds(wb, spark_row) * 1e6 for _ in range(sizes.spark_single_repeats)])
    yield entry(SINGLE_VS_SPARK, single, spark_single)

    n = len(cols["sex"])
    batch = repeat(lambda: timed(lambda: bundle.transform(dict(inputs))) / n * 1e6, sizes.repeats)
    spark_batch_seconds(wb, path)  # warm-up
    spark_batch = repeat(lambda: spark_batch_seconds(wb, path) / n * 1e6, sizes.repeats)
    yield entry(BATCH_VS_SPARK, batch, spark_batch, rows=n)

    sk_frame = sklearn.frame(inputs)
    sk_batch = repeat(lambda: timed(lambda: sklearn.transform(sk_frame)) / n * 1e6, sizes.repeats)
    yield entry(BATCH_VS_SKLEARN, batch, sk_batch, rows=n)

