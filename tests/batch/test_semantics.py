"""The Batch Transform rules on their own: JSONPath subset, splitting and packing, joins, option constraints."""

from __future__ import annotations

import struct

import pytest

from serving.batch import dataprocessing, jsonpath, records
from serving.batch.options import OptionsError, TransformOptions

ROW = ["a", "b", "c", "d", "e", "f", "g"]


@pytest.mark.parametrize(("path", "expected"), [
    ("$", ROW),
    ("$[1:4]", ["b", "c", "d", "e"]),  # inclusive, as documented: 2nd through 5th
    ("$[:5]", ROW[:6]),  # 1st through 6th
    ("$[1:]", ROW[1:]),
    ("$[0,5:]", ["a", "f", "g"]),
    ("$[0,-1]", ["a", "g"]),
    ("$[-2:]", ["f", "g"]),
    ("$[2]", "c"),
    ("$[*]", ROW),
])
def test_index_paths_on_rows(path, expected):
    assert jsonpath.parse(path).apply(ROW) == expected


def test_name_paths_on_objects():
    record = {"id": 7, "features": {"data": [1, 2]}, "SageMakerOutput": 3.5}
    assert jsonpath.parse("$.features").apply(record) == {"data": [1, 2]}
    assert jsonpath.parse("$.features.data[1]").apply(record) == 2
    assert jsonpath.parse("$['id','SageMakerOutput']").apply(record) == {"id": 7, "SageMakerOutput": 3.5}
    assert jsonpath.parse("$.*").apply({"a": 1, "b": 2}) == [1, 2]


@pytest.mark.parametrize(("path", "message"), [
    ("features", r"must start with \$"),
    ("$..x", "unsupported syntax"),
    ("$[a-b]", "neither quoted names"),
    ("$" + "[0]" * 30, "longer than 63"),
])
def test_paths_outside_the_subset_are_refused(path, message):
    with pytest.raises(jsonpath.JsonPathError, match=message):
        jsonpath.parse(path)


def test_an_index_outside_the_record_is_an_error():
    with pytest.raises(jsonpath.JsonPathError, match="index 9 is outside the record's 7 elements"):
        jsonpath.parse("$[0,9]").apply(ROW)
    with pytest.raises(jsonpath.JsonPathError, match="no attribute 'x'"):
        jsonpath.parse("$.x").apply({"y": 1})


def test_line_split_drops_blank_lines_and_crlf():
    assert records.split(b"a,1\r\n\nb,2\n  \nc,3", "Line") == [b"a,1", b"b,2", b"c,3"]
    assert records.split(b"whole\nfile\n", "None") == [b"whole\nfile\n"]


def recordio(*payloads: bytes) -> bytes:
    out = b""
    for p in payloads:
        out += struct.pack("<II", records.RECORDIO_MAGIC, len(p)) + p + b"\0" * (-len(p) % 4)
    return out


def test_recordio_split_keeps_frames_and_multirecord_keeps_padding():
    data = recordio(b"abcde", b"xy")
    recs = records.split(data, "RecordIO")
    assert recs == [data[:13], data[16:26]]
    assert records.pack(recs, "RecordIO", "MultiRecord", None)[0].payload == data
    assert [r.payload for r in records.pack(recs, "RecordIO", "SingleRecord", None)] == recs
    with pytest.raises(records.RecordError, match="bad RecordIO magic"):
        records.split(b"\0" * 12, "RecordIO")


def test_multirecord_packs_up_to_the_limit_singlerecord_one_each():
    recs = [b"x" * 9] * 5  # 10 bytes each with the line end
    multi = records.pack(recs, "Line", "MultiRecord", 25)
    assert [(r.first, r.count) for r in multi] == [(0, 2), (2, 2), (4, 1)]
    assert multi[0].payload == b"x" * 9 + b"\n" + b"x" * 9 + b"\n"
    single = records.pack(recs, "Line", "SingleRecord", 25)
    assert [(r.first, r.count, r.payload) for r in single][:1] == [(0, 1, b"x" * 9)]
    assert len(records.pack(recs, "Line", "MultiRecord", None)) == 1  # MaxPayloadInMB 0: no limit


