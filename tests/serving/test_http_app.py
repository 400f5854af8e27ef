"""The HTTP side every server shares (`serving.http_app`), in-process through werkzeug's test client: POST
/invocations answers alike on its fast path and through its Flask route, the contract's 404/405 wording,
a 204 without Content-Type, and an unexpected fault as a logged 500 with the generic message."""

from __future__ import annotations

import logging

import pytest
from werkzeug.test import Client

from serving.contract import Invocation, Reply
from serving.errors import BadInput
from serving.http_app import ContainerApp, sagemaker_app
from serving.http_errors import INTERNAL_MESSAGE
from serving.settings import Settings

pytestmark = pytest.mark.unit


class Upper:
    """A model that upper-cases the body; `FAIL` is bad input, `BUG` a fault in the model."""

    batch_strategy = "MULTI_RECORD"
    no_content_for_empty_body = True

    def invoke(self, request: Invocation) -> Reply:
        if request.body == b"FAIL":
            raise BadInput("row 1: FAIL is not a row")
        if request.body == b"BUG":
            raise ZeroDivisionError("division by zero")
        return Reply(request.body.upper(), "text/csv", 1)

    def warm_up(self) -> None:
        pass


@pytest.fixture
def served():
    container = ContainerApp("upper", Upper(), Settings.from_env({}))
    return sagemaker_app("upper", container.metrics, container.invocations, lambda: {"BatchStrategy": "MULTI_RECORD"},
                         lambda: "")


def answer(app, method: str, path: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    resp = Client(app).open(path, method=method, data=body, content_type="text/csv")
    return resp.status_code, dict(resp.headers), resp.get_data()


@pytest.mark.parametrize("body", [b"a,b", b"", b"FAIL", b"BUG"])
def test_invocations_answer_alike_on_the_fast_path_and_through_flask(served, body):
    fast = answer(served, "POST", "/invocations", body)
    assert fast == answer(served.flask, "POST", "/invocations", body)
    status, headers, text = fast
    assert status == {b"a,b": 200, b"": 204, b"FAIL": 400, b"BUG": 500}[body]
    if status == 204:
        assert text == b"" and not {"Content-Type", "Content-Length"} & set(headers)
    else:
        assert int(headers["Content-Length"]) == len(text)


def test_a_fault_is_a_500_with_the_generic_message_and_a_log_line(served, caplog):
    with caplog.at_level(logging.ERROR, "sparkleap.serving"):
        status, _, text = answer(served, "POST", "/invocations", b"BUG")
    assert (status, text.decode()) == (500, INTERNAL_MESSAGE)
    assert "upper: unexpected error while handling POST /invocations" in caplog.text
    assert "ZeroDivisionError" in caplog.text


def test_other_paths_and_methods_answer_in_the_contract_words(served):
    assert answer(served, "GET", "/ping")[::2] == (200, b"")
    assert answer(served, "GET", "/execution-parameters")[2] == b'{"BatchStrategy": "MULTI_RECORD"}'
    status, headers, text = answer(served, "GET", "/invocations")
    assert (status, headers["Allow"], text) == (405, "POST", b"method GET is not allowed on /invocations; use POST\n")
    assert answer(served, "PUT", "/ping")[1]["Allow"] == "GET"
    assert answer(served, "GET", "/ping/x")[::2] == (404, b"no such path: GET /ping/x\n")
    answer(served, "POST", "/invocations", b"FAIL")
    assert 'sparkleap_upper_requests_total{status="400"} 1.0' in answer(served, "GET", "/metrics")[2].decode()
