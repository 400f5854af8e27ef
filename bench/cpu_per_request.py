"""CPU time per single-row request, per server process: the pipeline next to the two-hop echo chain.

`python -m bench.cpu_per_request [--requests N]`: unlike wall-clock latency, CPU time per request barely moves
when other work shares the cores, so it shows where a request's cost goes on a busy machine. Needs the
benchmark models in bench/cache (any `make bench` run builds them). Prints one line per server process.
"""

from __future__ import annotations

import argparse
import http.client
import os
from collections.abc import Iterator

from bench.containers import CSV
from bench.peers import echo_chain
from bench.workbench import QUICK, Workbench

ROW = b"M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\n"


def descendants() -> Iterator[int]:
    """Every process below this one (the servers it started and their workers)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(stat[1])
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    yield from sorted(found)


def cpu_seconds(pid: int) -> float:
    try:
        stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def command(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline").read().replace("\0", " ").strip()[-70:]
    except OSError:
        return "?"


def measure(label: str, port: int, requests: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def send(count: int) -> None:
        for _ in range(count):
            conn.request("POST", "/invocations", ROW, CSV)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise RuntimeError(f"{label}: answered {resp.status}")

    send(200)  # warm-up
    before = {pid: cpu_seconds(pid) for pid in descendants()}
    send(requests)
    spent = {pid: cpu_seconds(pid) - before.get(pid, 0.0) for pid in descendants()}
    total = sum(spent.values()) / requests * 1e6
    print(f"{label}: {total:.0f} µs CPU per request over all server processes ({requests} requests)")
    for pid, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        if seconds / requests * 1e6 >= 5:
            print(f"    {seconds / requests * 1e6:6.0f} µs  {command(pid)}")
    conn.close()


def main() -> None:
    from serving.inference_pipeline.description import default_pipeline
    from serving.inference_pipeline.local import LocalEndpoint

    parser = argparse.ArgumentParser(prog="bench.cpu_per_request", allow_abbrev=False,
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    wb = Workbench(QUICK)
    with echo_chain(wb, behind=2) as port:
        measure("two-hop echo chain (granian, keep-alive)", port, args.requests)
    pipeline = default_pipeline(str(wb.cache / "model" / "sparkml" / "model.tar.gz"),
                                str(wb.cache / "model" / "xgboost" / "model.tar.gz"))
    with LocalEndpoint(pipeline, workers=1, name="cpu-per-request") as endpoint:
        measure("pipeline (front end -> SparkML -> XGBoost)", int(endpoint.url.rsplit(":", 1)[1]), args.requests)


if __name__ == "__main__":
    main()
