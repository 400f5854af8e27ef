"""Prometheus text-format metrics for a serving process: request counts, rows and latency histograms.

Each gunicorn worker keeps its own counters; a scrape of /metrics sees the worker that answers it
(the `pid` label tells them apart).
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
from collections import defaultdict

BUCKETS_S = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, tuple], float] = defaultdict(float)
        self._hist: dict[tuple[str, tuple], list[float]] = {}

    def count(self, name: str, value: float = 1.0, **labels: str) -> None:
        with self._lock:
            self._counters[(name, tuple(sorted(labels.items())))] += value

    def observe(self, name: str, seconds: float, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        with self._lock:
            h = self._hist.get(key)
            if h is None:
                h = self._hist[key] = [0.0] * (len(BUCKETS_S) + 3)
            h[bisect_left(BUCKETS_S, seconds)] += 1  # per-bucket counts (the last slot: over every bound)
            h[-2] += 1  # count
            h[-1] += seconds  # sum

    def request(self, status: int, rows: int, seconds: float) -> None:
        """One served request: its status, the rows it held and its latency."""
        self.count("requests_total", status=str(status))
        self.count("rows_total", rows)
        self.observe("request_latency", seconds)

    def render(self) -> str:
        pid = str(os.getpid())
        lines: list[str] = []

        def fmt(labels: tuple, extra: tuple = ()) -> str:
            items = (*labels, ("pid", pid), *extra)
            return "{" + ",".join(f'{k}="{v}"' for k, v in items) + "}"

        typed: set[str] = set()

        def header(full: str, kind: str) -> None:
            if full not in typed:  # one TYPE line per metric family, before its samples
                typed.add(full)
                lines.append(f"# TYPE {full} {kind}")

        with self._lock:
            for (name, labels), value in sorted(self._counters.items()):
                header(f"{self.prefix}_{name}", "counter")
                lines.append(f"{self.prefix}_{name}{fmt(labels)} {value:.17g}")
            for (name, labels), h in sorted(self._hist.items()):
                full = f"{self.prefix}_{name}_seconds"
                header(full, "histogram")
                cumulative = 0.0
                for bound, n in zip(BUCKETS_S, h, strict=False):
                    cumulative += n
                    lines.append(f"{full}_bucket{fmt(labels, (('le', repr(bound)),))} {cumulative:.17g}")
                lines.append(f"{full}_bucket{fmt(labels, (('le', '+Inf'),))} {h[-2]:.17g}")
                lines.append(f"{full}_count{fmt(labels)} {h[-2]:.17g}")
                lines.append(f"{full}_sum{fmt(labels)} {h[-1]:.6f}")
        return "\n".join(lines) + "\n"
