"""The front end's view of the state file: re-read when the file changes, at most RECENT_S stale on the
request path."""

from __future__ import annotations

import time

from serving.inference_pipeline import state
from serving.inference_pipeline.state import StateReader, write_state


def test_the_request_path_sees_a_new_state_within_recent_s_and_current_at_once(tmp_path):
    path = tmp_path / "state.json"
    write_state(path, {"generation": 1})
    reader = StateReader(path)
    assert reader.recent()["generation"] == 1
    write_state(path, {"generation": 2})
    assert reader.recent()["generation"] == 1  # checked moments ago: not stat'ed again
    assert reader.current()["generation"] == 2  # /status, /ping: always the file's
    write_state(path, {"generation": 3})
    time.sleep(state.RECENT_S * 1.5)
    assert reader.recent()["generation"] == 3
