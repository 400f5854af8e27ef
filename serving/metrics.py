"""Prometheus metrics for a serving process: request counts, rows and latency histograms, over all its workers.

Every series (a counter, or a histogram's buckets and sum) owns slots in one float64 array per process, so a
request's bookkeeping is a few array updates. `multiprocess_dir()` (called in the server's parent process,
before workers fork) names a folder: each worker then maps its array from `<prefix>-<pid>.samples` there and
appends each new series' slots to `<prefix>-<pid>.keys` before first use, and a scrape of /metrics, whichever
worker answers it, sums every worker's files (including workers that have exited). Without it (one process),
the process's own array is shown. The text is Prometheus' exposition format 0.0.4. (Not prometheus-client's
multiprocess mode: ~7x the bookkeeping per request; serving/README.md, "Why not prometheus-client".)
"""

from __future__ import annotations

import atexit
import bisect
import glob
import json
import logging
import math
import mmap
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator

import numpy as np

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
BUCKETS_S = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
HISTOGRAM_SLOTS = len(BUCKETS_S) + 2  # one count per bucket (the last is +Inf), then the sum
CAPACITY = 8192  # slots per process; a series past it is dropped (logged once)
SINK = CAPACITY  # the slots after CAPACITY: where a dropped series' updates go (never rendered)
SIZE = CAPACITY + HISTOGRAM_SLOTS
log = logging.getLogger("sparkleap.serving")


def multiprocess_dir() -> str:
    """A fresh folder for this server's workers to share their samples through, set in the environment the
    workers inherit (call before they fork); removed at exit."""
    folder = tempfile.mkdtemp(prefix="sparkleap-metrics-")
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))
    os.environ[MULTIPROC_ENV] = folder
    return folder


