"""Real MLeap judges every op of the catalogue, both ways, at every pinned MLeap version.

ours->mleap: the bundle sparkleap writes (`--target 0.20`) loads in real MLeap and its transform equals ours
and Spark's. mleap->ours: real MLeap's own bundle writer re-writes it, sparkleap loads that bundle and gives
MLeap's numbers. A documented divergence (catalogue `divergence` / `mleap_error`) must still behave as
documented.
"""

from __future__ import annotations

import pytest

from interop.catalogue import CASES, judged
from interop.mleap import VERSIONS
from interop.suite import MLEAP_TO_OURS, OURS_TO_MLEAP

pytestmark = pytest.mark.interop


def check(entry) -> None:
    assert entry.agrees, (
        f"{entry.op} ({entry.direction}, MLeap {entry.version}): loaded={entry.loaded} rows={entry.rows} "
        f"MLeap vs ours {entry.max_abs_diff}, MLeap vs Spark {entry.spark_diff}\n{entry.error}")
    if not entry.expected_error and not entry.refused:
        assert entry.rows > 0


def judged_pairs(direction: str) -> list[tuple[str, str]]:
    return [(name, version) for version in VERSIONS for name in judged(version, direction)]


@pytest.mark.parametrize(("name", "version"), judged_pairs(OURS_TO_MLEAP))
def test_our_bundle_loads_in_real_mleap_with_the_same_numbers(entries, name, version):
    check(entries(version, OURS_TO_MLEAP)[name])


@pytest.mark.parametrize(("name", "version"), judged_pairs(MLEAP_TO_OURS))
def test_a_bundle_real_mleap_writes_loads_in_ours_with_the_same_numbers(entries, name, version):
    check(entries(version, MLEAP_TO_OURS)[name])


@pytest.mark.parametrize("name", list(CASES))
def test_our_runtime_gives_sparks_numbers_on_every_case(prepared, name):
    """Whatever real MLeap does, sparkleap's runtime reproduces Spark on each case's rows (its own tolerance)."""
    from interop.suite import compare

    case = prepared["0.20"][name]
    assert not case.refused, case.refused
    assert compare(case.ours, case.spark, case.outputs) <= case.case.tolerance


def test_the_p_infinity_normalizer_is_a_documented_mleap_limitation(entries, prepared):
    """Real MLeap reads p=inf back as NaN and refuses to transform; ours serves Spark's max-norm."""
    entry = entries("0.20.0", OURS_TO_MLEAP)["normalizer.inf"]
    assert entry.loaded and "p>=1" in entry.error
    case = prepared["0.20"]["normalizer.inf"]
    assert case.ours["n"] == case.spark["n"]


def test_real_mleap_clips_max_abs_scaling_to_one_where_spark_and_ours_do_not(prepared):
    """The documented MaxAbsScaler divergence, pinned: real MLeap's output is Spark's clipped to [-1, 1]."""
    import json

    import numpy as np

    from interop.suite import real_mleap_transform

    case = prepared["0.20"]["max_abs_scaler.beyond_the_fit_range"]
    mleap = real_mleap_transform(case.bundle, json.loads(case.frame.read_text()), ["s"], "0.20.0")["s"]
    spark = np.array(case.spark["s"], dtype=np.float64)
    assert np.abs(spark).max() > 1.0  # the rows reach beyond the fitted range
    np.testing.assert_array_equal(np.array(case.ours["s"], dtype=np.float64), spark)
    np.testing.assert_array_equal(np.array(mleap, dtype=np.float64), np.clip(spark, -1.0, 1.0))
