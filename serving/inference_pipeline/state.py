"""The running endpoint's state file: where the front end finds its containers, and what the CLI reports.

One JSON file per endpoint name, replaced atomically (temp name, then rename) by the supervisor:
`{"name", "generation", "supervisor_pid", "host", "port", "containers": [{"name", "kind", "model", "port",
"pid", "restarts"}], "update": {"status", "message"}?}`. `generation` grows by one with every traffic switch.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from base.atomic import write_atomic

RECENT_S = 0.05  # how stale the request path's view of the state may be (the supervisor drains for 2 s)


def state_dir() -> Path:
    """$SPARKLEAP_STATE_DIR, else a per-user folder under the system temp dir."""
    default = Path(tempfile.gettempdir()) / f"sparkleap-{os.getuid()}" / "endpoints"
    return Path(os.environ.get("SPARKLEAP_STATE_DIR", default))


def state_path(name: str) -> Path:
    return state_dir() / name / "state.json"


def write_state(path: Path, state: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(state, indent=1))


def read_state(path: Path) -> dict[str, Any]:
    """The state; OSError/ValueError when the file is missing or broken."""
    return json.loads(path.read_text())


class StateReader:
    """The front end's view of the state file, re-read only when the file changes: `current()` stats it on
    every call, `recent()` (the request path) at most every RECENT_S."""

    def __init__(self, path: Path):
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._state: dict[str, Any] = {}
        self._checked = -math.inf  # time.monotonic() of the last stat

    def current(self) -> dict[str, Any]:
        st = os.stat(self.path)
        self._checked = time.monotonic()
        stamp = (st.st_ino, st.st_mtime_ns)
        if stamp != self._stamp:
            self._state, self._stamp = read_state(self.path), stamp
        return self._state

    def recent(self) -> dict[str, Any]:
        """The state as of at most RECENT_S ago (well inside the supervisor's drain time after a switch)."""
        if time.monotonic() - self._checked < RECENT_S:
            return self._state
        return self.current()
