"""Servers listen on 127.0.0.1 unless told otherwise: the pipeline front end and its containers, and a lone
`sparkleap serve` (which opts in to 0.0.0.0 with SPARKLEAP_BIND_HOST, as containers on AWS do). Checked in
the kernel's socket table, and by connecting through this machine's non-loopback address where it has one."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from serving.inference_pipeline.local import LocalEndpoint
from tests.helpers.servers import TITANIC, TITANIC_SCHEMA, running, schema_json

pytestmark = pytest.mark.process  # starts server processes

LISTEN = "0A"


def listening_addresses(port: int) -> set[str]:
    """Every local address with a TCP socket in LISTEN state on `port` (IPv4 and IPv6), e.g. {"127.0.0.1"}."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] == LISTEN and int(port_hex, 16) == port:
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word in host (little-endian) order
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(socket.inet_ntop(family, raw))
    return found


def non_loopback_ipv4() -> str | None:
    """One of this machine's own IPv4 addresses outside 127/8, from the kernel's routing table, or None."""
    try:
        lines = Path("/proc/net/fib_trie").read_text().splitlines()
    except OSError:
        return None
    for previous, line in zip(lines, lines[1:], strict=False):
        if "host LOCAL" in line:
            address = previous.split()[-1]
            if not address.startswith("127."):
                return address
    return None


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def assert_loopback_only(port: int) -> None:
    assert listening_addresses(port) == {"127.0.0.1"}
    other = non_loopback_ipv4()
    if other is not None:
        assert not reachable(other, port), f"port {port} answers on {other}"


def test_the_pipeline_front_end_and_its_containers_listen_on_loopback_only(abalone_pipeline, tmp_path):
    with LocalEndpoint(abalone_pipeline, workers=1, state_file=tmp_path / "state.json") as endpoint:
        ports = [urlsplit(endpoint.url).port, *(c.port for c in endpoint.supervisor.containers)]
        for port in ports:
            assert_loopback_only(port)


@pytest.fixture
def titanic_bundle(shared: Path) -> Path:
    return shared / TITANIC / "sparkml_model" / "mleap_model.tar.gz"


def test_a_lone_container_listens_on_loopback_by_default(titanic_bundle):
    with running("sparkml", titanic_bundle, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA)) as server:
        assert_loopback_only(urlsplit(server.url).port)


def test_a_container_opts_in_to_every_address(titanic_bundle):
    with running("sparkml", titanic_bundle, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA),
                 SPARKLEAP_BIND_HOST="0.0.0.0") as server:
        port = urlsplit(server.url).port
        assert listening_addresses(port) == {"0.0.0.0"}
        other = non_loopback_ipv4()
        if other is not None:
            assert reachable(other, port)
