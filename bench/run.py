"""`python -m bench.run --quick|--full`: every benchmark group in one process tree, then the report.

Each group module provides SPECS or specs(sizes) (the figures it owes) and measure(workbench) yielding entries; a
group that fails or whose component is missing leaves "not measured: <reason>" entries, never a crash.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Iterator

from bench.core import Entry, failure_reason, merged, not_measured
from bench.report import BENCH, write_report
from bench.workbench import FULL, QUICK, Workbench

GROUPS = ["bench.bundle_transform", "bench.models", "bench.text_pipeline", "bench.dct", "bench.preprocess_job",
          "bench.containers", "bench.inference_pipeline", "bench.batch_engines", "bench.mleap_anchor", "bench.mlflow",
          "bench.wide"]


def run_group(module_name: str, wb: Workbench) -> Iterator[Entry]:
    """The group's entries; whatever it did not deliver becomes a not-measured entry with the reason."""
    module = importlib.import_module(module_name)
    done: set[str] = set()
    try:
        for item in module.measure(wb):
            done.add(item.name)
            yield item
        reason = "the group did not produce it"
    except Exception as exc:  # noqa: BLE001 - one group's failure must not stop the run
        reason = failure_reason(exc)
    for spec in module.specs(wb.sizes) if hasattr(module, "specs") else module.SPECS:
        if spec.name not in done:
            yield not_measured(spec, reason)


def previous_entries() -> list[Entry]:
    """The figures of the last run (bench/results.json), none when there is no readable one."""
    try:
        return [Entry.from_json(d) for d in json.loads((BENCH / "results.json").read_text())]
    except (OSError, ValueError, TypeError):
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run", allow_abbrev=False, description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes, under 3 minutes (default)")
    mode.add_argument("--full", action="store_true", help="the real sizes (1 M / 10 M rows)")
    parser.add_argument("--only", help="comma-separated group modules to run, e.g. bundle_transform,batch")
    args = parser.parse_args(argv)
    sizes = FULL if args.full else QUICK
    groups = [g for g in GROUPS if not args.only or g.rsplit(".", 1)[1] in args.only.split(",")]
    wb = Workbench(sizes)
    entries: list[Entry] = []
    started = time.perf_counter()
    try:
        for group in groups:
            group_started = time.perf_counter()
            print(f"[bench] {group} ...", file=sys.stderr, flush=True)
            for item in run_group(group, wb):
                entries.append(item)
                shown = "not measured" if item.value is None else f"{item.value:g} {item.unit}"
                print(f"[bench]   {item.name}: {shown} {'met' if item.met else 'MISSED'} {item.note}",
                      file=sys.stderr, flush=True)
            print(f"[bench] {group} done in {time.perf_counter() - group_started:.1f} s", file=sys.stderr)
    finally:
        wb.stop()
    if args.only:  # the groups not run keep their figures from the last run
        entries = merged(previous_entries(), entries)
    write_report(entries, sizes, time.perf_counter() - started)
    print(f"[bench] {len(entries)} figures, {sum(e.met for e in entries)} met, "
          f"{time.perf_counter() - started:.0f} s; see bench/README.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
