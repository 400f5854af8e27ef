"""Progress display for the job: one line per step with its wall time, and on a terminal a live line
with the Spark tasks of the running stages."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO


class Progress:
    """Times named steps (`timings`, seconds) and reports them on `stream` unless `quiet`."""

    def __init__(self, spark=None, stream: TextIO | None = None, quiet: bool = False):
        self.spark = spark
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.timings: dict[str, float] = {}
        self.live = not quiet and spark is not None and self.stream.isatty()

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    @contextlib.contextmanager
    def step(self, name: str, label: str) -> Iterator[None]:
        """Time the block as `timings[name]`; show `label` while it runs and its wall time after."""
        stop = threading.Event()
        ticker = None
        if self.live:
            ticker = threading.Thread(target=self._tick, args=(label, stop), daemon=True)
            ticker.start()
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(time.perf_counter() - start, 3)
            stop.set()
            if ticker is not None:
                ticker.join()
                self.stream.write("\r\033[K")
        self.say(f"  {label:<40} {self.timings[name]:7.2f} s")

    def _tick(self, label: str, stop: threading.Event) -> None:
        tracker = self.spark.sparkContext.statusTracker()
        spinner = "|/-\\"
        beat = 0
        while not stop.wait(0.25):
            tasks = ""
            for stage_id in tracker.getActiveStageIds():
                info = tracker.getStageInfo(stage_id)
                if info is not None:
                    tasks += f"  stage {stage_id}: {info.numCompletedTasks}/{info.numTasks} tasks"
            self.stream.write(f"\r\033[K  {spinner[beat % 4]} {label}{tasks}")
            self.stream.flush()
            beat += 1
