"""Fixtures for the pipeline tests: one local abalone endpoint for the module."""

from __future__ import annotations

import pytest

from serving.inference_pipeline.description import Pipeline
from serving.inference_pipeline.local import LocalEndpoint


@pytest.fixture(scope="module")
def endpoint(abalone_pipeline: Pipeline, tmp_path_factory):
    state = tmp_path_factory.mktemp("endpoint") / "state.json"
    with LocalEndpoint(abalone_pipeline, workers=1, state_file=state) as running:
        yield running
