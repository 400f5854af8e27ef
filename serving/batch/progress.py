"""Progress on stderr: one line per file (files done/total, records, rows/s), then a summary."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total_files: int, stream: TextIO | None = None, quiet: bool = False):
        self.total = total_files
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.done = 0
        self.records = 0
        self.started = time.perf_counter()

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(f"[transform] {text}", file=self.stream, flush=True)

    def _rate(self) -> str:
        seconds = max(time.perf_counter() - self.started, 1e-9)
        return f"{self.records / seconds:,.0f} rows/s"

    def start(self, parameters: str) -> None:
        self.started = time.perf_counter()
        self._say(f"{self.total} file(s); {parameters}")

    def removed(self, output: str, input_uri: str) -> None:
        """Said even when quiet: a re-run deleted an output because its input is gone."""
        print(f"[transform] removed {output}: its input {input_uri} is gone", file=self.stream, flush=True)

    def file_done(self, name: str, records: int, skipped: bool = False, changed: bool = False) -> None:
        self.done += 1
        self.records += records
        what = ("skipped (same input, models and options as the output's)" if skipped
                else f"{records} records" + (" (input changed since the last run: redone)" if changed else ""))
        self._say(f"files {self.done}/{self.total}, records {self.records}, {self._rate()}: {name} {what}")

    def file_failed(self, name: str, record: int, reason: str) -> None:
        """Counted only: each failure is reported once, by the command at the end (file, record, reason)."""
        self.done += 1
        self._say(f"files {self.done}/{self.total}: {name} FAILED")

    def finish(self, result) -> None:
        counts = {s: sum(f.status == s for f in result.files) for s in ("completed", "skipped", "failed")}
        self._say(f"done in {result.seconds:.2f} s: {counts['completed']} completed, {counts['skipped']} skipped, "
                  f"{counts['failed']} failed; {self.records} records, {self._rate()}")
