"""Reliability fixtures: the abalone pipeline fixtures of tests/pipeline and the serving test helpers, reused."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "serving") not in sys.path:
    sys.path.insert(0, str(TESTS / "serving"))  # serving_http, test_startup: imported, not copied


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_pipeline_fixtures = _module("pipeline_fixtures", TESTS / "pipeline" / "conftest.py")
abalone_pipeline = _pipeline_fixtures.abalone_pipeline
raw_rows = _pipeline_fixtures.raw_rows
