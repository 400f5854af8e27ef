"""Request corpora shared by the container tests (tests/serving) and the image tier (tests/image): the
Titanic rows and their reference answers, and one bad-input corpus per container, each case a
`pytest.param(body, content_type, accept, status, words)` whose answer must be a clean 4xx."""

from __future__ import annotations

import json

import pytest

from tests.helpers.servers import TITANIC_SCHEMA

ROW = ["1.0", "C", "38.0", "71.5", "1.0", "female"]
JSON_ROW = [1.0, "C", 38.0, 71.5, 1.0, "female"]
EXPECTED = "1.0,0.0,38.0,1.0,71.5,0.0,1.0"  # mleap-bundle-format.md section 5
EXPECTED_VECTOR = [1.0, 0.0, 38.0, 1.0, 71.5, 0.0, 1.0]
GOOD = ",".join(ROW)
GOOD_JSON = JSON_ROW
CSV, JSON, JSONL = "text/csv", "application/json", "application/jsonlines"


def case(name, body, status, *words, content_type=CSV, accept=None):
    return pytest.param(body, content_type, accept, status, words, id=name)


def with_schema(**changes) -> dict:
    return {**TITANIC_SCHEMA, **changes}


def jdump(obj) -> str:
    return json.dumps(obj)


SPARKML_CORPUS = [
    # encodings and CSV syntax
    case("csv-bad-utf8", b"1.0,\xff\xfe,38.0,71.5,1.0,female", 400, "UTF-8"),
    case("json-bad-utf8", b'{"data": [1.0, "\xc3\x28", 38.0, 71.5, 1.0, "female"]}', 400, "UTF-8",
         content_type=JSON),
    case("jsonl-bad-utf8", b'{"data": [1.0, "\xed\xa0\x80"]}', 400, "UTF-8", content_type=JSONL),
    case("latin1-text", "1.0,C,38.0,71.5,1.0,fémale".encode("latin-1"), 400, "UTF-8"),
    case("unterminated-quote", '1.0,"C,38.0,71.5,1.0,female', 400, "CSV"),
    case("quote-inside-field", '1.0,C"x",38.0,71.5,1.0,female', 400),
    case("text-after-closing-quote", '1.0,"C"x,38.0,71.5,1.0,female', 400, "CSV"),
    case("header-row", "Pclass,Embarked,Age,Fare,SibSp,Sex\n" + GOOD, 400, "row 1", "'Pclass'"),
    # column counts
    case("too-few-columns", "1.0,C,38.0", 400, "row 1", "expected 6 columns", "got 3"),
    case("one-too-few", "1.0,C,38.0,71.5,1.0", 400, "row 1", "got 5"),
    case("one-too-many", GOOD + ",extra", 400, "row 1", "got 7"),
    case("second-row-short", GOOD + "\n1.0,C", 400, "row 2", "got 2"),
    case("trailing-comma", GOOD + ",", 400, "got 7"),
    case("only-commas", ",,,,,", 400, "row 1", "'Pclass'"),
    case("single-field", "hello", 400, "got 1"),
    # values
    case("text-in-float", "1.0,C,old,71.5,1.0,female", 400, "row 1", "'Age'", "'old'"),
    case("empty-float", "1.0,C,,71.5,1.0,female", 400, "'Age'"),
    case("double-dot", "1.0,C,1..5,71.5,1.0,female", 400, "'Age'"),
    case("hex-number", "0x10,C,38.0,71.5,1.0,female", 400, "'Pclass'"),
    case("decimal-comma-shifts-columns", '1,0,C,38.0,71.5,1.0,female', 400, "got 7"),
    case("arabic-digits", "١,C,38.0,71.5,1.0,female", 400, "'Pclass'"),
    case("lowercase-inf", "1.0,C,inf,71.5,1.0,female", 400, "'Age'"),
    case("underscore-number", "1.0,C,3_8,71.5,1.0,female", 400, "'Age'"),
    case("bare-exponent", "1.0,C,1e,71.5,1.0,female", 400, "'Age'"),
    case("unseen-embarked", "1.0,X,38.0,71.5,1.0,female", 400, "row 1", "'Embarked'", "Unseen label: X"),
    case("unseen-sex-row-3", f"{GOOD}\n{GOOD}\n1.0,C,38.0,71.5,1.0,other", 400, "row 3", "'Sex'", "other"),
    case("empty-category", "1.0,,38.0,71.5,1.0,female", 400, "'Embarked'"),
    case("nul-in-category", "1.0,C\x00,38.0,71.5,1.0,female", 400, "'Embarked'"),
    case("huge-unseen-label", "1.0," + "Z" * 100_000 + ",38.0,71.5,1.0,female", 400, "'Embarked'"),
    case("field-over-csv-limit", f"{GOOD}\n1.0," + "Z" * 200_000 + ",38.0,71.5,1.0,female", 400, "line 2"),
    # JSON shapes
    case("json-syntax", '{"data": [1.0, "C",]}', 400, "not valid JSON", content_type=JSON),
    case("json-top-level-list", jdump(GOOD_JSON), 400, '"data"', content_type=JSON),
    case("json-top-level-string", jdump("1.0,C"), 400, '"data"', content_type=JSON),
    case("json-no-data-key", jdump({"rows": [GOOD_JSON]}), 400, '"data"', content_type=JSON),
    case("json-data-number", jdump({"data": 5}), 400, '"data" must be a list', content_type=JSON),
    case("json-data-object", jdump({"data": {"Pclass": 1}}), 400, '"data" must be a list', content_type=JSON),
    case("json-data-empty", jdump({"data": []}), 400, "got 0", content_type=JSON),
    case("json-null-value", jdump({"data": [None, *GOOD_JSON[1:]]}), 400, "'Pclass'", "null", content_type=JSON),
    # null is an empty cell: the Titanic indexer (handle_invalid error) refuses it as it refuses an empty CSV cell
    case("json-null-category", jdump({"data": [1.0, None, *GOOD_JSON[2:]]}), 400, "'Embarked'", "Unseen label: .",
         content_type=JSON),
    case("json-object-in-float", jdump({"data": [{"a": 1}, *GOOD_JSON[1:]]}), 400, "'Pclass'", content_type=JSON),
    case("json-list-in-category", jdump({"data": [1.0, ["C"], *GOOD_JSON[2:]]}), 400, "'Embarked'",
         content_type=JSON),
    case("json-bool-in-float", jdump({"data": [True, *GOOD_JSON[1:]]}), 400, "'Pclass'", content_type=JSON),
    case("json-rows-second-short", jdump({"data": [GOOD_JSON, [1.0, "C"]]}), 400, "row 2", content_type=JSON),
    case("json-deep-nesting", "[" * 100_000 + "]" * 100_000, 400, "nested too deeply", content_type=JSON),
    case("json-4301-digit-int", '{"data": [' + "9" * 5000 + ', "C", 38.0, 71.5, 1.0, "female"]}', 400,
         "JSON", content_type=JSON),
    # schemas sent with the request
    case("schema-not-object", jdump({"schema": "nope", "data": GOOD_JSON}), 400, "schema", content_type=JSON),
    case("schema-bad-type", jdump({"schema": with_schema(input=[{"name": "Pclass", "type": "integer"}]),
                                   "data": [1]}), 400, "input/0/type", content_type=JSON),
    case("schema-no-output", jdump({"schema": {"input": TITANIC_SCHEMA["input"]}, "data": GOOD_JSON}), 400,
         "output", content_type=JSON),
    case("schema-bad-struct", jdump({"schema": with_schema(output={"name": "features", "type": "double",
                                                                   "struct": "matrix"}), "data": GOOD_JSON}),
         400, "struct", content_type=JSON),
    case("schema-string-vector", jdump({"schema": with_schema(output={"name": "features", "type": "string",
                                                                      "struct": "vector"}), "data": GOOD_JSON}),
         400, "output", content_type=JSON),
    case("schema-empty-input", jdump({"schema": with_schema(input=[]), "data": []}), 400, "input",
         content_type=JSON),
    case("schema-duplicate-column", jdump({"schema": with_schema(input=TITANIC_SCHEMA["input"] * 2),
                                           "data": GOOD_JSON * 2}), 400, "twice", content_type=JSON),
    case("schema-misses-bundle-column", jdump({"schema": with_schema(input=TITANIC_SCHEMA["input"][1:]),
                                               "data": GOOD_JSON[1:]}), 400, "Pclass", content_type=JSON),
    case("schema-unknown-output", jdump({"schema": with_schema(output={"name": "x", "type": "double"}),
                                         "data": GOOD_JSON}), 400, "'x'", content_type=JSON),
    case("schema-byte-out-of-range",
         jdump({"schema": with_schema(input=[{"name": "Pclass", "type": "byte"}, *TITANIC_SCHEMA["input"][1:]]),
                "data": [300, *GOOD_JSON[1:]]}), 400, "'Pclass'", "out of range", content_type=JSON),
    case("schema-int-gets-decimal",
         jdump({"schema": with_schema(input=[{"name": "Pclass", "type": "int"}, *TITANIC_SCHEMA["input"][1:]]),
                "data": GOOD_JSON}), 400, "'Pclass'", "integer", content_type=JSON),
    case("schema-vector-gets-scalar",
         jdump({"schema": with_schema(input=[{"name": "Pclass", "type": "double", "struct": "vector"},
                                             *TITANIC_SCHEMA["input"][1:]]), "data": GOOD_JSON}), 400,
         "'Pclass'", "list", content_type=JSON),
    # JSON lines
    case("jsonl-bad-second-line", jdump({"data": GOOD_JSON}) + "\n{oops", 400, "line 2", content_type=JSONL),
    case("jsonl-list-line", jdump(GOOD_JSON), 400, "line 1", content_type=JSONL),
    case("jsonl-bad-schema-line", jdump({"schema": {"input": []}}) + "\n" + jdump({"data": GOOD_JSON}), 400,
         "line 1", content_type=JSONL),
    case("jsonl-unseen-label", jdump({"data": [1.0, "X", *GOOD_JSON[2:]]}), 400, "Unseen label",
         content_type=JSONL),
    # content negotiation
    case("accept-json", GOOD, 406, "not supported", accept="application/json"),
    case("accept-garbage", GOOD, 406, "not supported", accept="garbage"),
    case("accept-semicolons", GOOD, 406, accept=";;;"),
    case("accept-image-wildcard", GOOD, 406, accept="image/*"),
    case("content-type-xml", "<row/>", 415, "text/csv", content_type="application/xml"),
    case("content-type-missing", GOOD, 415, "(none)", content_type=None),
    case("content-type-multipart", GOOD, 415, content_type="multipart/form-data"),
    case("content-type-nonsense", GOOD, 415, content_type="text/csv/extra"),
]

