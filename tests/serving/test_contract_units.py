"""The pure pieces of the serving contract, in-process: Accept negotiation, Java value parsing of the
serving schema, Prometheus rendering, CSV/libsvm parsing of the XGBoost container."""

from __future__ import annotations

import math

import numpy as np
import pytest

from serving import codecs
from serving.contract import default_accept, resolve_accept
from serving.errors import NotAcceptable
from serving.http_errors import status_of
from serving.metrics import Metrics
from serving.schema import Column, SchemaError, parse_schema, parse_value, rows_to_columns
from serving.sparkml.app import _is_row_list
from serving.xgboost.app import _is_pickle, parse_csv, parse_libsvm, sniff_delimiter

SPARKML_ACCEPTS = (codecs.CSV, codecs.JSONLINES, codecs.JSONLINES_TEXT)


@pytest.mark.parametrize("header, want", [
    ("", "text/csv"), ("*/*", "text/csv"), ("*/*;q=0.1", "text/csv"),
    ("application/jsonlines", "application/jsonlines"),
    ("Application/JSONLines; data=text", "application/jsonlines;data=text"),
    ("text/csv; charset=UTF-8", "text/csv"),
    ("application/json, application/jsonlines;q=0.5", "application/jsonlines"),
    ("application/*", "application/jsonlines"),
    ("image/png, */*", "text/csv"),
])
def test_accept_resolution(header, want):
    assert resolve_accept(header, SPARKML_ACCEPTS, "text/csv") == want


def test_accept_without_a_supported_type_is_not_acceptable_and_answers_406():
    with pytest.raises(NotAcceptable) as err:
        resolve_accept("application/json, image/*", SPARKML_ACCEPTS, "text/csv")
    assert status_of(err.value) == 406
    assert "Supported accept types: text/csv" in str(err.value)


def test_default_accept_is_checked_at_startup():
    assert default_accept("", SPARKML_ACCEPTS, "text/csv") == "text/csv"
    assert default_accept("application/jsonlines", SPARKML_ACCEPTS, "text/csv") == "application/jsonlines"
    with pytest.raises(ValueError, match="SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT"):
        default_accept("application/json", SPARKML_ACCEPTS, "text/csv")


@pytest.mark.parametrize("text, kind, want", [
    (" 1.5 ", "double", 1.5), ("1.5d", "double", 1.5), ("2f", "double", 2.0), (".5", "double", 0.5),
    ("NaN", "double", math.nan), ("-Infinity", "double", -math.inf), ("1e999", "double", math.inf),
    ("0.1", "float", float(np.float32(0.1))), ("1e39", "float", math.inf),
    ("+5", "int", 5), ("-128", "byte", -128), ("9223372036854775807", "long", 2**63 - 1),
    ("TRUE", "boolean", True), ("yes", "boolean", False), ("", "string", ""),
])
def test_values_parse_as_java_does(text, kind, want):
    got = parse_value(text, Column("c", kind), 0)
    assert got == want or (isinstance(want, float) and math.isnan(want) and math.isnan(got))


@pytest.mark.parametrize("text, kind", [
    ("1.0", "int"), (" 1", "int"), ("128", "byte"), ("32768", "short"), ("2147483648", "int"),
    ("inf", "double"), ("1_0", "double"), ("٣", "double"), ("0x10", "double"), ("", "double"),
])
def test_values_java_rejects_are_errors_naming_row_and_column(text, kind):
    with pytest.raises(SchemaError, match=r"row 4, column 'c'"):
        parse_value(text, Column("c", kind), 3)


def test_json_scalars_take_their_java_text():
    assert parse_value(1, Column("c", "double"), 0) == 1.0
    assert parse_value(1e20, Column("c", "string"), 0) == "1.0E20"
    assert parse_value(True, Column("c", "string"), 0) == "true"
    with pytest.raises(SchemaError, match="expected a string value"):
        parse_value({"a": 1}, Column("c", "string"), 0)


