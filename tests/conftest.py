"""Shared fixtures: the ../shared folder, one session-wide SparkSession, the abalone run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SPARKLEAP_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder not found at {SHARED} (set SPARKLEAP_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def abalone_csv(shared: Path) -> Path:
    return shared / "data" / "abalone.csv"


@pytest.fixture(scope="session")
def spark():
    from glue_jobs.spark_session import local_session

    session = local_session(app_name="sparkleap-tests", partitions=2)
    yield session
    session.stop()
