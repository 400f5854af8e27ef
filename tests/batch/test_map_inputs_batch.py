"""Batch transform carries the values MLeap's extension ops take: a JSON Lines file of map rows through a
two-container SparkML pipeline (MapEntrySelector, then MathUnary), with the containers' own codecs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import bundles
from bundles.bundle import Bundle
from bundles.ops.base import Shape
from bundles.ops.map_entry_selector import MapEntrySelector
from bundles.ops.math_unary import MathUnary
from serving.batch.engines.run import run_with_engine
from serving.batch.options import JSONLINES, TransformOptions
from serving.inference_pipeline.description import Container, Pipeline

ROWS = [({"a": 2.5, "b": 4.0}, "b"), ({"a": 2.5}, "zz"), ({"ü": 10.0}, "ü")]


def pipeline(folder: Path) -> Pipeline:
    select = MapEntrySelector("select", Shape([("input", "m"), ("key", "k")], [("output", "v")]), "double", 1.0)
    bundles.save_bundle(Bundle(select), folder / "select")
    bundles.save_bundle(Bundle(MathUnary("log", Shape.single("v", "log_v"), "log")), folder / "log")
    return Pipeline((Container("select", "sparkml", str(folder / "select")),
                     Container("log", "sparkml", str(folder / "log"))))


def test_a_jsonlines_file_of_maps_goes_through_a_sparkml_pipeline_in_batch(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "maps.jsonl").write_text("\n".join(json.dumps({"data": [m, k]}) for m, k in ROWS) + "\n")
    result = run_with_engine("inprocess", pipeline(tmp_path), str(source), str(tmp_path / "out"),
                             TransformOptions(content_type=JSONLINES, accept="text/csv"), quiet=True)
    assert [f.status for f in result.files] == ["completed"]
    lines = (tmp_path / "out" / "maps.jsonl.out").read_text().splitlines()
    assert [float(x) for x in lines] == [math.log(m.get(k, 1.0)) for m, k in ROWS]


def test_a_bad_map_in_a_batch_file_fails_the_file_naming_the_record_and_column(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "maps.jsonl").write_text(json.dumps({"data": [{"a": 1.0}, "a"]}) + "\n" +
                                       json.dumps({"data": [3, "a"]}) + "\n")
    options = TransformOptions(content_type=JSONLINES, accept="text/csv", batch_strategy="SingleRecord")
    result = run_with_engine("inprocess", pipeline(tmp_path), str(source), str(tmp_path / "out"), options, quiet=True)
    (failed,) = result.files
    assert failed.status == "failed" and failed.record == 2  # 1-based: the second record
    assert "column 'm'" in failed.reason and "expected a map" in failed.reason and "got 3" in failed.reason
