"""How many fuzz cases a reliability test runs: a quick pass in `make test`, >= 10 k under `make soak`."""

from __future__ import annotations

import pytest

FAST_CASES = 60
SOAK_CASES = 10_000

# Each fuzz test runs twice: a quick pass in `make test`, and >= 10 k cases under the soak marker.
CASES = [pytest.param(FAST_CASES, id="fast"), pytest.param(SOAK_CASES, id="soak", marks=pytest.mark.soak)]
