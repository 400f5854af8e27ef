"""Resolving real MLeap: a missing Maven or artifact is a clear failure naming what could not be resolved."""

from __future__ import annotations

import pytest

from interop import frames, mleap

pytestmark = pytest.mark.interop


def test_missing_maven_names_the_tool_and_the_artifact(tmp_path, monkeypatch):
    monkeypatch.setattr(mleap, "CACHE", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(mleap.ResolveError, match=r"mvn not found .*ml\.combust\.mleap:mleap-runtime_2\.12:0\.20\.0"):
        mleap.ensure_runtime("0.20.0")


def test_an_artifact_maven_cannot_resolve_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(mleap, "CACHE", tmp_path)
    monkeypatch.setitem(mleap.VERSIONS, "0.0.404", mleap.Runtime("2.12", "0.20"))
    missing = r"Maven could not resolve ml\.combust\.mleap:mleap-runtime_2\.12:0\.0\.404"
    with pytest.raises(mleap.ResolveError, match=missing):
        mleap.ensure_runtime("0.0.404")
    assert not (tmp_path / "0.0.404" / "lib").exists()


def test_mleap_json_values_compare_as_plain_values():
    sparse = {"indices": [[1]], "values": [2.5], "dimensions": [3]}
    assert frames.plain(sparse) == [0.0, 2.5, 0.0]
    assert frames.plain({"values": [1.0, None], "dimensions": [2]})[0] == 1.0
    assert frames.max_abs_diff(frames.column([None, "a", [1.0]]), [float("nan"), "a", [1.0]]) == 0.0
    assert frames.max_abs_diff([1.0], [1.5]) == 0.5
    assert frames.max_abs_diff(["a"], ["b"]) == float("inf")
    assert frames.max_abs_diff([[1.0, 2.0]], [[1.0]]) == float("inf")
