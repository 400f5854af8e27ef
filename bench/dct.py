"""Issue 15: the dct op (the JTransforms 3.1 port, bit-identical to Spark) per row, single row and batched, for a
size on each of JTransforms' paths, next to SciPy's orthonormal DCT-II (C code, not bit-identical to Spark: the
yardstick for what exactness costs in pure Python)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from bench.core import Entry, Spec, entry, repeat, timed
from bench.workbench import Workbench

SLOWER = "ours / peer (× slower)"
PATHS = {16: "split radix", 64: "split radix", 30: "mixed radix", 211: "Bluestein"}
SINGLE = {n: Spec(f"dct: single row, n = {n} ({path})", "µs/row", 15,
                  peer="scipy.fft.dct(norm='ortho'), one row", ratio_means=SLOWER, ratio_is_overhead=True)
          for n, path in PATHS.items()}
BATCH = {n: Spec(f"dct: batched (columnar), n = {n} ({path})", "µs/row", 15,
                 peer="scipy.fft.dct(norm='ortho', axis=1), same rows", ratio_means=SLOWER, ratio_is_overhead=True)
         for n, path in PATHS.items()}
SPECS = [*SINGLE.values(), *BATCH.values()]
SINGLE_ROWS, BATCH_ROWS = 200, 10_000


def per_row_us(fn, rows) -> float:
    started = time.perf_counter()
    for row in rows:
        fn(row)
    return (time.perf_counter() - started) / len(rows) * 1e6


def measure(wb: Workbench) -> Iterator[Entry]:
    import scipy.fft

    from bundles.ops.base import Shape
    from bundles.ops.dct import DCT

    op = DCT("dct", Shape.single("v", "out"), inverse=False)
    rng = np.random.default_rng(15)
    for n in PATHS:
        rows = rng.standard_normal((SINGLE_ROWS, n))
        lists = rows.tolist()
        op.dense_row(lists[0])  # the plan for n
        ours = repeat(lambda lists=lists: per_row_us(op.dense_row, lists), wb.sizes.repeats)
        scipy_row = repeat(lambda rows=rows: per_row_us(lambda r: scipy.fft.dct(r, norm="ortho"), rows),
                           wb.sizes.repeats)
        yield entry(SINGLE[n], ours, scipy_row, rows_per_repeat=SINGLE_ROWS)

        batch = rng.standard_normal((BATCH_ROWS, n))
        ours_batch = repeat(lambda batch=batch: timed(lambda: op.dense(batch)) / BATCH_ROWS * 1e6, wb.sizes.repeats)
        scipy_batch = repeat(lambda batch=batch: timed(lambda: scipy.fft.dct(batch, norm="ortho", axis=1))
                             / BATCH_ROWS * 1e6, wb.sizes.repeats)
        yield entry(BATCH[n], ours_batch, scipy_batch, rows=BATCH_ROWS)

