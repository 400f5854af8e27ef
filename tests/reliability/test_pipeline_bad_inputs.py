"""A hostile/malformed request corpus sent through the pipeline front end, on /invocations and on the
SageMaker runtime path: each gets a 4xx (a 424 carrying the container's own 4xx, named), a short message
without a stack trace, and the endpoint stays healthy and answers correctly afterwards."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest
import requests

from serving.inference_pipeline.frontend import CLIENT_LIMIT
from serving.inference_pipeline.local import LocalEndpoint
from tests.helpers.oracle import expected_reply

pytestmark = pytest.mark.process  # starts server processes

GOOD = "F,0.515,0.425,0.14,0.766,0.304,0.1725,0.255"
GOOD_JSON = ["F", 0.515, 0.425, 0.14, 0.766, 0.304, 0.1725, 0.255]
COLUMNS = "sex,length,diameter,height,whole_weight,shucked_weight,viscera_weight,shell_weight"
CSV, JSON, JSONL = "text/csv", "application/json", "application/jsonlines"
PATHS = ["/invocations", "/endpoints/sparkleap/invocations"]
MAX_MESSAGE = 1300  # a container's message (<= 1000 chars) plus the front end's wrapping


def case(name, body, expect, *words, content_type=CSV, accept=None):
    """`expect`: the front end's own status, or (container, its 4xx) for a 424 from that container."""
    return pytest.param(body, content_type, accept, expect, words, id=name)


def row(**changes) -> str:
    cells = dict(zip(COLUMNS.split(","), GOOD.split(","), strict=True)) | changes
    return ",".join(cells.values())


SPARKML_400, SPARKML_415, XGBOOST_406 = ("sparkml", 400), ("sparkml", 415), ("xgboost", 406)

