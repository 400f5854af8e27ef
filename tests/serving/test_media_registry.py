"""The one media-type registry (`serving.codecs.MEDIA_TYPES`): names, aliases and parameters resolve to one
entry; every type a container reads or answers, the batch options and `predict` use is registered; an alias
works wherever its type does (Content-Type, Accept, `predict`'s record split)."""

from __future__ import annotations

import io
import json

import pytest

from serving import codecs
from serving.batch.options import DATA_TYPES, OptionsError, TransformOptions
from serving.contract import Invocation, resolve_accept
from serving.errors import UnsupportedMediaType
from serving.http_errors import status_of
from serving.inference_pipeline.predict import SENT, requests_of
from serving.settings import Settings
from serving.sparkml import app as sparkml_app
from serving.xgboost import app as xgboost_app
from tests.helpers.servers import TITANIC_MODEL, TITANIC_SCHEMA, schema_json

ROWS = [[1.0, "C", 38.0, 71.5, 1.0, "female"], [3.0, "S", 22.0, 7.25, 0.0, "male"]]


@pytest.mark.parametrize("header, name", [
    ("text/csv", "text/csv"), ("Text/CSV; charset=utf-8", "text/csv"), ("csv", "text/csv"),
    ("application/x-jsonlines", "application/jsonlines"), ("application/jsonlines;charset=utf-8",
                                                           "application/jsonlines"),
    ("application/jsonlines; data=text", "application/jsonlines;data=text"),
    ("text/x-libsvm", "text/libsvm"), ("text/csv;header=absent", "text/csv"),
])
def test_names_aliases_and_parameters_resolve_to_one_registered_type(header, name):
    assert codecs.media_of(header).name == codecs.canonical(header) == name


def test_an_unregistered_type_has_no_entry_and_keeps_its_normalised_name():
    assert codecs.media_of("image/png") is None and codecs.canonical(" Image/PNG ") == "image/png"


def test_every_type_the_containers_batch_and_predict_use_is_registered():
    used = {*sparkml_app.ACCEPTS, *sparkml_app.SparkMLModel.READERS, *xgboost_app.ACCEPTS, *xgboost_app.READERS,
            *DATA_TYPES, *SENT}
    assert {codecs.MEDIA_TYPES[name].name for name in used} == used


@pytest.fixture(scope="module")
def sparkml(shared):
    env = {"SM_MODEL_DIR": str(shared / TITANIC_MODEL), "SAGEMAKER_SPARKML_SCHEMA": schema_json(TITANIC_SCHEMA)}
    return sparkml_app.load_model(Settings.from_env(env))


def test_the_jsonlines_alias_is_read_and_answered_as_jsonlines(sparkml):
    body = "\n".join(json.dumps({"data": row}) for row in ROWS).encode()
    plain = sparkml.invoke(Invocation(body, codecs.JSONLINES, codecs.JSONLINES))
    alias = sparkml.invoke(Invocation(body, "application/x-jsonlines", "application/x-jsonlines"))
    assert alias == plain and plain.content_type == codecs.JSONLINES and plain.rows == 2
    assert resolve_accept("application/x-jsonlines", sparkml_app.ACCEPTS, codecs.CSV) == codecs.JSONLINES


@pytest.mark.parametrize("kind", ["sparkml", "xgboost"])
def test_a_type_the_container_does_not_read_is_a_415_listing_the_ones_it_does(sparkml, tiny_booster, kind):
    if kind == "sparkml":
        model, reads = sparkml, sparkml_app.SparkMLModel.READERS
    else:
        model = xgboost_app.load_model(Settings.from_env({"SM_MODEL_DIR": str(tiny_booster[0])}))
        reads = xgboost_app.READERS
    with pytest.raises(UnsupportedMediaType) as err:
        model.invoke(Invocation(b"1,2,3", "image/png", ""))
    assert status_of(err.value) == 415
    assert str(err.value) == f"Content-Type 'image/png' is not supported; use one of {', '.join(reads)}"


def test_predict_splits_the_jsonlines_alias_by_line_and_json_as_one_document():
    lines = b'{"data": [1]}\n{"data": [2]}\n'
    assert list(requests_of(io.BytesIO(lines), "application/x-jsonlines", 14)) == [
        (b'{"data": [1]}\n', 1), (b'{"data": [2]}\n', 1)]
    assert list(requests_of(io.BytesIO(b'{"data": [[1], [2]]}'), "application/json", 100)) == [
        (b'{"data": [[1], [2]]}', 2)]


def test_batch_filters_take_an_alias_of_a_data_type():
    TransformOptions(content_type="application/x-jsonlines", accept="text/csv; charset=utf-8",
                     input_filter="$.data").validate()
    with pytest.raises(OptionsError, match="filters and joins need ContentType"):
        TransformOptions(content_type="text/libsvm", input_filter="$[1:]").validate()


def test_content_type_parameters_never_change_how_a_body_is_read(sparkml):
    body = json.dumps({"data": ROWS}).encode()
    lines = b"\n".join(json.dumps({"data": row}).encode() for row in ROWS)
    assert codecs.content_media("application/jsonlines; data=text") == codecs.JSONLINES
    assert sparkml.invoke(Invocation(lines, "application/jsonlines; data=text", "")) == \
        sparkml.invoke(Invocation(body, "application/json; charset=utf-8", ""))
