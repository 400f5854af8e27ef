"""`bundle.json`'s Spark record picks the summation order of a loaded bundle's model ops (`bundles.provenance`):
no record is Spark 3.5's Java11BLAS; a Spark 4 record is VectorBLAS with its lanes; a bad record is a BundleError
naming the file; the record survives a save/load round trip and reaches ops nested in pipelines."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import bundles
from bundles.ops.base import Shape
from bundles.ops.linear_regression import LinearRegression
from bundles.ops.pipeline import Pipeline
from bundles.provenance import vector_lanes
from jvm.linalg import JAVA11, MACHINE_LANES, DotWeights

pytestmark = pytest.mark.unit

RNG = np.random.default_rng(7)
COEFFICIENTS = RNG.normal(size=11)
ROWS = RNG.normal(size=(200, 11))


def saved(tmp_path, record: dict | None):
    op = LinearRegression("lr", Shape([("features", "features")], [("prediction", "prediction")]), COEFFICIENTS, 0.5)
    info = {"name": "p"} if record is None else {"name": "p", "spark": record}
    return bundles.save_bundle(bundles.Bundle(Pipeline("p", [op]), info), tmp_path / "b.zip")


@pytest.mark.parametrize(("record", "lanes"), [
    (None, JAVA11),
    ({"version": "3.5.7", "vector_lanes": 0}, JAVA11),
    ({"version": "4.3.0", "vector_lanes": 8}, 8),
    ({"version": "4.1.4", "vector_lanes": 4}, 4),
    ({"version": "4.0.5", "vector_lanes": 0}, JAVA11),  # Spark 4 with the Vector API module left out
    ({"version": "4.3.0"}, MACHINE_LANES),
    ({"version": "3.5.7"}, JAVA11),
])
def test_a_loaded_bundle_sums_in_the_order_of_the_spark_it_records(tmp_path, record, lanes):
    bundle = bundles.load_bundle(saved(tmp_path, record))
    want = DotWeights(COEFFICIENTS, vector_lanes=lanes).dot(ROWS) + 0.5
    got = bundle.transform({"features": ROWS}).columns["prediction"]
    np.testing.assert_array_equal(got, want)
    assert [bundle.transform_row({"features": row})["prediction"] for row in ROWS.tolist()] == want.tolist()
    if lanes != JAVA11:  # the orders differ on these rows: the test can tell them apart
        assert not np.array_equal(got, DotWeights(COEFFICIENTS).dot(ROWS) + 0.5)
    assert bundle.info.get("spark") == record
    again = bundles.load_bundle(bundles.save_bundle(bundle, tmp_path / "again"))
    np.testing.assert_array_equal(again.transform({"features": ROWS}).columns["prediction"], want)


@pytest.mark.parametrize("record", [
    "4.3.0", {"vector_lanes": 8}, {"version": 4}, {"version": "4.3.0", "vector_lanes": 3},
    {"version": "4.3.0", "vector_lanes": "8"}, {"version": "4.3.0", "vector_lanes": True},
])
def test_a_bad_spark_record_is_a_bundle_error_naming_bundle_json(tmp_path, record):
    path = saved(tmp_path, None)
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    info = json.loads((folder / "bundle.json").read_text())
    (folder / "bundle.json").write_text(json.dumps({**info, "spark": record}))
    with pytest.raises(bundles.BundleError, match=r"bundle\.json: 'spark'|bundle\.json: spark\.vector_lanes"):
        bundles.load_bundle(folder)


def test_versions_without_lanes_follow_their_launchers_default():
    assert vector_lanes({"spark": {"version": "4.0.0-preview2"}}, "b") == MACHINE_LANES
    assert vector_lanes({"spark": {"version": "3.5.1"}}, "b") == JAVA11
    assert vector_lanes({}, "b") == JAVA11