XGB_CORPUS = [
    case("bad-utf8", b"1.0,\xff,3.0", 400, "UTF-8"),
    case("latin1", "1.0,2.0,3.0é".encode("latin-1"), 400, "UTF-8"),
    case("header-row", "a,b,c\n1,2,3", 415, "row 1, column 1", "'a'"),
    case("text-value", "1.0,F,3.0", 415, "row 1, column 2", "'F'"),
    case("text-in-row-3", "1,2,3\n4,5,6\n7,x,9", 415, "row 3, column 2"),
    case("double-dot", "1..0,2,3", 415, "column 1"),
    case("hex-float", "0x1p3,2,3", 415, "column 1"),
    case("quoted-numbers", '"1.0","2.0","3.0"', 415, "column 1"),
    case("nul-byte", "1.0,\x00,3.0", 415, "column 2"),
    case("plus-minus", "+-1,2,3", 415, "column 1"),
    case("percent", "10%,2,3", 415, "column 1"),
    case("bracket-list", "[1,2,3]", 415),
    case("json-in-csv", '{"data": [1, 2, 3]}', 415, "column 1"),
    case("one-too-many", "1,2,3,4", 400, "4", "label"),
    case("one-too-few", "1,2", 400, "too few"),
    case("far-too-many", ",".join(["1"] * 1000), 400, "1000"),
    case("single-value", "1.5", 400),
    case("trailing-delimiter", "1,2,3,", 400, "4"),
    case("ragged-second-row", "1,2,3\n1,2", 400, "row 2"),
    case("ragged-last-row", "1,2,3\n1,2,3\n1,2,3,4", 400, "row 3"),
    # text that does not parse as numbers is a 415 before any width check, as AWS's container answers
    case("mixed-delimiters", "1;2;3\n1,2,3", 415, "row 2", "'1,2,3' is not a number"),
    case("tab-then-comma", "1\t2\t3\n4,5,6", 415, "row 2", "'4,5,6' is not a number"),
    case("semicolon-decimal-comma", "1,5;2,0;3,0", 415, "'5;2' is not a number"),
    case("only-delimiters-too-many", ",,,,", 400),
    case("libsvm-bad-value", "0:abc", 415, "line 1", "'0:abc'", content_type="text/libsvm"),
    case("libsvm-bad-index", "x:1.0", 415, "line 1", content_type="text/libsvm"),
    case("libsvm-index-too-big", "3:1.0", 400, "index 3", content_type="text/libsvm"),
    case("libsvm-negative-index", "-1:1.0", 400, "index -1", content_type="text/libsvm"),
    case("libsvm-huge-index", "99999999999:1", 400, content_type="text/libsvm"),
    case("libsvm-empty-value", "0:", 415, content_type="text/libsvm"),
    case("libsvm-double-colon", "0:1:2", 415, content_type="text/libsvm"),
    case("libsvm-junk-token", "1.0 0:1 junk", 415, "'junk'", content_type="text/libsvm"),
    case("libsvm-bad-line-2", "0:1\n0:1 1:y", 415, "line 2", content_type="text/libsvm"),
    case("libsvm-csv-body", "1,2,3", 415, content_type="text/libsvm"),
    case("libsvm-bad-utf8", b"0:\xff", 400, "UTF-8", content_type="text/libsvm"),
    case("no-content-type-csv-body", "1,2,3", 415, content_type=None),
    case("content-type-json", '{"instances": [[1,2,3]]}', 415, "text/csv", content_type="application/json"),
    case("content-type-jsonlines", "[1,2,3]", 415, content_type="application/jsonlines"),
    case("content-type-protobuf", b"\x0a\x02\x08\x01", 415, content_type="application/x-recordio-protobuf"),
    case("content-type-parquet", b"PAR1", 415, content_type="application/x-parquet"),
    case("content-type-xml", "<r>1</r>", 415, content_type="application/xml"),
    case("content-type-html", "1,2,3", 415, content_type="text/html"),
    case("content-type-octet", b"\x00\x01", 415, content_type="application/octet-stream"),
    case("content-type-nonsense", "1,2,3", 415, content_type="text/csv/extra"),
    case("content-type-form", "a=1", 415, content_type="application/x-www-form-urlencoded"),
    case("accept-xml", "1,2,3", 406, "not supported", accept="application/xml"),
    case("accept-protobuf", "1,2,3", 406, accept="application/x-recordio-protobuf"),
    case("accept-garbage", "1,2,3", 406, accept="garbage"),
    case("accept-image", "1,2,3", 406, accept="image/png"),
    case("accept-semicolons", "1,2,3", 406, accept=";;"),
    case("accept-jsonlines-text", "1,2,3", 406, accept="application/jsonlines;data=text"),
    case("huge-text-cell", "1," + "y" * 100_000 + ",3", 415, "column 2"),
]


def assert_clean_client_error(resp, status: int, words: tuple[str, ...]) -> None:
    assert resp.status_code == status, resp.text[:500]
    assert resp.headers["Content-Type"].startswith("text/plain")
    text = resp.text
    assert text.strip(), "an error needs a message"
    assert len(text) <= 1000
    assert "Traceback" not in text and 'File "' not in text
    for word in words:
        assert word in text, text


def server_errors(server, prefix: str) -> list[str]:
    """The 5xx sample lines of a container's /metrics (`prefix`: sparkleap_sparkml or sparkleap_xgboost)."""
    return [line for line in server.get("/metrics").text.splitlines()
            if line.startswith(f"{prefix}_requests_total{{status=\"5")]
