"""Fixtures of the interop suite: the catalogue fitted once, real MLeap run once per (version, direction).

With SPARKLEAP_INTEROP_REPORT=path (as `make interop` sets it) the session writes the report there and
prints it as a table.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ENTRIES: list = []  # every Entry computed this session, for the report


@pytest.fixture(scope="session")
def interop_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("interop")


@pytest.fixture(scope="session")
def prepared(spark, interop_dir: Path) -> dict:
    """{target: {case: Prepared}}: every catalogue case fitted once in Spark, bundled by sparkleap for every
    pinned version's target and run by our runtime."""
    from interop.catalogue import CASES
    from interop.mleap import VERSIONS
    from interop.suite import prepare

    targets = tuple(dict.fromkeys(runtime.target for runtime in VERSIONS.values()))
    by_case = {name: prepare(case, spark, interop_dir, targets) for name, case in CASES.items()}
    return {target: {name: by_case[name][target] for name in CASES} for target in targets}


@pytest.fixture(scope="session")
def entries(prepared: dict, interop_dir: Path):
    """entries(version, direction) -> {case name: Entry}; real MLeap runs once per pair, in one JVM."""
    from interop import suite
    from interop.mleap import VERSIONS

    cache: dict = {}

    def get(version: str, direction: str) -> dict:
        if (version, direction) not in cache:
            from interop.catalogue import judged

            cases = [prepared[VERSIONS[version].target][name] for name in judged(version, direction)]
            if direction == suite.OURS_TO_MLEAP:
                found = suite.ours_to_mleap(cases, version)
            else:
                found = suite.mleap_to_ours(cases, version, interop_dir)
            ENTRIES.extend(found)
            cache[version, direction] = {e.op: e for e in found}
        return cache[version, direction]

    return get


def pytest_terminal_summary(terminalreporter) -> None:
    target = os.environ.get("SPARKLEAP_INTEROP_REPORT")
    if not target or not ENTRIES:
        return
    from interop import report

    path = report.write(ENTRIES, Path(target))
    terminalreporter.write_line("")
    terminalreporter.write_line(report.table(ENTRIES))
    terminalreporter.write_line(f"interop report: {path}")
