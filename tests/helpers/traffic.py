"""Load on a local endpoint: N keep-alive clients for T seconds, every request recorded; RSS of process groups."""

from __future__ import annotations

import http.client
import os
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CLIENT_TIMEOUT_S = 15.0  # a request still unanswered after this counts as a hang
BACKOFF_MAX_S = 1.0  # after a failed request a client waits 0..1 s at random, as botocore's first retry does


@dataclass(frozen=True)
class Outcome:
    """One request: when it was sent and answered (monotonic seconds), its status (0: no answer) and text."""

    sent: float
    done: float
    status: int
    text: str

    @property
    def latency_s(self) -> float:
        return self.done - self.sent


@dataclass
class Traffic:
    outcomes: list[Outcome] = field(default_factory=list)
    rss_samples: list[tuple[float, int]] = field(default_factory=list)  # (monotonic s, bytes)

    def ok(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == 200]

    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status != 200]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; values need not be sorted."""
    ordered = sorted(values)
    rank = max(int(round(q / 100 * len(ordered) + 0.5)) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


def _client(url: str, body: bytes, stop: threading.Event, sink: list[Outcome], lock: threading.Lock) -> None:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CLIENT_TIMEOUT_S)
    mine: list[Outcome] = []
    while not stop.is_set():
        sent = time.monotonic()
        try:
            conn.request("POST", parts.path or "/invocations", body, {"Content-Type": "text/csv"})
            resp = conn.getresponse()
            status, text = resp.status, resp.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            status, text = 0, f"{type(exc).__name__}: {exc}"
        mine.append(Outcome(sent, time.monotonic(), status, text))
        if status != 200:
            time.sleep(random.uniform(0, BACKOFF_MAX_S))
    conn.close()
    with lock:
        sink.extend(mine)


def process_groups_rss(pgids: set[int]) -> int:
    """The summed resident memory (bytes) of every live process in the process groups `pgids`."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            pgrp = int(stat.rsplit(")", 1)[1].split()[2])
            if pgrp not in pgids:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total


def endpoint_pgids(endpoint) -> set[int]:
    """The process groups of a LocalEndpoint: each container's and the front end's (each its own session)."""
    pids = [c.pid for c in endpoint.supervisor.containers] + [endpoint.supervisor.frontend.pid]
    return {os.getpgid(pid) for pid in pids}


def send_load(url: str, body: bytes, clients: int, seconds: float, during=None, rss_of=None,
              sample_every_s: float = 0.25) -> Traffic:
    """`clients` threads each POST `body` in a loop for `seconds`; `during(started)` runs in this thread
    meanwhile (e.g. a kill); `rss_of()` (a set of process groups) is sampled every `sample_every_s`."""
    stop, lock, traffic = threading.Event(), threading.Lock(), Traffic()
    threads = [threading.Thread(target=_client, args=(url, body, stop, traffic.outcomes, lock), daemon=True)
               for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    sampler = None
    if rss_of is not None:
        def sample() -> None:
            while not stop.wait(sample_every_s):
                traffic.rss_samples.append((time.monotonic(), process_groups_rss(rss_of())))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    if during is not None:
        during(started)
    time.sleep(max(started + seconds - time.monotonic(), 0))
    stop.set()
    for thread in threads:
        thread.join(CLIENT_TIMEOUT_S + 5)
    if sampler is not None:
        sampler.join()
    assert not any(t.is_alive() for t in threads), "a client is stuck beyond its own timeout"
    traffic.outcomes.sort(key=lambda o: o.sent)
    return traffic


def memory_growth(samples: list[tuple[float, int]]) -> float:
    """Mean RSS of the last third of `samples` over that of the first third, minus 1 (0.05 = 5 % growth)."""
    third = max(len(samples) // 3, 1)
    first = sum(r for _, r in samples[:third]) / third
    last = sum(r for _, r in samples[-third:]) / third
    return last / first - 1