class Metrics:
    """Counters and histograms named `<prefix>_<name>` (histograms `<prefix>_<name>_seconds`)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.folder = os.environ.get(MULTIPROC_ENV) or None
        self._slots: dict[tuple[str, ...], int] = {}  # (name, label values in call order) -> first slot
        self._used = 0
        self._lock = threading.Lock()
        self._keys_fd = -1
        if self.folder:
            base = os.path.join(self.folder, f"{prefix}-{os.getpid()}")
            with open(base + ".samples", "w+b") as f:
                f.truncate(SIZE * 8)
                self._memory: mmap.mmap | bytearray = mmap.mmap(f.fileno(), SIZE * 8)
            self._keys_fd = os.open(base + ".keys", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        else:
            self._memory = bytearray(SIZE * 8)
        self.values = memoryview(self._memory).cast("d")  # item updates: the cheapest shared doubles in Python
        self._own: list[dict] = []  # this process's series (rendered when there is no folder)
        # (status, rows unknown) -> the slots of requests_total, request_latency and rows_total (SINK: unknown)
        self._request_slots: dict[tuple[int, bool], tuple[int, int, int]] = {}

    def counter(self, name: str, **labels: str) -> int:
        """The slot of counter `name` with `labels` (resolve once, then `add` to it)."""
        return self._slot("counter", name, labels)

    def histogram(self, name: str, **labels: str) -> int:
        """The first slot of histogram `name` with `labels` (resolve once, then `observe_at` it)."""
        return self._slot("histogram", name, labels)

    def _slot(self, kind: str, name: str, labels: dict[str, str]) -> int:
        """The first slot of the series, assigned (and recorded) on first use; the sink when the array is full."""
        key = (name, *labels.values())
        slot = self._slots.get(key)
        if slot is not None:
            return slot
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                size = HISTOGRAM_SLOTS if kind == "histogram" else 1
                if self._used + size > CAPACITY:
                    log.warning("metrics: more than %d slots in use; %s%s is not recorded", CAPACITY, name, labels)
                    slot = SINK
                else:
                    slot, self._used = self._used, self._used + size
                    series = {"slot": slot, "kind": kind, "name": name, "labels": dict(sorted(labels.items()))}
                    self._own.append(series)
                    if self._keys_fd >= 0:  # before the first update: a reader never sees values without keys
                        os.write(self._keys_fd, (json.dumps(series) + "\n").encode())
                self._slots[key] = slot
        return slot

    def count(self, name: str, value: float = 1.0, **labels: str) -> None:
        self.add(self._slot("counter", name, labels), value)

    def observe(self, name: str, seconds: float, **labels: str) -> None:
        self.observe_at(self._slot("histogram", name, labels), seconds)

    def add(self, slot: int, value: float = 1.0) -> None:
        """Add `value` to the counter at `slot`."""
        with self._lock:
            self.values[slot] += value

    def observe_at(self, slot: int, seconds: float) -> None:
        """Observe `seconds` in the histogram at `slot`."""
        with self._lock:
            self._observe(slot, seconds)

    def _observe(self, slot: int, seconds: float) -> None:
        """One observation's bucket count and sum (the caller holds the lock)."""
        self.values[slot + bisect.bisect_left(BUCKETS_S, seconds)] += 1.0
        self.values[slot + HISTOGRAM_SLOTS - 1] += seconds

    def request(self, status: int, seconds: float, rows: int | None = None) -> None:
        """One served request: its status, its latency and (when given) the rows it held; one lock, slots
        resolved once."""
        slots = self._request_slots.get((status, rows is None))
        if slots is None:
            slots = self._request_slots[(status, rows is None)] = (
                self.counter("requests_total", status=str(status)), self.histogram("request_latency"),
                SINK if rows is None else self.counter("rows_total"))
        counted, latency, rows_slot = slots
        with self._lock:
            self.values[counted] += 1.0
            self._observe(latency, seconds)
            self.values[rows_slot] += rows or 0

    def render(self) -> str:
        """Prometheus text format (0.0.4): every worker's samples summed when there is a folder."""
        metrics: dict[tuple[str, str], dict[tuple, np.ndarray]] = {}  # (kind, name) -> labels -> summed slots
        for series, values in self._every_series():
            size = HISTOGRAM_SLOTS if series["kind"] == "histogram" else 1
            part = values[series["slot"]:series["slot"] + size]
            if len(part) < size:  # a file cut short: not this server's
                continue
            by_labels = metrics.setdefault((series["kind"], series["name"]), {})
            labels = tuple(series["labels"].items())
            by_labels[labels] = by_labels[labels] + part if labels in by_labels else np.array(part)
        lines: list[str] = []
        for (kind, name), by_labels in sorted(metrics.items(), key=lambda item: item[0][1]):
            full = f"{self.prefix}_{name}" + ("_seconds" if kind == "histogram" else "")
            described = name.replace("_", " ") + (" in seconds" if kind == "histogram" else "")
            lines += [f"# HELP {full} {described}", f"# TYPE {full} {kind}"]
            for labels, values in sorted(by_labels.items()):
                lines += _samples(full, kind, dict(labels), values)
        return "\n".join(lines) + "\n" if lines else ""

    def _every_series(self) -> Iterator[tuple[dict, np.ndarray]]:
        if not self.folder:
            values = np.frombuffer(self._memory, np.float64)
            yield from ((series, values) for series in self._own)
            return
        for keys in glob.glob(os.path.join(glob.escape(self.folder), f"{glob.escape(self.prefix)}-*.keys")):
            try:
                with open(keys) as f:
                    text = f.read()
                values = np.fromfile(keys[:-len(".keys")] + ".samples", np.float64)
            except OSError:  # a worker's files are being created or the folder is going away
                continue
            for line in text.splitlines():
                try:
                    series = json.loads(line)
                except ValueError:  # a line being appended right now
                    continue
                yield series, values


def _samples(full: str, kind: str, labels: dict[str, str], values: np.ndarray) -> list[str]:
    """One series' sample lines: a counter's value, or a histogram's cumulative buckets, count and sum."""
    if kind == "counter":
        return [f"{full}{_labels(labels)} {_number(values[0])}"]
    cumulative = np.cumsum(values[:-1])
    lines = [f"{full}_bucket{_labels({**labels, 'le': _number(bound)})} {_number(c)}"
             for bound, c in zip((*BUCKETS_S, float("inf")), cumulative, strict=True)]
    return lines + [f"{full}_count{_labels(labels)} {_number(cumulative[-1])}",
                    f"{full}_sum{_labels(labels)} {_number(values[-1])}"]


def _number(value: float) -> str:
    """A sample value as Prometheus' Go clients print it: the shortest digits that read back exactly, in
    exponent form from 1e6 up (`1.234567e+06`), `+Inf`, `-Inf`, `NaN`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = repr(float(value))
    if value < 1e6 or "e" in text:
        return text
    whole, fraction = text.split(".")
    digits = (whole + fraction).rstrip("0")
    return f"{digits[0]}{'.' + digits[1:] if len(digits) > 1 else ''}e+{len(whole) - 1:02d}"


def _labels(labels: dict[str, str]) -> str:
    """`{k="v",...}` with backslash, newline and quote escaped as the format asks; "" for no labels."""
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{_escaped(v)}"' for k, v in labels.items()) + "}"


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
