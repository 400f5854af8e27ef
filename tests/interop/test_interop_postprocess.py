"""A classifier's post-processing bundle in real MLeap 0.20 (what AWS's sagemaker-sparkml-serving 3.3 runs):
the same `[class, probability]` as our runtime and as computed from the probabilities, ties and edges
included."""

from __future__ import annotations

import numpy as np
import pytest

import bundles
from interop.suite import real_mleap_transform, serving_frame
from training import postprocess

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("k", [2, 4])
def test_real_mleap_answers_class_and_probability_as_ours(k, tmp_path):
    rng = np.random.default_rng(10 + k)
    classes = [f"class {i}" for i in range(k)]
    if k == 2:
        probs = np.r_[rng.random(200), [0.5, np.nextafter(0.5, 1), 0.0, 1.0, 0.0005, 0.4995]]
        rows = [{"p1": float(p)} for p in probs]
    else:
        probs = np.vstack([rng.dirichlet(np.ones(k), 200), [[0.25] * 4, [0.4, 0.4, 0.1, 0.1]]])
        rows = [{f"p{i}": float(r[i]) for i in range(k)} for r in probs]
    path = postprocess.write(tmp_path, "binary:logistic" if k == 2 else "multi:softprob", classes)
    bundle = bundles.load_bundle(path)
    mleap = real_mleap_transform(path, serving_frame(bundle, rows), [postprocess.OUTPUT], "0.20.0")
    ours = bundle.transform({c: np.array([r[c] for r in rows]) for c in rows[0]}).column(postprocess.OUTPUT)
    expected = postprocess.expected(probs, classes)
    assert [list(x) for x in mleap[postprocess.OUTPUT]] == [list(x) for x in ours] == expected
