"""Concurrent clients on loopback against the local serial pipeline: no errors, one answer, flat memory.

Latency percentiles, throughput and memory growth are printed and written to `load-<clients>x<seconds>s.json`
under the pytest base temp dir. Memory is the resident size of every process of the endpoint (containers'
server masters and workers, front end), compared between the first and the last third of the run.
"""

from __future__ import annotations

import json

import pytest

from serving.inference_pipeline.local import LocalEndpoint
from tests.helpers.oracle import expected_reply
from tests.helpers.traffic import endpoint_pgids, memory_growth, percentile, send_load

pytestmark = pytest.mark.process  # starts server processes

WARM_UP_S = 1.0
MAX_MEMORY_GROWTH = 0.10
# (clients, seconds, memory growth bound): bounds are soak-only; `make test` checks the answers under load
LOADS = [pytest.param(8, 5, None, id="fast-8x5s"),
         pytest.param(50, 60, MAX_MEMORY_GROWTH, id="soak-50x60s", marks=pytest.mark.soak)]


@pytest.fixture
def endpoint(abalone_pipeline, tmp_path):
    with LocalEndpoint(abalone_pipeline, workers=1, state_file=tmp_path / "state.json") as running:
        yield running


@pytest.mark.parametrize("clients, seconds, max_growth", LOADS)
def test_concurrent_clients_get_only_correct_answers_and_memory_stays_flat(
        endpoint, raw_rows, clients, seconds, max_growth, tmp_path_factory, capsys, abalone_trained):
    row = raw_rows[0].encode()
    expected = expected_reply(abalone_trained, raw_rows[0])  # computed without the endpoint
    url = endpoint.url + "/invocations"
    send_load(url, row, clients, WARM_UP_S)  # connections opened, threads started, caches filled
    traffic = send_load(url, row, clients, seconds, rss_of=lambda: endpoint_pgids(endpoint))

    assert traffic.failed() == []
    assert {o.text for o in traffic.outcomes} == {expected}
    latencies_ms = [o.latency_s * 1000 for o in traffic.outcomes]
    growth = memory_growth(traffic.rss_samples)
    report = {
        "clients": clients, "seconds": seconds, "requests": len(traffic.outcomes), "errors": 0,
        "requests_per_s": round(len(traffic.outcomes) / seconds, 1),
        "latency_ms": {f"p{q}": round(percentile(latencies_ms, q), 2) for q in (50, 95, 99)}
        | {"max": round(max(latencies_ms), 2)},
        "rss_bytes": {"first": traffic.rss_samples[0][1], "last": traffic.rss_samples[-1][1],
                      "samples": len(traffic.rss_samples)},
        "memory_growth": round(growth, 4),
    }
    out = tmp_path_factory.getbasetemp() / f"load-{clients}x{seconds}s.json"
    out.write_text(json.dumps(report, indent=1))
    with capsys.disabled():
        print(f"\nload {clients}x{seconds}s: {json.dumps(report)} -> {out}")
    if max_growth is not None:  # the soak run: long enough for a leak to show
        assert len(traffic.rss_samples) >= 3
        assert growth < max_growth, report
