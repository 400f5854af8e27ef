"""Issue 7 (and 18): the local serial pipeline (`sparkleap deploy local`: front end -> SparkML -> XGBoost).

Cold start: seconds from the command to the front end's /ping 200 (every container pinged). Single-row
latency p50/p99 through the pipeline next to a bare two-hop echo chain (an echo front end passing the
body through two echo servers in turn: the same processes and HTTP hops, no model) on the same stack
(Flask on granian, keep-alive), in the same run: both are up at once and their runs alternate, and the ratio
is the median of the rounds' ratios. The client keeps its connection open, as SDK clients do.
One client, sequential requests, one worker per container.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from base.processes import ServerProcess, free_port
from bench.containers import CSV, csv_body, raw_rows
from bench.core import Entry, Spec, Stats, Target, entry, percentile
from bench.loopback import latencies
from bench.peers import echo_chain
from bench.workbench import Workbench, python_env

ECHO = "bare two-hop echo chain, same stack (Flask on granian, keep-alive)"
OVERHEAD = "ours ÷ peer (× slower)"
COLD_START = Spec("Pipeline: cold start (command -> all pings 200)", "s", 7, target=Target("max", 3.0))
P50 = Spec("Pipeline: single-row latency p50", "ms", 18, target=Target("max", 2.0), peer=ECHO,
           ratio_means=OVERHEAD, ratio_is_overhead=True)
P99 = Spec("Pipeline: single-row latency p99", "ms", 18, target=Target("max", 5.0), peer=ECHO,
           ratio_means=OVERHEAD, ratio_is_overhead=True)
P50_RATIO = Spec("Pipeline: single-row p50 vs two-hop echo chain", "×", 18, target=Target("max", 1.3, on="ratio"),
                 peer=ECHO, ratio_means=OVERHEAD, ratio_is_overhead=True)
SPECS = [COLD_START, P50, P99, P50_RATIO]
ROUNDS_PER_REPEAT = 3  # alternating rounds per repeat (each of requests / 3 requests)


def deploy_local(wb: Workbench, port: int) -> ServerProcess:
    argv = [sys.executable, "-m", "sparkleap.cli", "deploy", "local", "--sparkml-model", str(wb.bundle_path),
            "--xgboost-model", str(wb.booster_path), "--port", str(port), "--workers", "1",
            "--name", f"bench-{port}"]
    env = {**python_env(), "SPARKLEAP_STATE_DIR": str(wb.cache / "endpoints")}
    return ServerProcess(argv, env, port, wb.cache / "logs" / "pipeline.log")


def alternating(wb: Workbench, ports: list[int], body: bytes) -> list[tuple[Stats, Stats]]:
    """(p50, p99) of each server on `ports` (keep-alive clients) over ROUNDS_PER_REPEAT x repeats rounds, the
    servers taking turns within each round, so that the machine's drift (large on this shared VM: a run's p50
    moves by 20 % from one minute to the next) weighs on every server alike."""
    for port in ports:
        latencies(port, body, CSV, 200, 30, keep_alive=True)  # warm-up
    runs: dict[int, list[list[float]]] = {port: [] for port in ports}
    requests = max(wb.sizes.requests // ROUNDS_PER_REPEAT, 100)
    for _ in range(wb.sizes.repeats * ROUNDS_PER_REPEAT):
        for port in ports:
            runs[port].append(latencies(port, body, CSV, requests, 60, keep_alive=True))
    return [_p50_p99(runs[port]) for port in ports]


def _p50_p99(runs: list[list[float]]) -> tuple[Stats, Stats]:
    return Stats([percentile(r, 0.5) * 1e3 for r in runs]), Stats([percentile(r, 0.99) * 1e3 for r in runs])


def measure(wb: Workbench) -> Iterator[Entry]:
    one = csv_body(raw_rows(wb, 1))
    wb.bundle_path, wb.booster_path  # noqa: B018 - build the models before the clock starts
    starts = []
    for _ in range(wb.sizes.repeats):
        with deploy_local(wb, free_port()) as server:
            starts.append(server.wait_ready(timeout=120))
    yield entry(COLD_START, Stats(starts))
    port = free_port()
    with echo_chain(wb, behind=2) as echo_port, deploy_local(wb, port) as server:
        server.wait_ready(timeout=120)
        (p50, p99), (echo_p50, echo_p99) = alternating(wb, [port, echo_port], one)
    yield entry(P50, p50, echo_p50)
    yield entry(P99, p99, echo_p99)
    ratios = Stats([ours / echo for ours, echo in zip(p50.samples, echo_p50.samples, strict=True)])
    yield entry(P50_RATIO, ratios, 1.0)
