"""Fixtures for the preprocessing job: the abalone schema, fresh S3 buckets, CSV writers."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def abalone_schema() -> str:
    return str(REPO / "schema" / "abalone.json")


@pytest.fixture
def bucket(s3_server) -> str:
    """A new empty bucket on the local S3 server."""
    from base.storage import s3_client

    name = f"test-{uuid.uuid4().hex[:12]}"
    s3_client().create_bucket(Bucket=name)
    return name


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(name, text) -> path of a new file holding `text`."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    return write