CORPUS = [
    # column counts
    case("too-few-columns", "F,0.5", SPARKML_400, "row 1", "expected 8 columns", "got 2"),
    case("label-column-included", GOOD + ",15", SPARKML_400, "got 9"),
    case("trailing-comma", GOOD + ",", SPARKML_400, "got 9"),
    case("second-row-short", GOOD + "\nF,0.5", SPARKML_400, "row 2", "got 2"),
    case("decimal-comma-shifts-columns", "F,0,515,0.425,0.14,0.766,0.304,0.1725,0.255", SPARKML_400, "got 9"),
    case("only-commas", ",,,,,,,", SPARKML_400, "row 1"),
    case("single-field", "hello", SPARKML_400, "got 1"),
    case("header-row", COLUMNS + "\n" + GOOD, SPARKML_400, "row 1", "'length'"),
    # unseen categories
    case("unseen-category", row(sex="X"), SPARKML_400, "row 1", "'sex'", "Unseen label: X"),
    case("lower-case-category", row(sex="f"), SPARKML_400, "Unseen label: f"),
    case("empty-category", row(sex=""), SPARKML_400, "'sex'"),
    case("unseen-category-row-3", f"{GOOD}\n{GOOD}\n{row(sex='Q')}", SPARKML_400, "row 3", "Q"),
    case("nul-in-category", row(sex="F\x00"), SPARKML_400, "'sex'"),
    case("huge-unseen-label", row(sex="Z" * 100_000), SPARKML_400, "'sex'", "chars)"),
    # non-numbers
    case("text-in-number", row(length="long"), SPARKML_400, "'length'", "'long'"),
    case("empty-number", row(length=""), SPARKML_400, "'length'"),
    case("double-dot", row(height="0..14"), SPARKML_400, "'height'"),
    case("hex-number", row(length="0x1"), SPARKML_400, "'length'"),
    case("arabic-digits", row(length="١"), SPARKML_400, "'length'"),
    case("underscore-number", row(length="0_5"), SPARKML_400, "'length'"),
    case("bare-exponent", row(length="1e"), SPARKML_400, "'length'"),
    case("lower-case-inf", row(length="inf"), SPARKML_400, "'length'"),
    case("lower-case-nan", row(length="nan"), SPARKML_400, "'length'"),
    case("huge-field-over-csv-limit", f"{GOOD}\n" + row(length="9" * 200_000), SPARKML_400, "line 2"),
    # encodings and CSV syntax
    case("invalid-utf8", b"F,\xff\xfe,0.425,0.14,0.766,0.304,0.1725,0.255", SPARKML_400, "UTF-8"),
    case("latin1-text", row(sex="é").encode("latin-1"), SPARKML_400, "UTF-8"),
    case("utf16-body", GOOD.encode("utf-16"), SPARKML_400, "UTF-8"),
    case("binary-garbage", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", SPARKML_400),
    case("unterminated-quote", '"F,0.515,0.425,0.14,0.766,0.304,0.1725,0.255', SPARKML_400, "CSV"),
    case("text-after-closing-quote", '"F"x,0.515,0.425,0.14,0.766,0.304,0.1725,0.255', SPARKML_400, "CSV"),
    # JSON of wrong shapes
    case("json-syntax", '{"data": ["F",]}', SPARKML_400, "not valid JSON", content_type=JSON),
    case("json-top-level-list", json.dumps(GOOD_JSON), SPARKML_400, '"data"', content_type=JSON),
    case("json-top-level-string", json.dumps(GOOD), SPARKML_400, '"data"', content_type=JSON),
    case("json-no-data-key", json.dumps({"rows": [GOOD_JSON]}), SPARKML_400, '"data"', content_type=JSON),
    case("json-data-number", json.dumps({"data": 5}), SPARKML_400, "must be a list", content_type=JSON),
    case("json-data-object", json.dumps({"data": {"sex": "F"}}), SPARKML_400, "must be a list", content_type=JSON),
    case("json-data-empty", json.dumps({"data": []}), SPARKML_400, "got 0", content_type=JSON),
    case("json-null-number", json.dumps({"data": ["F", None, *GOOD_JSON[2:]]}), SPARKML_400, "'length'", "null",
         content_type=JSON),
    case("json-object-in-number", json.dumps({"data": ["F", {"a": 1}, *GOOD_JSON[2:]]}), SPARKML_400, "'length'",
         content_type=JSON),
    case("json-bool-in-number", json.dumps({"data": ["F", True, *GOOD_JSON[2:]]}), SPARKML_400, "'length'",
         content_type=JSON),
    case("json-list-as-category", json.dumps({"data": [["F"], *GOOD_JSON[1:]]}), SPARKML_400, "'sex'",
         content_type=JSON),
    case("json-deep-nesting", "[" * 100_000 + "]" * 100_000, SPARKML_400, "nested too deeply", content_type=JSON),
    case("json-5000-digit-int", '{"data": ["F", ' + "9" * 5000 + ", 1, 1, 1, 1, 1, 1]}", SPARKML_400, "JSON",
         content_type=JSON),
    case("json-bad-schema", json.dumps({"schema": "nope", "data": GOOD_JSON}), SPARKML_400, "schema",
         content_type=JSON),
    case("jsonlines-bad-second-line", json.dumps({"data": GOOD_JSON}) + "\n{oops", SPARKML_400, "line 2",
         content_type=JSONL),
    # content types and Accept
    case("content-type-xml", "<row/>", SPARKML_415, "text/csv", content_type="application/xml"),
    case("content-type-missing", GOOD, SPARKML_415, "(none)", content_type=None),
    case("content-type-libsvm", "0:1 1:2", SPARKML_415, content_type="text/libsvm"),
    case("content-type-multipart", GOOD, SPARKML_415, content_type="multipart/form-data; boundary=x"),
    case("content-type-nonsense", GOOD, SPARKML_415, content_type="text/csv/extra"),
    case("accept-image", GOOD, XGBOOST_406, "not supported", accept="image/png"),
    case("accept-garbage", GOOD, XGBOOST_406, "not supported", accept="garbage"),
    case("accept-semicolons", GOOD, XGBOOST_406, accept=";;"),
    case("accept-jsonlines-text", GOOD, XGBOOST_406, accept="application/jsonlines;data=text"),
    # the front end's own limits
    case("oversized-body", b"x" * (CLIENT_LIMIT + 1), 413, "6 MB"),
    case("oversized-rows", (GOOD + "\n").encode() * (CLIENT_LIMIT // len(GOOD) + 1), 413, "6 MB"),
]


@pytest.fixture(scope="module")
def endpoint(abalone_pipeline, tmp_path_factory):
    state = tmp_path_factory.mktemp("bad-inputs") / "state.json"
    with LocalEndpoint(abalone_pipeline, workers=1, state_file=state) as running:
        yield running


@pytest.fixture(scope="module")
def baseline(abalone_trained) -> str:
    """The answer to GOOD, computed without the endpoint (the corpus must never change it)."""
    return expected_reply(abalone_trained, GOOD)


def post(url: str, path: str, body: bytes | str, content_type: str | None = CSV, accept: str | None = None,
         **headers: str) -> requests.Response:
    headers = dict(headers)
    if content_type is not None:
        headers["Content-Type"] = content_type
    if accept is not None:
        headers["Accept"] = accept
    return requests.post(url + path, data=body, headers=headers, timeout=60)


def message_of(reply: requests.Response, path: str) -> str:
    """The error text: plain text on /invocations, the AWS JSON error's message on the runtime path."""
    if path == PATHS[0]:
        assert reply.headers["Content-Type"].startswith("text/plain")
        return reply.text
    assert reply.headers["Content-Type"] == "application/json"
    return reply.json()["message"]


def assert_clean_4xx(reply: requests.Response, path: str, expect, words) -> None:
    text = message_of(reply, path)
    assert "Traceback" not in reply.text and 'File "' not in reply.text
    assert text.strip() and len(text) <= MAX_MESSAGE, text[:2000]
    if isinstance(expect, tuple):
        container, status = expect
        assert reply.status_code == 424, reply.text[:500]
        assert text.startswith(f"Received client error ({status}) from {container} with message"), text[:500]
        if path != PATHS[0]:
            assert reply.headers["x-amzn-ErrorType"] == "ModelError"
            assert reply.json()["OriginalStatusCode"] == status
    else:
        assert reply.status_code == expect, reply.text[:500]
    for word in words:
        assert word in text, text[:2000]


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("path", PATHS, ids=["invocations", "runtime-api"])
@pytest.mark.parametrize("body, content_type, accept, expect, words", CORPUS)
def test_hostile_request_gets_a_clean_4xx(endpoint, baseline, path, body, content_type, accept, expect, words):
    assert_clean_4xx(post(endpoint.url, path, body, content_type, accept), path, expect, words)


def chunks(data: bytes, size: int = 64 * 1024):
    for start in range(0, len(data), size):
        yield data[start:start + size]


@pytest.mark.parametrize("path", PATHS, ids=["invocations", "runtime-api"])
def test_chunked_bodies_are_read_and_limited_like_sized_ones(endpoint, baseline, path):
    assert post(endpoint.url, path, chunks(GOOD.encode())).text == baseline
    assert_clean_4xx(post(endpoint.url, path, chunks(row(sex="X").encode())), path, SPARKML_400, ["Unseen label"])
    assert_clean_4xx(post(endpoint.url, path, chunks(b"x" * (CLIENT_LIMIT + 1))), path, 413, ["6 MB"])


@pytest.mark.parametrize("path", PATHS, ids=["invocations", "runtime-api"])
@pytest.mark.parametrize("body", [b"", b"   \n\r\n  "], ids=["empty", "whitespace"])
def test_an_empty_body_is_a_204(endpoint, path, body):
    reply = post(endpoint.url, path, body)
    assert reply.status_code == 204 and reply.content == b""


def test_an_unknown_endpoint_name_on_the_runtime_path_is_a_400(endpoint):
    reply = post(endpoint.url, "/endpoints/other/invocations", GOOD)
    assert reply.status_code == 400 and reply.headers["x-amzn-ErrorType"] == "ValidationError"
    assert "Endpoint other not found" in reply.json()["message"]


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/invocations", 405), ("PUT", "/invocations", 405), ("POST", "/ping", 405),
    ("DELETE", "/endpoints/sparkleap/invocations", 404), ("GET", "/../../etc/passwd", 404),
    ("POST", "/endpoints/a/b/invocations", 404)])
def test_other_methods_are_a_405_and_other_paths_a_404(endpoint, method, path, status):
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    reply = raw_request(endpoint.url, head.encode())
    assert reply.startswith(f"HTTP/1.1 {status}".encode()), reply[:200]


def raw_request(url: str, data: bytes) -> bytes:
    """Send `data` as is on a fresh connection; the server's whole answer, read until it closes."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


REQUEST = "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
HEADER_ODDITIES = [
    pytest.param(REQUEST + "Content-Length: abc\r\n\r\n" + GOOD, id="content-length-not-a-number"),
    pytest.param(REQUEST + "Content-Length: -5\r\n\r\n" + GOOD, id="content-length-negative"),
    pytest.param(REQUEST + f"Content-Length: {len(GOOD)}\r\nContent-Length: 3\r\n\r\n" + GOOD,
                 id="content-length-twice-differing"),
    pytest.param(REQUEST + f"Content-Length: {len(GOOD)}\r\nTransfer-Encoding: chunked\r\n\r\n" + GOOD,
                 id="content-length-and-chunked"),
    pytest.param(REQUEST + "X-Big: " + "a" * 9000 + f"\r\nContent-Length: {len(GOOD)}\r\n\r\n" + GOOD,
                 id="header-over-8-kb"),
    pytest.param(REQUEST + "".join(f"X-H{i}: 1\r\n" for i in range(150)) + f"Content-Length: {len(GOOD)}\r\n\r\n"
                 + GOOD, id="150-headers"),
    pytest.param(REQUEST + f"no colon here\r\nContent-Length: {len(GOOD)}\r\n\r\n" + GOOD, id="header-without-colon"),
    pytest.param(REQUEST + f"Bad Name: 1\r\nContent-Length: {len(GOOD)}\r\n\r\n" + GOOD, id="space-in-header-name"),
    pytest.param("POST /invocations?" + "q" * 9000 + " HTTP/1.1\r\nHost: x\r\n\r\n", id="request-line-over-8-kb"),
    pytest.param("POST /invocations HTTP/9.9\r\nHost: x\r\n\r\n", id="unknown-http-version"),
    pytest.param("GARBAGE\r\n\r\n", id="no-http-at-all"),
]


@pytest.mark.parametrize("data", HEADER_ODDITIES)
def test_malformed_http_gets_a_4xx_without_a_stack_trace(endpoint, data):
    answer = raw_request(endpoint.url, data.encode("latin-1"))
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 4") or status_line.startswith(b"HTTP/1.0 4"), answer[:300]
    assert b"Traceback" not in answer and b'File "' not in answer


ODD_BUT_VALID = [
    pytest.param(dict(content_type="TEXT/CSV; charset=UTF-8"), id="content-type-upper-case-with-charset"),
    pytest.param(dict(accept="*/*"), id="accept-anything"),
    pytest.param(dict(accept="text/csv;q=0.9, application/json"), id="accept-list-with-q"),
    pytest.param(dict(**{"X-Amzn-SageMaker-Custom-Attributes": "a" * 1024}), id="custom-attributes-1-kb"),
    pytest.param(dict(body=GOOD + "\r\n"), id="crlf-line-end"),
    pytest.param(dict(body="\n\n" + GOOD + "\n\n"), id="blank-lines-around"),
    pytest.param(dict(body="\ufeff" + GOOD), id="utf8-byte-order-mark"),
]


@pytest.mark.parametrize("changes", ODD_BUT_VALID)
def test_odd_but_valid_requests_get_the_right_answer(endpoint, baseline, changes):
    changes = dict(changes)
    accept = changes.pop("accept", None)
    reply = post(endpoint.url, PATHS[0], changes.pop("body", GOOD), changes.pop("content_type", CSV), accept,
                 **changes)
    assert reply.status_code == 200, reply.text[:300]
    assert reply.text == baseline


def test_the_endpoint_is_healthy_and_correct_after_the_corpus(endpoint, baseline):
    assert requests.get(endpoint.url + "/ping", timeout=10).status_code == 200
    for path in PATHS:
        assert post(endpoint.url, path, GOOD).text == baseline
    metrics = requests.get(endpoint.url + "/metrics", timeout=10).text
    assert 'requests_total{status="4' in metrics
    assert not [line for line in metrics.splitlines() if line.startswith('sparkleap_pipeline_requests_total{status="5')]
    for container in endpoint.supervisor.containers:
        assert container.restarts == 0 and container.alive()
