"""The Spark record we add to `bundle.json` (`bundles.provenance`) is invisible to real MLeap: 0.20.0 and 0.9.6
load such a bundle and transform it as they would without the key."""

from __future__ import annotations

import json
import zipfile

import pytest

import bundles
from interop import frames
from interop.catalogue import CASES
from interop.mleap import Harness, Task

pytestmark = pytest.mark.interop


@pytest.mark.parametrize(("version", "target"), [("0.20.0", "0.20"), ("0.9.6", "0.9")])
def test_real_mleap_loads_a_bundle_that_records_its_spark(tmp_path, version, target):
    bundle, sample = CASES["string_map"].build(None)
    bundle.info["spark"] = {"version": "4.3.0", "vector_lanes": 8}
    path = bundles.save_bundle(bundle, tmp_path / "recorded.zip", target=target)
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("bundle.json"))["spark"] == {"version": "4.3.0", "vector_lanes": 8}
    frame = tmp_path / "frame.json"
    frame.write_text(json.dumps(frames.mleap_frame(sample.fields, sample.rows)))
    (result,) = Harness(version).run([Task("transform", str(path), (str(frame), ",".join(sample.expected)))])
    assert "error" not in result, result
    got = frames.mleap_columns(result)
    assert {name: got[name] for name in sample.expected} == {name: frames.column(values)
                                                             for name, values in sample.expected.items()}
