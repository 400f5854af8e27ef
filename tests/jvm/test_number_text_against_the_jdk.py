"""`java_double` against the JDK's own `Double.toString` (Java 17, which formats as the Java 8 of AWS's
sagemaker-sparkml-serving does) on well over 100,000 doubles."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest

from jvm.number_text import java_double
from tests.helpers.jdk import double_to_string

pytestmark = pytest.mark.interop


def golden_doubles() -> list[float]:
    """Random bit patterns, powers of ten and their neighbours, subnormals, the 1e-3 and 1e7 boundaries,
    values that need 17 digits to round-trip, and the special values."""
    rng = np.random.default_rng(20261130)
    values: list[float] = []
    bits = rng.integers(0, 2**64, size=60_000, dtype=np.uint64)
    values += [v for v in bits.view(np.float64).tolist() if math.isfinite(v)]
    for k in range(-324, 309):
        p = float(f"1e{k}")
        for v in (p, -p):
            values += [v, math.nextafter(v, math.inf), math.nextafter(v, -math.inf)]
        for m in range(2, 10):
            values.append(float(f"{m}e{k}"))
    values += [math.ldexp(float(m), -1074) for m in range(1, 2000)]  # smallest subnormals
    values += (rng.integers(1, 2**52, size=5_000, dtype=np.uint64).view(np.float64)).tolist()  # subnormals
    values += [5e-324, 2.2250738585072009e-308, 2.2250738585072014e-308, 1.7976931348623157e308]
    for edge in (1e-3, 1e7):
        v = edge
        for _ in range(200):
            values += [v, -v]
            v = math.nextafter(v, 0.0)
        v = edge
        for _ in range(200):
            v = math.nextafter(v, math.inf)
            values += [v, -v]
    values += (rng.uniform(1e-3, 1e7, 10_000)).tolist()
    values += (rng.uniform(0, 1, 10_000) * 10.0 ** rng.integers(-20, 20, 10_000)).tolist()
    seventeen = [v for v in rng.standard_normal(40_000).tolist() if len(repr(v).replace("-", "").replace(".", "")
                                                                           .split("e")[0].lstrip("0")) == 17]
    values += seventeen[:15_000]
    values += [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.1, 0.5, 100.0, 1e16, 123456789.0]
    return values


@pytest.fixture(scope="module")
def golden() -> tuple[list[float], list[str]]:
    """The golden doubles and the JDK's text of each."""
    values = golden_doubles()
    return values, double_to_string(values)


def test_java_double_equals_the_jdks_double_to_string_on_100k_doubles(golden):
    values, expected = golden
    assert len(values) >= 100_000
    assert len(expected) == len(values)
    wrong = [(v, struct.pack(">d", v).hex(), java_double(v), want)
             for v, want in zip(values, expected, strict=True) if java_double(v) != want]
    assert wrong[:20] == [] and len(wrong) == 0, f"{len(wrong)} of {len(values)} differ"


def test_the_per_row_csv_writer_equals_the_jdk_too(golden):
    """`codecs.csv_line` (what the SparkML container writes for a row of doubles) joins the JDK's text."""
    from serving.codecs import csv_line

    values, expected = golden
    wrong = [(i, csv_line(values[i:i + 9])) for i in range(0, len(values), 9)
             if csv_line(values[i:i + 9]) != ",".join(expected[i:i + 9])]
    assert wrong[:20] == [] and len(wrong) == 0, f"{len(wrong)} rows differ"


def test_the_columnar_csv_formatter_writes_the_jdks_text_byte_for_byte(golden):
    """`fastcsv.java_csv_lines` (what the SparkML container writes for many rows) against the JDK directly."""
    from serving.fastcsv import java_csv_lines

    values, expected = golden
    width = 9
    rows = len(values) // width
    matrix = np.array(values[: rows * width], dtype=np.float64).reshape(rows, width)
    lines = [",".join(expected[i * width:(i + 1) * width]) for i in range(rows)]
    assert java_csv_lines(matrix) == "\n".join(lines).encode()
