"""Reliability tests reuse the serving test helpers (serving_http, test_startup) by import."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS / "serving") not in sys.path:
    sys.path.insert(0, str(TESTS / "serving"))  # serving_http, test_startup: imported, not copied

