"""Fuzzing the request readers: any input gives a value or a clear 4xx/SchemaError, never another exception."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serving import codecs
from serving.errors import ServingError
from serving.http_errors import status_of
from serving.schema import SchemaError, ServingSchema, parse_schema, rows_to_columns
from serving.xgboost.app import parse_csv, parse_libsvm
from tests.helpers.fuzz_cases import CASES

TYPES = ["boolean", "byte", "short", "int", "long", "float", "double", "string"]
CSV_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"))
CSV_ISH = st.lists(st.sampled_from([",", '"', "\n", "\r\n", "a", "1.5", " ", "é", "NaN", ""]), max_size=40).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


def fuzz(cases: int):
    return settings(max_examples=cases, deadline=None, suppress_health_check=list(HealthCheck))


def assert_client_error(exc: ServingError) -> None:
    assert 400 <= status_of(exc) < 500, status_of(exc)
    assert exc.message and "Traceback" not in exc.message


@pytest.mark.parametrize("cases", CASES)
def test_csv_reader_gives_records_or_a_400_for_any_bytes(cases):
    @fuzz(cases)
    @given(st.binary(max_size=300) | CSV_ISH.map(str.encode) | CSV_TEXT.map(str.encode))
    def check(body):
        try:
            records = codecs.read_csv(body)
        except ServingError as exc:
            assert_client_error(exc)
            return
        assert all(isinstance(r, list) and r and all(isinstance(f, str) for f in r) for r in records)

    check()


@pytest.mark.parametrize("cases", CASES)
def test_csv_records_written_by_csv_line_read_back_unchanged(cases):
    field = CSV_TEXT.filter(lambda s: "\r" not in s.replace("\r\n", ""))
    record = st.lists(field, min_size=1, max_size=6).filter(lambda r: r != [""])

    @fuzz(cases)
    @given(st.lists(record, min_size=1, max_size=5))
    def check(records):
        body = "\n".join(codecs.csv_line(r) for r in records).encode()
        assert codecs.read_csv(body) == records

    check()


@pytest.mark.parametrize("cases", CASES)
def test_json_and_jsonlines_readers_give_values_or_a_400(cases):
    @fuzz(cases)
    @given(st.binary(max_size=200) | JSON_VALUES.map(lambda v: json.dumps(v).encode()))
    def check(body):
        for reader in (codecs.read_json, codecs.read_jsonlines):
            try:
                reader(body)
            except ServingError as exc:
                assert_client_error(exc)

    check()


COLUMN = st.fixed_dictionaries(
    {"name": st.text(max_size=6) | st.integers()},
    optional={"type": st.sampled_from([*TYPES, "decimal", ""]) | JSON_VALUES,
              "struct": st.sampled_from(["basic", "vector", "array", "matrix"]) | JSON_VALUES},
)
SCHEMA_DOCS = st.fixed_dictionaries(
    {},
    optional={"input": st.lists(COLUMN, max_size=5) | JSON_VALUES, "output": COLUMN | JSON_VALUES,
              "extra": JSON_VALUES},
) | JSON_VALUES


@pytest.mark.parametrize("cases", CASES)
def test_schema_parser_gives_a_schema_or_a_schema_error(cases):
    @fuzz(cases)
    @given(SCHEMA_DOCS, st.booleans())
    def check(doc, as_text):
        try:
            schema = parse_schema(json.dumps(doc) if as_text else doc, source="fuzz")
        except SchemaError as exc:
            assert str(exc).startswith("fuzz")
            return
        assert isinstance(schema, ServingSchema) and schema.inputs

    check()


VALID_COLUMN = st.builds(lambda name, type_, vector: {"name": name, "type": "double", "struct": "vector"}
                         if vector else {"name": name, "type": type_},
                         st.text(min_size=1, max_size=5), st.sampled_from(TYPES), st.booleans())
CELL = (st.text(max_size=8) | st.sampled_from(["1", "-2", "1.5", "NaN", "Infinity", "true", " 3 ", "1e400", "9" * 20])
        | st.integers() | st.floats() | st.booleans() | st.none() | st.lists(st.floats() | st.integers(), max_size=3)
        | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@pytest.mark.parametrize("cases", CASES)
def test_rows_to_columns_gives_typed_columns_or_an_error_naming_the_row(cases):
    @fuzz(cases)
    @given(st.lists(VALID_COLUMN, min_size=1, max_size=4, unique_by=lambda c: c["name"]), st.data())
    def check(columns, data):
        schema = parse_schema({"input": columns, "output": {"name": "features", "type": "double", "struct": "vector"}})
        width = len(columns)
        rows = data.draw(st.lists(st.lists(CELL, min_size=width - 1, max_size=width + 1), min_size=1, max_size=4))
        try:
            out = rows_to_columns(schema, rows)
        except SchemaError as exc:
            assert "row " in str(exc) or "column " in str(exc)
            return
        assert list(out) == schema.names
        assert all(len(v) == len(rows) for v in out.values())
        for col in schema.inputs:
            if col.type in ("float", "double") and col.struct == "basic":  # float columns stay float32
                assert out[col.name].dtype == (np.float32 if col.type == "float" else np.float64)

    check()


@pytest.mark.parametrize("cases", CASES)
def test_xgboost_readers_give_a_matrix_or_a_4xx(cases):
    @fuzz(cases)
    @given(st.binary(max_size=200) | CSV_ISH.map(str.encode)
           | st.lists(st.lists(st.floats(allow_nan=False), min_size=1, max_size=4), min_size=1, max_size=4)
           .map(lambda rows: "\n".join(",".join(map(str, r)) for r in rows).encode()))
    def check(body):
        for reader in (parse_csv, lambda b: parse_libsvm(b, 4)):
            try:
                matrix = reader(body)
            except ServingError as exc:
                assert_client_error(exc)
                continue
            assert matrix.dtype == np.float64 and matrix.ndim == 2
            assert not any(math.isnan(x) for x in matrix.shape)

    check()
