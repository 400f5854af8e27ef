"""AWS's own answers, byte for byte, wherever serving/README.md says we give them: JSON Lines numbers in Java's
`Double.toString` layout (Jackson in AWS's SparkML container), numeric inputs in `Double.parseDouble`'s
grammar (also on the many-row fast path), -0.0 assembled as 0.0 (Spark's VectorAssembler), an empty body
(SparkML 400; XGBoost 204, and 415 for only whitespace, as its source answers) and 405 for a wrong method.
On the SDK's Titanic bundle with the schema derived from it (doubles: Sex, Embarked, Pclass, Age, SibSp, Fare;
the vector holds Pclass, Age, SibSp and Fare at 0, 2, 3, 4)."""

from __future__ import annotations

import pytest

from tests.helpers.servers import running

pytestmark = pytest.mark.process  # starts server processes

JSONL = "application/jsonlines"


def row(age: str = "38.0", fare: str = "71.5") -> str:
    return f"female,C,1.0,{age},1.0,{fare}"


def vector(age: str = "38.0", fare: str = "71.5") -> str:
    return f"1.0,0.0,{age},1.0,{fare},0.0,1.0"


@pytest.fixture(scope="module")
def derived(titanic):
    """The schema derived from the bundle: double columns (Double.parseDouble). `sparkml` (conftest) has AWS's
    Titanic schema: float columns (Float.parseFloat, then widened)."""
    with running("sparkml", titanic) as srv:
        yield srv


# Python's repr -> Java's Double.toString (JDK 8 digits: 2.82879384806159008E17, 9.999999999999999E22)
JAVA_TEXT = [("0.0001", "1.0E-4"), ("8.7e-05", "8.7E-5"), ("10000000.0", "1.0E7"), ("0.001", "0.001"),
             ("2.82879384806159e+17", "2.82879384806159008E17"), ("1e+23", "9.999999999999999E22"),
             ("123.456", "123.456"), ("1e-300", "1.0E-300"), ("NaN", '"NaN"'), ("-Infinity", '"-Infinity"')]


@pytest.mark.parametrize("given, java", JAVA_TEXT)
def test_jsonlines_numbers_are_written_in_javas_double_to_string_layout(derived, given, java):
    resp = derived.post(row(age=given), accept=JSONL)
    assert resp.status_code == 200, resp.text
    assert resp.content == f'{{"features":[{vector(age=java)}]}}'.encode()


def test_jsonlines_numbers_on_many_rows_and_data_text(derived):
    rows = "\n".join(row(age=given) for given, _ in JAVA_TEXT[:6])
    resp = derived.post(rows, accept=JSONL)
    assert resp.content == "\n".join(f'{{"features":[{vector(age=java)}]}}' for _, java in JAVA_TEXT[:6]).encode()
    text = derived.post(row(age="0.0001"), accept="application/jsonlines;data=text")
    assert text.content == b'{"source":"1.0 0.0 1.0E-4 1.0 71.5 0.0 1.0"}'


# Double.parseDouble's grammar: hexadecimal, a d/f suffix after a number, a sign, spaces and control characters
JAVA_GRAMMAR = [("0x1p-1", "0.5"), ("0X1.8P1", "3.0"), ("-0x.8p1d", "-1.0"), ("1.5d", "1.5"), ("1f", "1.0"),
                ("+2", "2.0"), (" 3.25 ", "3.25"), ("\t7\x01", "7.0"), ("1.", "1.0"), (".5e1", "5.0"),
                ("0x1p99999", "Infinity"), ("1e400", "Infinity")]


@pytest.mark.parametrize("given, java", JAVA_GRAMMAR)
def test_numeric_inputs_follow_javas_double_grammar(derived, given, java):
    resp = derived.post(row(age=given))
    assert resp.status_code == 200, resp.text
    assert resp.content == vector(age=java).encode()


def test_javas_double_grammar_holds_on_the_many_row_fast_path(derived):
    texts = [given for given, _ in JAVA_GRAMMAR] + ["38.0", "1e5", "-.25", "+2.5", "0.1"] * 2
    resp = derived.post("\n".join(row(fare=t) for t in texts))
    assert resp.status_code == 200, resp.text
    assert resp.content == b"\n".join(derived.post(row(fare=t)).content for t in texts)
    plain = ["38.0", "1e5", "-.25", "+2.5", "0.1", "7", "1.", "3.4e38", "4.9e-324"] * 2  # all through pyarrow
    assert derived.post("\n".join(row(fare=t) for t in plain)).content == \
        b"\n".join(derived.post(row(fare=t)).content for t in plain)


