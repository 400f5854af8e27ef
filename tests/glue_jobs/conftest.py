"""Fixtures for the preprocessing job: the abalone schema, CSV writers."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def abalone_schema() -> str:
    return str(REPO / "schema" / "abalone.json")


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(name, text) -> path of a new file holding `text`."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    return write
