"""The bundle `make run` writes (preprocess on abalone) in real MLeap 0.20: same features for all 4,177 rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

import bundles
from interop import frames
from interop.suite import real_mleap_transform, serving_frame

pytestmark = pytest.mark.interop
REPO = Path(__file__).resolve().parents[2]


def test_the_abalone_bundle_gives_the_same_features_in_real_mleap_0_20(abalone_run: Path, abalone_csv: Path):
    path = abalone_run / "sparkml" / "model.tar.gz"
    bundle = bundles.load_bundle(path)
    schema = json.loads((REPO / "schema" / "abalone.json").read_text())
    types = {c["name"]: c["type"] for c in bundle.serving_schema()["input"]}
    with open(abalone_csv, newline="") as f:
        raw = [dict(zip([c["name"] for c in schema["columns"]], cells, strict=True)) for cells in csv.reader(f)]
    rows = [{k: float(row[k]) if t == "double" else row[k] for k, t in types.items()} for row in raw]
    output = bundle.serving_schema()["output"]["name"]

    mleap = real_mleap_transform(path, serving_frame(bundle, rows), [output], "0.20.0")[output]
    ours = bundle.transform({k: np.array([r[k] for r in rows], dtype=object if t == "string" else np.float64)
                             for k, t in types.items()}).columns[output]
    assert len(mleap) == len(rows) == 4177
    assert frames.max_abs_diff(frames.column(ours), mleap) == 0.0