def test_rows_to_columns_gives_typed_columns_and_names_bad_rows():
    schema = parse_schema({"input": [{"name": "s", "type": "string"}, {"name": "x", "type": "double"},
                                     {"name": "v", "type": "double", "struct": "vector"}],
                           "output": {"name": "f", "type": "double", "struct": "vector"}})
    cols = rows_to_columns(schema, [["a", "1", [1.0, 2.0]], ["b", 2.5, [3, 4]]])
    assert cols["s"].dtype == object and cols["x"].tolist() == [1.0, 2.5]
    assert cols["v"].shape == (2, 2)
    with pytest.raises(SchemaError, match="row 2: expected 3 columns"):
        rows_to_columns(schema, [["a", "1", [1.0]], ["b"]])


def test_json_data_with_a_vector_first_column_tells_one_row_from_several():
    schema = parse_schema({"input": [{"name": "v", "type": "double", "struct": "vector"},
                                     {"name": "s", "type": "string"}],
                           "output": {"name": "f", "type": "double", "struct": "vector"}})
    assert not _is_row_list([[1.0, 2.0], "a"], schema)
    assert _is_row_list([[[1.0, 2.0], "a"], [[3.0, 4.0], "b"]], schema)


def test_metrics_render_prometheus_text_with_types_and_exact_counts():
    metrics = Metrics("sparkleap_test")
    metrics.count("rows_total", 1234567)
    metrics.observe("request_latency", 0.003)
    text = metrics.render()
    assert "# TYPE sparkleap_test_rows_total counter" in text
    assert "\nsparkleap_test_rows_total 1.234567e+06\n" in text
    assert "# TYPE sparkleap_test_request_latency_seconds histogram" in text
    for line in ('_bucket{le="0.002"} 0.0', '_bucket{le="0.005"} 1.0', '_bucket{le="+Inf"} 1.0', "_count 1.0",
                 "_sum 0.003"):
        assert f"\nsparkleap_test_request_latency_seconds{line}\n" in text
    assert "_created" not in text


def test_csv_lines_quote_text_only_when_needed_and_print_java_doubles():
    assert codecs.csv_line([1.0, 1e7, 1e-4, "a,b", 'q"']) == '1.0,1.0E7,1.0E-4,"a,b","q"""'
    assert codecs.csv_line([0.0, -0.0, math.nan, -math.inf, 2.5]) == "0.0,-0.0,NaN,-Infinity,2.5"
    assert codecs.csv_line([True, 3, np.float64(0.25), "x"]) == "true,3,0.25,x"


def test_csv_reading_answers_as_the_csv_module_on_every_short_text():
    """read_csv splits text without quotes or CR itself; over every text of up to 6 characters from an
    alphabet of the characters that matter its records are the csv module's (or both refuse it)."""
    import csv
    import io
    import itertools

    from serving.errors import BadInput

    def reference(text: str) -> list[list[str]] | None:
        try:
            return [r for r in csv.reader(io.StringIO(text, newline=""), strict=True) if r]
        except csv.Error:
            return None

    for size in range(7):
        for chars in itertools.product('a,\n\r" \x00', repeat=size):
            text = "".join(chars)
            try:
                got = codecs.read_csv(text.encode())
            except BadInput:
                got = None
            assert got == reference(text), repr(text)
    assert codecs.read_csv("\ufeffa,b\n".encode()) == [["a", "b"]]  # a byte order mark is dropped
    with pytest.raises(BadInput, match="field larger than field limit"):
        codecs.read_csv(b"a," + b"Z" * (csv.field_size_limit() + 1))


@pytest.mark.parametrize("line, want", [("1,2", ","), ("1;2", ";"), ("1\t2", "\t"), ("1|2", "|"),
                                        ("1.5", ","), ("1 2", " "), ("1, 2", ",")])
def test_delimiter_sniffing(line, want):
    assert sniff_delimiter(line) == want


def test_csv_parsing_for_xgboost():
    got = parse_csv(b"1;;3\r\n4;5;6\r\n", 3)
    assert got.shape == (2, 3) and math.isnan(got[0, 1]) and got[1].tolist() == [4, 5, 6]


def test_libsvm_parsing_ignores_labels_and_qid():
    got = parse_libsvm(b"1.5 qid:2 0:1 2:3\n\n1:7", 3)
    assert got.shape == (2, 3) and got[0, 0] == 1 and math.isnan(got[0, 1]) and got[1, 1] == 7


