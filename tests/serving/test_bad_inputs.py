"""Bad-input corpora, one per container, sent over real HTTP: every malformed request gets a 4xx with a
short plain-text message naming the problem (row/column where there is one), never a 500 or a stack
trace, and the server keeps serving afterwards."""

from __future__ import annotations

import pytest

from tests.helpers.request_corpora import (
    EXPECTED,
    GOOD,
    SPARKML_CORPUS,
    XGB_CORPUS,
    assert_clean_client_error,
    server_errors,
)

pytestmark = pytest.mark.process  # starts server processes


def test_corpora_are_large_enough():
    assert len(SPARKML_CORPUS) >= 50 and len(XGB_CORPUS) >= 50


@pytest.mark.parametrize("body, content_type, accept, status, words", SPARKML_CORPUS)
def test_sparkml_bad_input_is_a_clean_4xx(sparkml, body, content_type, accept, status, words):
    assert_clean_client_error(sparkml.post(body, content_type=content_type, accept=accept), status, words)


@pytest.mark.parametrize("body, content_type, accept, status, words", XGB_CORPUS)
def test_xgboost_bad_input_is_a_clean_4xx(xgboost, body, content_type, accept, status, words):
    assert_clean_client_error(xgboost.post(body, content_type=content_type, accept=accept), status, words)


def test_sparkml_still_serves_after_the_corpus(sparkml):
    assert sparkml.get("/ping").status_code == 200
    assert sparkml.post(GOOD).text == EXPECTED
    assert server_errors(sparkml, "sparkleap_sparkml") == []


def test_xgboost_still_serves_after_the_corpus(xgboost):
    assert xgboost.get("/ping").status_code == 200
    assert xgboost.post("1,2,3").status_code == 200
    assert server_errors(xgboost, "sparkleap_xgboost") == []