@pytest.mark.parametrize("given", [" 3.25 ", "+2", "\t7", "1e999", "0x1p-1", "1.5d", "-0", "inf", "nan", "0x10",
                                   "1_0", "Infinity"])
def test_a_batch_of_one_text_answers_as_that_text_alone(derived, given):
    single, many = derived.post(row(fare=given)), derived.post("\n".join([row(fare=given)] * 10))
    assert many.status_code == single.status_code
    if single.status_code == 200:
        assert many.content == b"\n".join([single.content] * 10)
    else:
        assert "row 1" in many.text and f"{given!r} is not a double" in many.text


@pytest.mark.parametrize("given", ["NaNd", "Infinityf", "0x1", "0x1.8p", "1e", "1_0", "0x", "٣", "1d5"])
def test_texts_javas_double_grammar_refuses_are_a_400_naming_the_value(derived, given):
    resp = derived.post(row(age=given))
    assert resp.status_code == 400 and f"{given!r} is not a double" in resp.text and "'Age'" in resp.text


def test_float_columns_round_once_to_float32_as_float_parse_float(sparkml):
    # 1 + 2^-24 + 2^-80 is nearest the double 1 + 2^-24, a float32 midpoint: rounding through the double goes
    # to 1.0 (ties to even), Float.parseFloat rounds the text up to 1.0000001192092896
    just_above = "1.0000000596046447753906258271806125530276748714086920699628535658121109008789062"
    body = f"1.0,C,{just_above},71.5,1.0,female"
    assert sparkml.post(body).content == b"1.0,0.0,1.0000001192092896,1.0,71.5,0.0,1.0"
    assert sparkml.post("0x1p-1,C,0x1.8p1f,71.5,1.0,female").content == b"0.5,0.0,3.0,1.0,71.5,0.0,1.0"


@pytest.mark.parametrize("given", ["-0.0", "-0", "-0x0p0", "-0.0e5"])
def test_a_negative_zero_input_is_assembled_as_zero_as_sparks_vector_assembler(derived, given):
    assert derived.post(row(age=given)).content == vector(age="0.0").encode()
    assert derived.post(row(age=given), accept=JSONL).content == f'{{"features":[{vector(age="0.0")}]}}'.encode()
    many = derived.post("\n".join([row(age=given)] * 10))
    assert many.content == "\n".join([vector(age="0.0")] * 10).encode()


@pytest.mark.parametrize("content_type", ["text/csv", "application/json", JSONL])
@pytest.mark.parametrize("body", [b"", b" \r\n\t "], ids=["empty", "whitespace"])
def test_sparkml_empty_or_whitespace_body_is_a_400_as_aws(sparkml, body, content_type):
    resp = sparkml.post(body, content_type=content_type)
    assert resp.status_code == 400
    assert resp.content == b"the request body is empty (or only whitespace): send at least one row"


def test_xgboost_empty_body_is_a_204_and_whitespace_a_415_as_aws(xgboost):
    empty = xgboost.post(b"")
    assert empty.status_code == 204 and empty.content == b""
    for content_type, kind in (("text/csv", "csv"), ("text/libsvm", "libsvm")):
        blank = xgboost.post(b" \n\r\n ", content_type=content_type)
        assert blank.status_code == 415
        assert blank.content == f"Loading {kind} data failed: the payload holds no rows (only whitespace)".encode()


@pytest.mark.parametrize("kind", ["sparkml", "xgboost"])
@pytest.mark.parametrize("method, path, allowed", [("GET", "/invocations", "POST"), ("PUT", "/invocations", "POST"),
                                                   ("POST", "/ping", "GET"),
                                                   ("POST", "/execution-parameters", "GET")])
def test_a_wrong_method_on_a_known_path_is_a_405_with_allow(request, kind, method, path, allowed):
    server = request.getfixturevalue(kind)
    resp = server.request(method, path)
    assert resp.status_code == 405 and resp.headers["Allow"] == allowed
    assert resp.content == f"method {method} is not allowed on {path}; use {allowed}\n".encode()
    assert server.request("GET", "/nowhere").status_code == 404