def test_a_record_over_the_limit_is_an_error_naming_it():
    with pytest.raises(records.RecordError, match="record 2 is 30 bytes, over MaxPayloadInMB") as err:
        records.pack([b"a", b"b" * 30], "Line", "MultiRecord", 20)
    assert err.value.record == 2
    with pytest.raises(records.RecordError, match="SplitType None sends the whole file"):
        records.pack([b"b" * 30], "None", "MultiRecord", 20)


def test_csv_join_appends_prediction_to_the_original_row_then_filters():
    options = TransformOptions(input_filter="$[1:]", join_source="Input", output_filter="$[0,-1]")
    inputs = [b'id1,F,"a,b",0.5', b"id2,M,x,0.7"]
    assert dataprocessing.filter_inputs(inputs, options) == [b'F,"a,b",0.5', b"M,x,0.7"]
    joined = dataprocessing.join_and_filter(inputs, [b"11.5", b"9.25"], 0, options)
    assert joined == [b"id1,11.5", b"id2,9.25"]
    full = dataprocessing.join_and_filter([b"1,2,3"], [b"1"], 0, TransformOptions(join_source="Input"))
    assert full == [b"1,2,3,1"]  # the documented example


def test_json_join_under_sagemaker_output_or_input():
    options = TransformOptions(content_type="application/jsonlines", accept="application/jsonlines",
                               join_source="Input")
    assert dataprocessing.join_and_filter([b'{"id":1}'], [b"2.5"], 0, options) == [b'{"id":1,"SageMakerOutput":2.5}']
    assert dataprocessing.join_and_filter([b"[1,2]"], [b"x y"], 0, options) == \
        [b'{"SageMakerInput":[1,2],"SageMakerOutput":"x y"}']
    with pytest.raises(dataprocessing.RecordProcessingError, match="reserved attribute"):
        dataprocessing.join_and_filter([b'{"SageMakerOutput":1}'], [b"2"], 0, options)


def test_assemble_line_adds_one_newline_only_where_missing():
    assert dataprocessing.assemble([b"1\n2\n", b"3"], "Line") == b"1\n2\n3\n"
    assert dataprocessing.assemble([b"1\n2\n", b"3"], "None") == b"1\n2\n3"


def test_responses_must_match_the_records_one_to_one():
    with pytest.raises(dataprocessing.RecordProcessingError, match="2 output records for 3 input records"):
        dataprocessing.split_response(b"1\n2\n", 3, 0)


@pytest.mark.parametrize(("fields", "message"), [
    ({"split_type": "TFRecord"}, "TFRecord is not supported"),
    ({"max_payload_mb": 101}, "MaxPayloadInMB must be 0..100"),
    ({"max_payload_mb": 30, "max_concurrent_transforms": 4}, "exceeds 100 MB"),
    ({"join_source": "Input", "assemble_with": "None"}, "need SplitType Line and AssembleWith Line"),
    ({"input_filter": "$[1:]", "split_type": "None"}, "need SplitType Line and AssembleWith Line"),
    ({"input_filter": "$.features"}, "only index-based JSONPaths"),
    ({"join_source": "Input", "accept": "application/x-recordio-protobuf"}, "Accept among"),
    ({"max_retries": 4}, "InvocationsMaxRetries must be 0..3"),
    ({"batch_strategy": "Multi"}, "BatchStrategy must be one of"),
])
def test_constraints_sagemaker_enforces(fields, message):
    with pytest.raises(OptionsError, match=message):
        TransformOptions(**fields).validate()


def test_unset_fields_come_from_execution_parameters_then_defaults():
    answer = {"MaxConcurrentTransforms": 4, "BatchStrategy": "SINGLE_RECORD", "MaxPayloadInMB": 5}
    chosen = TransformOptions(max_payload_mb=2).resolved(answer)
    assert (chosen.batch_strategy, chosen.max_payload_mb, chosen.max_concurrent_transforms) == ("SingleRecord", 2, 4)
    default = TransformOptions().resolved(None)
    assert (default.batch_strategy, default.max_payload_mb, default.max_concurrent_transforms) == ("MultiRecord", 6, 1)
