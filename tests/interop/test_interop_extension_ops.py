"""What real MLeap 0.9.6 lacks among MLeap's extension ops, checked on the runtime itself (the catalogue reports
these cases as refused for --target 0.9): it has no MapEntrySelector, and its StringMap ignores handle_invalid."""

from __future__ import annotations

import json

import pytest

import bundles
from interop import frames
from interop.catalogue import CASES
from interop.mleap import Harness, Task

pytestmark = pytest.mark.interop


def run_in_mleap_096(tmp_path, names: list[str]) -> dict[str, dict]:
    """Each case's bundle written for MLeap 0.20, transformed by real MLeap 0.9.6 (one JVM)."""
    tasks = []
    for name in names:
        bundle, sample = CASES[name].build(None)
        path = bundles.save_bundle(bundle, tmp_path / f"{name}.zip", target="0.20")
        frame = tmp_path / f"{name}.frame.json"
        frame.write_text(json.dumps(frames.mleap_frame(sample.fields, sample.rows)))
        tasks.append(Task("transform", str(path), (str(frame), ",".join(sample.expected))))
    return dict(zip(names, Harness("0.9.6").run(tasks), strict=True))


def test_mleap_096_has_no_map_entry_selector_and_its_string_map_always_fails_on_a_missing_label(tmp_path):
    results = run_in_mleap_096(tmp_path, ["map_entry_selector", "string_map.keep_default", "string_map"])
    selector = results["map_entry_selector"]
    assert not selector.get("loaded") and "key not found: map_entry_selector" in selector["error"]  # no such op
    assert results["string_map.keep_default"]["loaded"]
    assert "key not found: zz" in results["string_map.keep_default"]["error"]  # keep/default_value are not read
    assert "error" not in results["string_map"]  # every label known: 0.9.6 maps them
