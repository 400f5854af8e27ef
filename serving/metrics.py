"""Prometheus metrics for a serving process: request counts, rows and latency histograms, over all its workers.

Built on prometheus_client. `multiprocess_dir()` (called in the server's parent process, before workers fork) turns on
prometheus_client's multiprocess mode: each worker writes its samples to memory-mapped files in one folder, and
a scrape of /metrics, whichever worker answers it, sums every worker's (including workers that have exited).
Without it (one process), the process's own values are shown.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
BUCKETS_S = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def multiprocess_dir() -> str:
    """A fresh folder for this server's workers to share their samples through, set in the environment the
    workers inherit (call before they fork and before prometheus_client is imported); removed at exit."""
    folder = tempfile.mkdtemp(prefix="sparkleap-metrics-")
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))
    os.environ[MULTIPROC_ENV] = folder
    return folder


class Metrics:
    """Counters and histograms named `<prefix>_<name>`; labels are fixed by a metric's first use."""

    def __init__(self, prefix: str):
        from prometheus_client import CollectorRegistry, disable_created_metrics

        disable_created_metrics()  # no `_created` timestamps: the samples are what the scrape compares
        self.prefix = prefix
        self.registry = CollectorRegistry(auto_describe=True)
        self._metrics: dict[str, object] = {}
        self._children: dict[tuple[str, ...], object] = {}  # (name, label values in call order) -> child
        self._lock = threading.Lock()

    def _metric(self, kind: str, name: str, labels: tuple[str, ...]):
        with self._lock:
            metric = self._metrics.get(name)
            if metric is None:
                from prometheus_client import Counter, Histogram

                if kind == "counter":
                    metric = Counter(f"{self.prefix}_{name}", name.replace("_", " "), labels, registry=self.registry)
                else:
                    metric = Histogram(f"{self.prefix}_{name}_seconds", f"{name.replace('_', ' ')} in seconds",
                                       labels, registry=self.registry, buckets=BUCKETS_S)
                self._metrics[name] = metric
        return metric

    def _sample(self, kind: str, name: str, labels: dict[str, str]):
        """The metric's child for these label values, looked up once (prometheus_client's `labels()` validates
        and locks on every call: a request's metrics are on every server's hot path)."""
        key = (name, *labels.values())
        child = self._children.get(key)
        if child is None:
            metric = self._metric(kind, name, tuple(sorted(labels)))
            child = metric.labels(**labels) if labels else metric
            self._children[key] = child
        return child

    def count(self, name: str, value: float = 1.0, **labels: str) -> None:
        self._sample("counter", name, labels).inc(value)

    def observe(self, name: str, seconds: float, **labels: str) -> None:
        self._sample("histogram", name, labels).observe(seconds)

    def request(self, status: int, rows: int, seconds: float) -> None:
        """One served request: its status, the rows it held and its latency."""
        self.count("requests_total", status=str(status))
        self.count("rows_total", rows)
        self.observe("request_latency", seconds)

    def render(self) -> str:
        """Prometheus text format (0.0.4): every worker's samples summed in multiprocess mode."""
        from prometheus_client import CollectorRegistry, generate_latest, multiprocess

        if not os.environ.get(MULTIPROC_ENV):
            return generate_latest(self.registry).decode()
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry).decode()
