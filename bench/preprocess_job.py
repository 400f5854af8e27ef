"""Issue 4: wall time of `sparkleap preprocess` (a fresh process, JVM start included) on abalone and on
generated abalone-shaped data, and whether its time grows linearly with rows."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

from bench.core import Entry, Spec, Stats, Target, entry
from bench.workbench import ABALONE, SCHEMA, Sizes, Workbench, python_env

ABALONE_SPEC = Spec("preprocess job: abalone, JVM start included", "s", 4, Target("max", 30.0))
GROWTH_NOTE = ("per-row cost of the larger data set ÷ that of the smaller, fixed start-up cost (the abalone run) "
               "removed; 1 = perfectly linear")


def _rows_text(rows: int) -> str:
    return f"{rows // 1_000_000} M" if rows % 1_000_000 == 0 else f"{rows // 1000} k"


def specs(sizes: Sizes) -> list[Spec]:
    small, large = sizes.preprocess_rows
    return [
        ABALONE_SPEC,
        Spec(f"preprocess job: {_rows_text(small)} rows", "s", 4),
        Spec(f"preprocess job: {_rows_text(large)} rows", "s", 4),
        Spec(f"preprocess job: growth {_rows_text(small)} → {_rows_text(large)} rows (per-row cost ratio)", "×", 4,
             Target("max", 1.25)),
    ]


def job_seconds(wb: Workbench, source, name: str) -> float:
    """One `sparkleap preprocess` run in a fresh process; RuntimeError with its stderr tail on failure."""
    out = wb.cache / "preprocess" / name
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "sparkleap.cli", "preprocess", "--input", str(source), "--output", str(out),
            "--schema", str(SCHEMA), "--quiet"]
    started = time.perf_counter()
    done = subprocess.run(argv, env=python_env(), capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"sparkleap preprocess exited {done.returncode}: {done.stderr.strip()[-300:]}")
    shutil.rmtree(out, ignore_errors=True)
    return seconds


def measure(wb: Workbench) -> Iterator[Entry]:
    abalone_spec, small_spec, large_spec, growth_spec = specs(wb.sizes)
    small, large = wb.sizes.preprocess_rows
    abalone = Stats([job_seconds(wb, ABALONE, "abalone") for _ in range(wb.sizes.job_repeats)])
    yield entry(abalone_spec, abalone, rows=4177)
    small_s = job_seconds(wb, wb.data(small), "small")
    yield entry(small_spec, small_s, rows=small)
    large_s = job_seconds(wb, wb.data(large), "large")
    yield entry(large_spec, large_s, rows=large)
    fixed = abalone.median
    growth = ((large_s - fixed) / large) / ((small_s - fixed) / small)
    yield entry(growth_spec, growth, note=GROWTH_NOTE)
