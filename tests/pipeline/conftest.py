"""Fixtures for the pipeline tests: the abalone models and one local endpoint for the module."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from serving.pipeline.description import Pipeline, default_pipeline
from serving.pipeline.local import LocalEndpoint


@pytest.fixture(scope="session")
def abalone_pipeline(abalone_trained: Path) -> Pipeline:
    return default_pipeline(str(abalone_trained / "sparkml" / "model.tar.gz"),
                            str(abalone_trained / "xgboost" / "model.tar.gz"), str(abalone_trained / "schema.json"))


@pytest.fixture(scope="module")
def endpoint(abalone_pipeline: Pipeline, tmp_path_factory):
    state = tmp_path_factory.mktemp("endpoint") / "state.json"
    with LocalEndpoint(abalone_pipeline, workers=1, state_file=state) as running:
        yield running


@pytest.fixture(scope="session")
def raw_rows(abalone_csv: Path) -> list[str]:
    """Every abalone row as raw CSV text with the label (last column) removed."""
    with open(abalone_csv, newline="") as f:
        return [",".join(cells[:-1]) for cells in csv.reader(f) if cells]