def test_pickles_are_told_apart_from_xgboost_files_without_running_them():
    import pickle

    assert _is_pickle(pickle.dumps({"a": 1}, protocol=0))
    assert _is_pickle(pickle.dumps([1, 2], protocol=4))
    assert not _is_pickle(b"{L\x00\x00\x00\x07learner")
    assert not _is_pickle(b'{"learner": {}}')
    assert not _is_pickle(b"")


def test_metrics_request_counts_status_rows_and_latency_under_one_lock():
    metrics = Metrics("sparkleap_test")
    metrics.request(200, 0.0007, rows=3)
    metrics.request(200, 0.02, rows=2)
    metrics.request(400, 0.0001)
    metrics.observe_at(metrics.histogram("model_latency"), 0.0003)
    text = metrics.render()
    for line in ('_requests_total{status="200"} 2.0', '_requests_total{status="400"} 1.0', "_rows_total 5.0",
                 '_request_latency_seconds_bucket{le="0.0005"} 1.0', '_request_latency_seconds_bucket{le="0.001"} 2.0',
                 "_request_latency_seconds_count 3.0", "_model_latency_seconds_count 1.0"):
        assert f"\nsparkleap_test{line}\n" in text or text.startswith(f"sparkleap_test{line}\n"), line


def test_metrics_past_capacity_are_dropped_without_touching_the_others(monkeypatch, caplog):
    from serving import metrics as module

    monkeypatch.setattr(module, "CAPACITY", 2)
    monkeypatch.setattr(module, "SINK", 2)
    monkeypatch.setattr(module, "SIZE", 2 + module.HISTOGRAM_SLOTS)
    metrics = Metrics("sparkleap_test")
    metrics.count("kept_total", 5)
    metrics.observe("too_many", 0.1)  # 18 slots: does not fit after the counter
    metrics.count("second_total", 2)  # the last slot
    metrics.count("also_dropped_total", 7)
    metrics.count("kept_total")
    text = metrics.render()
    assert "sparkleap_test_kept_total 6.0" in text and "sparkleap_test_second_total 2.0" in text
    assert "too_many" not in text and "also_dropped" in caplog.text
    assert "also_dropped_total" not in text


def test_metrics_label_values_are_escaped_and_series_grouped_under_one_type_line():
    metrics = Metrics("sparkleap_test")
    for name in ('a"b', "c\\d", "e\nf"):
        metrics.observe("container_latency", 0.0001, container=name)
    metrics.count("requests_total", status="200")
    metrics.count("requests_total", status="400")
    text = metrics.render()
    assert text.count("# TYPE sparkleap_test_container_latency_seconds histogram") == 1
    assert text.count("# TYPE sparkleap_test_requests_total counter") == 1
    for escaped in ('a\\"b', "c\\\\d", "e\\nf"):
        assert f'sparkleap_test_container_latency_seconds_count{{container="{escaped}"}} 1.0\n' in text
    assert 'sparkleap_test_requests_total{status="400"} 1.0\n' in text


def test_the_fast_double_path_answers_as_javas_parse_on_every_short_decimal_text():
    """rows_to_columns reads plain decimal text with float(); over [0-9.eE+-] that must accept and refuse
    exactly what parse_value (Java's Double.parseDouble grammar) does, for every text of up to 4 characters."""
    import itertools

    schema = parse_schema('{"input": [{"name": "x", "type": "double"}], "output": {"name": "y", "type": "double"}}')
    for k in range(1, 5):
        for chars in itertools.product("01.eE+-", repeat=k):
            text = "".join(chars)
            try:
                want = parse_value(text, schema.inputs[0], 0)
            except SchemaError as exc:
                want = str(exc)
            try:
                got = float(rows_to_columns(schema, [[text]])["x"][0])
            except SchemaError as exc:
                got = str(exc)
            assert got == want, text


@pytest.mark.parametrize("value, text", [(0.0, "0.0"), (20.0, "20.0"), (999999.0, "999999.0"), (1e6, "1e+06"),
                                         (1234567.0, "1.234567e+06"), (123456789.125, "1.23456789125e+08"),
                                         (1e16, "1e+16"), (0.0005, "0.0005"), (math.inf, "+Inf"),
                                         (-math.inf, "-Inf"), (math.nan, "NaN")])
def test_metric_values_print_as_prometheus_go_clients_print_them(value, text):
    from serving.metrics import _number

    assert _number(value) == text
