"""The dct op against JTransforms 3.1 itself (PySpark's own JARs, run by the JDK, as Spark's `DCT` calls it):
every output bit-identical (signed zeros included; NaN where Java gives NaN), forward and inverse, one row at a
time and columnar, for every size 1..300 and larger sizes on each of JTransforms' paths (split radix, FFTPACK
mixed radix, Bluestein, the 2-thread branches from n = 8192)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bundles
from bundles.ops.base import Shape
from bundles.ops.dct import DCT
from bundles.spark import bundle_from_spark
from tests.helpers.jdk import jtransforms_dct

pytestmark = pytest.mark.interop

PRIMES = [p for p in range(2, 300) if all(p % d for d in range(2, math.isqrt(p) + 1))]
SMOOTH = sorted({2 ** a * 3 ** b * 5 ** c * 7 ** d for a in range(9) for b in range(6) for c in range(4)
                 for d in range(3) if 2 ** a * 3 ** b * 5 ** c * 7 ** d <= 300})
# Beyond 1..64, a size on each path: FFTPACK radix 4, 2, 3, 5 and the generic radix (2n = 2 * 7 * 11, 2 * 199, ...),
# Bluestein (a factor >= 211 left: 211, 293, 1001 = 7 * 11 * 13), and n >= 8192 (JTransforms' 2-thread branches).
PATHS = [96, 100, 105, 128, 135, 143, 154, 199, 210, 211, 256, 293, 300, 512, 1000, 1001, 1024, 8192, 16384]


def bits(values) -> list[int | str]:
    """The IEEE bit patterns, every NaN as "nan" (Java and NumPy may carry different NaN payloads)."""
    array = np.asarray(values, dtype=np.float64)
    return ["nan" if math.isnan(x) else int(b) for x, b in zip(array.tolist(), array.view(np.int64).tolist(),
                                                                strict=True)]


def magnitudes(rng: np.random.Generator, n: int) -> list[float]:
    """Values of mixed sign and scale: zeros (both signs), integers, huge and tiny (subnormal) magnitudes."""
    scale = 10.0 ** rng.choice([0, 0, 0, 3, -3, 150, -150, 300, -310], size=n)
    values = rng.standard_normal(n) * scale
    values[rng.random(n) < 0.15] = 0.0
    values[rng.random(n) < 0.05] = -0.0
    small = rng.random(n) < 0.1
    values[small] = rng.integers(-5, 5, size=int(small.sum()))
    return values.tolist()


def ours(inverse: bool, rows: list[list[float]]) -> tuple[list[list[float]], list[list[float]]]:
    """(one row at a time, columnar) outputs of our dct op."""
    op = DCT("dct", Shape.single("v", "out"), inverse)
    single = [op.dense_row(list(row)) for row in rows]
    columnar = op.dense(np.array(rows, dtype=np.float64)).tolist()
    return single, columnar


def check_against_the_jvm(cases: list[tuple[bool, list[list[float]]]]) -> None:
    """Each case: (inverse, rows of one size); all rows go to one JVM run."""
    wanted = iter(jtransforms_dct([(inverse, row) for inverse, rows in cases for row in rows]))
    wrong = []
    for inverse, rows in cases:
        single, columnar = ours(inverse, rows)
        for i, row in enumerate(rows):
            want = bits(next(wanted))
            for how, got in (("single-row", single[i]), ("columnar", columnar[i])):
                if bits(got) != want:
                    wrong.append(f"n={len(row)} {'inverse' if inverse else 'forward'} {how} row {i}")
    assert wrong == [], f"{len(wrong)} differ from JTransforms, first: {wrong[:5]}"


def sweep(sizes: list[int], rows: int) -> None:
    rng = np.random.default_rng(20261201)
    check_against_the_jvm([(inverse, [magnitudes(rng, n) for _ in range(rows)])
                           for n in sizes for inverse in (False, True)])


def test_sizes_1_to_64_and_a_size_on_each_jtransforms_path_are_bit_identical_to_the_jvm():
    sweep([*range(1, 65), *PATHS], rows=2)


@pytest.mark.soak
def test_every_size_up_to_300_and_large_bluestein_sizes_are_bit_identical_to_the_jvm():
    sweep([*range(1, 301), 4099, 10007], rows=3)


VALUES = st.one_of(st.just(0.0), st.just(-0.0), st.integers(-9, 9).map(float), st.floats(-1e3, 1e3),
                   st.floats(-1e300, 1e300), st.floats(-1e-300, 1e-300))  # huge, and tiny down to subnormals


@st.composite
def vectors(draw, n: int) -> list[float]:
    """n values; one in ten vectors carries an infinity or a NaN (which turn most of the output into NaN)."""
    values = draw(st.lists(VALUES, min_size=n, max_size=n))
    if draw(st.integers(0, 9)) == 0:
        values[draw(st.integers(0, n - 1))] = draw(st.sampled_from([math.inf, -math.inf, math.nan]))
    return values


@st.composite
def dct_cases(draw) -> list[tuple[bool, list[list[float]]]]:
    sizes = draw(st.lists(st.sampled_from(sorted({*PRIMES, *SMOOTH, *(2 ** k for k in range(9))})), min_size=1,
                          max_size=6))
    return [(draw(st.booleans()), draw(st.lists(vectors(n), min_size=1, max_size=3))) for n in sizes]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases=dct_cases())
def test_random_vectors_of_random_sizes_equal_jtransforms_bit_for_bit(cases):
    check_against_the_jvm(cases)


SPARK_SIZES = [1, 2, 3, 7, 16, 30, 64, 100, 211]  # one path each: trivial, split radix, mixed radix, Bluestein


def test_sparks_dct_on_wider_vectors_equals_the_bundle_runtime_bit_for_bit(spark, tmp_path):
    """Spark's own DCT stages (forward and inverse, one input column per size), bundled, written and read back:
    every row bit-identical, columnar and single-row."""
    from pyspark.ml import PipelineModel
    from pyspark.ml.feature import DCT as SparkDCT
    from pyspark.ml.linalg import Vectors

    rng = np.random.default_rng(7)
    names = [f"v{n}" for n in SPARK_SIZES]
    rows = [[Vectors.dense(magnitudes(rng, n)) for n in SPARK_SIZES] for _ in range(6)]
    data = spark.createDataFrame(rows, names)
    model = PipelineModel(stages=[SparkDCT(inverse=inverse, inputCol=c, outputCol=f"{c}_{inverse}")
                                  for c in names for inverse in (False, True)])
    out = [r.asDict() for r in model.transform(data).collect()]
    bundle = bundles.load_bundle(bundles.save_bundle(bundle_from_spark(model, data), tmp_path / "dct.zip"))
    frame = bundle.transform({c: np.array([r[c].toArray() for r in out]) for c in names})
    outputs = [f"{c}_{inverse}" for c in names for inverse in (False, True)]
    for i, r in enumerate(out):
        single = bundle.transform_row({c: r[c].toArray().tolist() for c in names})
        for name in outputs:
            want = bits(r[name].toArray())
            assert bits(frame.columns[name][i]) == want, f"columnar, row {i}, {name}"
            assert bits(single[name]) == want, f"single-row, row {i}, {name}"
