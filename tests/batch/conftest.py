"""Fixtures for batch transform: the abalone pipeline, one endpoint for the module, input folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from serving.batch.engines.run import batch_pipeline
from serving.inference_pipeline.description import Pipeline
from serving.inference_pipeline.local import LocalEndpoint


@pytest.fixture(scope="session")
def pipeline(abalone_pipeline: Pipeline) -> Pipeline:
    """The abalone pipeline, under the name the batch tests use."""
    return abalone_pipeline


@pytest.fixture(scope="session")
def endpoint_url(pipeline: Pipeline, tmp_path_factory):
    state = tmp_path_factory.mktemp("batch-endpoint") / "state.json"
    with LocalEndpoint(batch_pipeline(pipeline), workers=1, state_file=state, name="batch-tests") as running:
        yield running.url


def write_files(folder: Path, contents: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in contents.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


@pytest.fixture
def make_files():
    """`make_files(folder, {name: text})` writes the files and returns the folder."""
    return write_files


@pytest.fixture
def three_files(tmp_path: Path, raw_rows: list[str]) -> Path:
    """Three CSV files (one in a subfolder) of 40, 7 and 25 rows."""
    return write_files(tmp_path / "in", {
        "a.csv": "\n".join(raw_rows[:40]) + "\n",
        "b.csv": "\n".join(raw_rows[40:47]) + "\n",
        "sub/c.csv": "\n".join(raw_rows[47:72]) + "\n",
    })
