"""Fixtures for the bundle library tests: the real MLeap bundles in ../shared/real_bundles."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def real_bundles(shared: Path) -> Path:
    return shared / "real_bundles"


@pytest.fixture(scope="session")
def titanic(real_bundles: Path) -> Path:
    return real_bundles / "aws__sagemaker-python-sdk@35484d21a" / "tests" / "data"
