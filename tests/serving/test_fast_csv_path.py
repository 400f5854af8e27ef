"""The columnar CSV path (pyarrow) answers exactly as the row-by-row path does, or steps aside for it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bundles import load_bundle
from serving.contract import Invocation
from serving.errors import BadInput
from serving.fastcsv import java_csv_lines, python_lines, read_matrix
from serving.schema import parse_schema
from serving.sparkml.app import SparkMLModel
from serving.xgboost.app import parse_csv


@pytest.fixture(scope="module")
def abalone_model(abalone_run) -> SparkMLModel:
    bundle = load_bundle(abalone_run / "sparkml" / "model.tar.gz")
    schema = parse_schema(json.loads((abalone_run / "schema.json").read_text()), "schema.json")
    return SparkMLModel(bundle, schema)


def rows_of(abalone_csv, count: int) -> list[str]:
    return [line.rsplit(",", 1)[0] for line in abalone_csv.read_text().splitlines()[:count]]


def one_by_one(model: SparkMLModel, rows: list[str]) -> bytes:
    return b"\n".join(model.invoke(Invocation(r.encode(), "text/csv", "text/csv")).body for r in rows)


def test_many_rows_give_the_same_bytes_as_one_row_at_a_time(abalone_model, abalone_csv):
    rows = rows_of(abalone_csv, 300)
    many = abalone_model.invoke(Invocation("\n".join(rows).encode(), "text/csv", "text/csv"))
    assert many.rows == 300
    assert many.body == one_by_one(abalone_model, rows)


@pytest.mark.parametrize("bad, message", [
    ("X,0.5,0.4,0.1,0.7,0.3,0.1,0.2", "row 7, column 'sex': Unseen label: X"),
    ("M,0.5,zero,0.1,0.7,0.3,0.1,0.2", "row 7"),
    ("M,0.5,0.4,0.1", "row 7"),
    ('"M",0.5,0.4,0.1,0.7,0.3,0.1,0.2', None),  # quoted: the row path parses it, same answer as unquoted M
])
def test_a_row_off_the_plain_path_gets_the_row_paths_exact_answer(abalone_model, abalone_csv, bad, message):
    rows = rows_of(abalone_csv, 12)
    rows[6] = bad
    request = Invocation("\n".join(rows).encode(), "text/csv", "text/csv")
    if message is None:
        assert abalone_model.invoke(request).body.split(b"\n")[6] == one_by_one(abalone_model, ["M" + bad[3:]])
        return
    with pytest.raises(BadInput) as caught:
        abalone_model.invoke(request)
    assert message in caught.value.message


def test_xgboost_matrix_equals_the_row_parser_and_empty_fields_are_nan():
    body = b"".join(b"1.5,,3e-3,-4\n" for _ in range(10))
    fast = read_matrix(body, 4)
    assert fast is not None and np.isnan(fast[:, 1]).all()
    np.testing.assert_array_equal(fast, parse_csv(body[:13], 4).repeat(10, axis=0))
    assert read_matrix(body, 5) is None  # width mismatch: the row parser names the row
    assert read_matrix(b"a,b\n1,2\n", 2) is None  # a header: the row parser answers 415
    with pytest.raises(BadInput) as caught:
        parse_csv(b"".join(b"1,2,3\n" for _ in range(9)) + b"1,2\n", 3)
    assert "row 10" in caught.value.message


def test_number_texts_match_python_and_java_byte_for_byte():
    from jvm.number_text import java_double

    rng = np.random.default_rng(1)
    values = np.concatenate([rng.normal(0, 1, 3000), rng.normal(0, 1e-5, 500), rng.normal(0, 1e12, 500),
                             np.round(rng.normal(0, 1e4, 500)), [0.0, -0.0, 1e7, 1e-3, 1e16, 1e-4, 5e-324,
                                                                 float("nan"), float("inf"), -float("inf")]])
    assert python_lines(values) == "".join(f"{v}\n" for v in values.tolist()).encode()
    matrix = values[: len(values) // 6 * 6].reshape(-1, 6)
    assert java_csv_lines(matrix) == "\n".join(",".join(map(java_double, r)) for r in matrix.tolist()).encode()


def test_number_texts_match_on_random_bit_patterns_and_short_decimals():
    from jvm.number_text import java_double

    rng = np.random.default_rng(18)
    bits = rng.integers(0, 2**64, 60_000, dtype=np.uint64).view(np.float64)
    decimals = np.round(rng.uniform(-1e4, 1e4, 60_000), 4) * 10.0 ** rng.integers(-9, 12, 60_000)
    near = np.array([1e-3, 1e7, 1e-4, 1e16]).repeat(5) * (1 + np.tile([-2e-16, -1e-16, 0, 1e-16, 2e-16], 4))
    values = np.concatenate([bits, decimals, near, np.arange(-50.0, 50.0), [0.0, -0.0]])
    assert python_lines(values) == "".join(f"{v}\n" for v in values.tolist()).encode()
    matrix = values[: len(values) // 9 * 9].reshape(-1, 9)
    assert java_csv_lines(matrix) == "\n".join(",".join(map(java_double, r)) for r in matrix.tolist()).encode()
