"""Issues 5, 6 and 28: the SparkML and XGBoost containers over loopback HTTP (`sparkleap serve`, granian).

SparkML: single-row request latency p50/p99 next to a bare one-hop echo on the same stack; rows/s for 1000-row
CSV requests next to the same transform in-process. XGBoost: predictions/s for 1- and 10 000-row
requests next to `Booster.inplace_predict` in-process. One client, sequential requests.
Images (issue 28): each Dockerfile target replayed and started locked down as the image tier starts it
(`image_replay/isolated.py`: uid 65534, read-only root, no network, the default two workers here): the time
from process start to the first healthy /ping, and the memory of all its processes after 1000-row
requests (RSS summed; PSS, which splits shared pages, alongside), next to `sparkleap serve` from the
development venv with the same model and workers.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from base.processes import ServerProcess, free_port
from bench.core import Entry, Spec, Stats, entry, percentile, repeat, timed
from bench.loopback import latencies
from bench.peers import echo_chain
from bench.workbench import CATEGORICAL, NUMERIC, Workbench, python_env, read_abalone

OVERHEAD = "ours ÷ peer (× slower)"
BETTER = "ours ÷ peer (× more rows/s)"
ECHO = "bare echo, one hop, same stack (Flask on granian)"
SPARKML_P50 = Spec("SparkML container: single-row latency p50", "ms", 5, peer=ECHO, ratio_means=OVERHEAD,
                   ratio_is_overhead=True)
SPARKML_P99 = Spec("SparkML container: single-row latency p99", "ms", 5, peer=ECHO, ratio_means=OVERHEAD,
                   ratio_is_overhead=True)
SPARKML_ROWS = Spec("SparkML container: 1000-row CSV requests", "rows/s", 5,
                    peer="Bundle.transform in-process, 1000 rows (no HTTP, no CSV)", ratio_means=BETTER,
                    lower_is_better=False)
XGB_ONE = Spec("XGBoost container: 1-row requests", "predictions/s", 6,
               peer="Booster.inplace_predict in-process, 1 row", ratio_means=BETTER, lower_is_better=False)
XGB_MANY = Spec("XGBoost container: 10 000-row requests", "predictions/s", 6,
                peer="Booster.inplace_predict in-process, 10 000 rows", ratio_means=BETTER, lower_is_better=False)
PLAIN = "sparkleap serve from the development venv, same model, 2 workers, as root"
IMAGE_START = {kind: Spec(f"{label} image: start to healthy /ping (uid 65534, read-only, no network)", "s", 28,
                          peer=PLAIN, ratio_means=OVERHEAD, ratio_is_overhead=True)
               for kind, label in (("sparkml", "SparkML"), ("xgboost", "XGBoost"))}
IMAGE_RSS = {kind: Spec(f"{label} image: RSS of all processes after 1000-row requests", "MB", 28, peer=PLAIN,
                        ratio_means=OVERHEAD, ratio_is_overhead=True)
             for kind, label in (("sparkml", "SparkML"), ("xgboost", "XGBoost"))}
SPECS = [SPARKML_P50, SPARKML_P99, SPARKML_ROWS, XGB_ONE, XGB_MANY, *IMAGE_START.values(), *IMAGE_RSS.values()]
CSV = {"Content-Type": "text/csv", "Accept": "text/csv"}


@contextlib.contextmanager
def container(wb: Workbench, kind: str, model: Path, workers: int = 2) -> Iterator[int]:
    """`sparkleap serve KIND` on a free loopback port, ready; yields the port."""
    with started_plain(wb, kind, model, workers) as (server, _):
        yield server.port


@contextlib.contextmanager
def started_plain(wb: Workbench, kind: str, model: Path, workers: int = 2) -> Iterator[tuple[ServerProcess, float]]:
    """(the ready `sparkleap serve KIND` process, seconds from its start to its first healthy /ping)."""
    port = free_port()
    env = {**python_env(), "SM_MODEL_DIR": str(model), "SAGEMAKER_BIND_TO_PORT": str(port),
           "SAGEMAKER_MODEL_SERVER_WORKERS": str(workers)}
    argv = [sys.executable, "-m", "sparkleap.cli", "serve", kind]
    with ServerProcess(argv, env, port, wb.cache / "logs" / f"{kind}.log") as server:
        yield server, server.wait_ready(timeout=120)


def csv_body(rows: list[list]) -> bytes:
    return "".join(",".join(str(v) for v in r) + "\n" for r in rows).encode()


def raw_rows(wb: Workbench, count: int) -> list[list]:
    cols = read_abalone(wb.data(wb.sizes.batch_rows))
    return [[cols[n][i] for n in CATEGORICAL + NUMERIC] for i in range(count)]


def latency_percentiles(wb: Workbench, port: int, body: bytes, count: int | None = None) -> tuple[Stats, Stats]:
    """(p50 ms, p99 ms) per repeat of `count` sequential requests (one warm-up loop first)."""
    count = count or wb.sizes.requests
    latencies(port, body, CSV, min(count, 200), 30)
    runs = [latencies(port, body, CSV, count, 60) for _ in range(wb.sizes.repeats)]
    return (Stats([percentile(r, 0.5) * 1e3 for r in runs]), Stats([percentile(r, 0.99) * 1e3 for r in runs]))


def rows_per_second(wb: Workbench, port: int, body: bytes, rows: int, count: int) -> Stats:
    latencies(port, body, CSV, 3, 30)
    return Stats([rows * len(r) / sum(r) for r in (latencies(port, body, CSV, count, 60)
                                                   for _ in range(wb.sizes.repeats))])


def measure(wb: Workbench) -> Iterator[Entry]:
    rows = raw_rows(wb, 10_000)
    one = csv_body(rows[:1])
    with echo_chain(wb) as echo_port:
        echo_p50, echo_p99 = latency_percentiles(wb, echo_port, one)
    with container(wb, "sparkml", wb.bundle_path) as port:
        p50, p99 = latency_percentiles(wb, port, one)
        yield entry(SPARKML_P50, p50, echo_p50)
        yield entry(SPARKML_P99, p99, echo_p99)
        thousand = csv_body(rows[:1000])
        served = rows_per_second(wb, port, thousand, 1000, max(10, wb.sizes.requests // 30))
    cols = {n: np.array([r[j] for r in rows[:1000]], dtype=object if n in CATEGORICAL else np.float64)
            for j, n in enumerate(CATEGORICAL + NUMERIC)}
    in_process = repeat(lambda: 1000 / timed(lambda: wb.bundle.transform(dict(cols))), wb.sizes.repeats)
    yield entry(SPARKML_ROWS, served, in_process)

    features = wb.features({n: np.array([r[j] for r in rows], dtype=object if n in CATEGORICAL else np.float64)
                            for j, n in enumerate(CATEGORICAL + NUMERIC)})
    booster = wb.booster
    with container(wb, "xgboost", wb.booster_path) as port:
        single = rows_per_second(wb, port, csv_body(features[:1].tolist()), 1, wb.sizes.requests)
        local_single = repeat(lambda: 200 / timed(lambda: [booster.inplace_predict(features[i:i + 1])
                                                           for i in range(200)]), wb.sizes.repeats)
        yield entry(XGB_ONE, single, local_single)
        many = rows_per_second(wb, port, csv_body(features.tolist()), len(features),
                               max(5, wb.sizes.requests // 100))
        local_many = repeat(lambda: len(features) / timed(lambda: booster.inplace_predict(features)),
                            wb.sizes.repeats)
        yield entry(XGB_MANY, many, local_many)
    yield from image_figures(wb, {"sparkml": (wb.bundle_path, csv_body(rows[:1000])),
                                  "xgboost": (wb.booster_path, csv_body(features[:1000].tolist()))})


def image_figures(wb: Workbench, models: dict[str, tuple[Path, bytes]]) -> Iterator[Entry]:
    """Per image: start time and memory locked down (replayed image) next to the plain server (2 workers)."""
    from image_replay.isolated import image_root, memory_mb, remove, started
    from image_replay.replay import replay

    for kind, (model, body) in models.items():
        root = image_root(kind)
        try:
            image = replay(kind, root)
            locked, plain, rss, plain_rss, pss = [], [], [], [], []
            for _ in range(wb.sizes.repeats):
                with started(image, model, SAGEMAKER_MODEL_SERVER_WORKERS="2") as server:
                    for _ in range(3):
                        assert server.post(body).status == 200
                    locked.append(server.start_seconds)
                    rss_mb, pss_mb = server.memory_mb()
                    rss.append(rss_mb)
                    pss.append(pss_mb)
                    server.stop()
                with started_plain(wb, kind, model) as (process, seconds):
                    for _ in range(3):
                        latencies(process.port, body, CSV, 1, 60)
                    plain.append(seconds)
                    plain_rss.append(memory_mb(process.pid)[0])
        finally:
            remove(root)
        yield entry(IMAGE_START[kind], Stats(locked), Stats(plain))
        yield entry(IMAGE_RSS[kind], Stats(rss), Stats(plain_rss), pss_mb=round(Stats(pss).median, 1))
