"""The values issue 15's ops take and produce, through the SparkML container app: the LSH ops' arrays of
vectors (fitted in Spark, answers equal to Spark's `hashes`), MapEntrySelector's map input and
MultinomialLabeler's arrays of double and string (built through our writer, answers as the ops document), in
CSV, JSON and JSON Lines requests and every Accept; bad values are a 400 naming the column and row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.test import Client

import bundles
from bundles.bundle import Bundle
from bundles.inspect import describe
from bundles.ops.base import Shape
from bundles.ops.map_entry_selector import MapEntrySelector
from bundles.ops.multinomial_labeler import MultinomialLabeler
from bundles.spark import bundle_from_spark
from serving import fastcsv
from serving.schema import SchemaError, parse_schema
from serving.settings import Settings
from serving.sparkml.app import SparkMLModel, create
from tests.helpers.servers import running, schema_json

CSV, JSON, JSONLINES, TEXT = "text/csv", "application/json", "application/jsonlines", "application/jsonlines;data=text"
XYZ = [(1.0, 2.0, 0.5), (-3.0, 0.25, 4.0), (0.0, 7.5, 1.0), (2.5, 0.0, 0.0), (6.0, -1.5, 3.0)]
LSH_SCHEMA = {"input": [{"name": "x", "type": "double"}, {"name": "y", "type": "double"},
                        {"name": "z", "type": "double"}],
              "output": {"name": "h", "type": "vector", "struct": "array"}}


def client(folder: Path, schema: dict | None = None, accept: str = "") -> Client:
    """The SparkML container's WSGI app over the bundle at `folder`, in this process."""
    env = {"SM_MODEL_DIR": str(folder), "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": accept}
    if schema is not None:
        env["SAGEMAKER_SPARKML_SCHEMA"] = json.dumps(schema)
    return Client(create(Settings.from_env(env)))


def post(app: Client, body: str, content_type: str = CSV, accept: str = "") -> tuple[int, str]:
    resp = app.post("/invocations", data=body.encode(), content_type=content_type,
                    headers={"Accept": accept} if accept else {})
    return resp.status_code, resp.get_data(as_text=True)


def lines(text: str) -> list:
    return [json.loads(line) for line in text.split("\n")]


def csv_rows(text: str) -> list[list[float]]:
    return [[float(x) for x in line.split(",")] for line in text.split("\n")]


# ---- LSH: Spark's array of 1-element vectors ----------------------------------------------------------------
@pytest.fixture(scope="module", params=["bucketed_random_projection_lsh", "min_hash_lsh"])
def lsh_model(request, spark, tmp_path_factory):
    """(bundle folder, Spark's hashes per row as lists of 1-element lists) for one LSH op over x, y, z."""
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import BucketedRandomProjectionLSH, MinHashLSH, VectorAssembler

    data = spark.createDataFrame(XYZ, ["x", "y", "z"])
    lsh = (BucketedRandomProjectionLSH(inputCol="v", outputCol="h", bucketLength=1.5, numHashTables=3, seed=7)
           if request.param == "bucketed_random_projection_lsh" else
           MinHashLSH(inputCol="v", outputCol="h", numHashTables=3, seed=7))
    model = Pipeline(stages=[VectorAssembler(inputCols=["x", "y", "z"], outputCol="v"), lsh]).fit(data)
    folder = tmp_path_factory.mktemp(request.param) / "model"
    bundles.save_bundle(bundle_from_spark(model, data), folder)
    hashes = [[[float(x) for x in vector] for vector in row["h"]] for row in model.transform(data).collect()]
    return folder, hashes


def test_the_derived_schema_names_lsh_hashes_an_array_of_vectors(lsh_model):
    folder, _ = lsh_model
    assert bundles.load_bundle(folder).serving_schema() == LSH_SCHEMA
    assert describe(str(folder))["schema"]["output"] == LSH_SCHEMA["output"]


@pytest.mark.parametrize("count", [1, len(XYZ)])  # the single-row path and the columnar path
def test_lsh_hashes_equal_sparks_in_every_request_and_response_type(lsh_model, count):
    folder, spark_hashes = lsh_model
    app, want = client(folder), spark_hashes[:count]
    csv_body = "\n".join(",".join(map(str, r)) for r in XYZ[:count])
    for body, content_type in [(csv_body, CSV), (json.dumps({"data": [list(r) for r in XYZ[:count]]}), JSON),
                               ("\n".join(json.dumps({"data": list(r)}) for r in XYZ[:count]), JSONLINES)]:
        status, text = post(app, body, content_type, accept=JSONLINES)
        assert status == 200, text
        assert lines(text) == [{"features": h} for h in want]  # nested: Spark's 1-element vectors
        status, text = post(app, body, content_type, accept=CSV)
        assert csv_rows(text) == [[v[0] for v in h] for h in want]  # vectors end to end, as AWS writes a tensor
        status, text = post(app, body, content_type, accept=TEXT)
        assert [[float(x) for x in o["source"].split(" ")] for o in lines(text)] == [[v[0] for v in h] for h in want]


def test_lsh_hashes_served_as_a_vector_come_back_end_to_end_as_awss_container_writes_mleaps_tensor(lsh_model,
                                                                                                   monkeypatch):
    folder, spark_hashes = lsh_model
    columnar = []
    write = fastcsv.java_csv_lines
    monkeypatch.setattr(fastcsv, "java_csv_lines", lambda matrix: columnar.append(matrix.shape) or write(matrix))
    schema = {**LSH_SCHEMA, "output": {"name": "h", "type": "double", "struct": "vector"}}
    app = client(folder, schema)
    for rows in (XYZ[:1], XYZ):
        status, text = post(app, "\n".join(",".join(map(str, r)) for r in rows), accept=JSONLINES)
        assert status == 200, text
        assert lines(text) == [{"features": [v[0] for v in h]} for h in spark_hashes[:len(rows)]]
    many = XYZ * 3  # enough rows for the columnar CSV path
    status, text = post(app, "\n".join(",".join(map(str, r)) for r in many), accept=CSV)
    assert csv_rows(text) == [[v[0] for v in h] for h in spark_hashes * 3]
    assert columnar == [(len(many), 3)]  # the columnar path took the (rows, tables, 1) hashes


def test_an_array_of_vectors_output_declared_as_an_array_of_doubles_is_refused_at_start(lsh_model):
    folder, _ = lsh_model
    bundle = bundles.load_bundle(folder)
    wrong = {**LSH_SCHEMA, "output": {"name": "h", "type": "double", "struct": "array"}}
    with pytest.raises(SchemaError, match=r"'h' is an array of vectors; give it \"struct\": \"array\", \"type\""):
        SparkMLModel(bundle, parse_schema(wrong))


def test_a_bad_lsh_row_is_a_400_naming_the_row(lsh_model, request):
    folder, _ = lsh_model
    app = client(folder)
    status, text = post(app, "1.0,2.0,0.5\n3.0,oops,1.0")
    assert status == 400 and "row 2, column 'y'" in text and "'oops' is not a double" in text, text
    if "min_hash_lsh" in request.node.callspec.id:  # Spark: "Must have at least 1 non zero entry."
        for body, row in (("0,0,0", 1), ("1.0,2.0,0.5\n0,0,0", 2)):
            status, text = post(app, body)
            assert status == 400 and f"row {row}" in text and "at least 1 non zero entry" in text, text


def test_vector_type_is_only_for_an_output_array():
    with pytest.raises(SchemaError, match="input/0/type"):
        parse_schema({"input": [{"name": "h", "type": "vector", "struct": "array"}], "output": LSH_SCHEMA["output"]})
    with pytest.raises(SchemaError, match="output"):
        parse_schema({"input": LSH_SCHEMA["input"], "output": {"name": "h", "type": "vector"}})


@pytest.mark.process
def test_lsh_hashes_over_real_http_equal_sparks(lsh_model):
    folder, spark_hashes = lsh_model
    with running("sparkml", folder, SAGEMAKER_SPARKML_SCHEMA=schema_json(LSH_SCHEMA),
                 SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT=JSONLINES) as srv:
        resp = srv.post("\n".join(",".join(map(str, r)) for r in XYZ))
        assert resp.status_code == 200, resp.text
        assert lines(resp.text) == [{"features": h} for h in spark_hashes]
        resp = srv.post(json.dumps({"data": [1.0, "two", 3.0]}), content_type=JSON)
        assert resp.status_code == 400 and "row 1, column 'y'" in resp.text


# ---- MapEntrySelector: a map column in -------------------------------------------------------------------------
MAP_SHAPE = Shape([("input", "m"), ("key", "k")], [("output", "v")])


@pytest.fixture(scope="module")
def map_selector(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("map_entry_selector") / "model"
    bundles.save_bundle(Bundle(MapEntrySelector("select", MAP_SHAPE, "double", -1.0)), folder)
    return folder


MAPS = [({"a": 1.5, "b": -2.0}, "a"), ({"a": 1.5, "b": -2.0}, "b"), ({"a": 3}, "zzz"), ({}, "a"),
        ({"ü, \"q\"": 0.25}, "ü, \"q\"")]
MAP_ANSWERS = [1.5, -2.0, -1.0, -1.0, 0.25]  # the value at the key, else the default


def test_the_derived_schema_gives_a_map_column_its_values_type(map_selector, tmp_path):
    assert bundles.load_bundle(map_selector).serving_schema()["input"] == [
        {"name": "m", "type": "double", "struct": "map"}, {"name": "k", "type": "string"}]
    bundles.save_bundle(Bundle(MapEntrySelector("select", MAP_SHAPE, "long", 0)), tmp_path / "long")
    assert describe(str(tmp_path / "long"))["schema"] == {
        "input": [{"name": "m", "type": "long", "struct": "map"}, {"name": "k", "type": "string"}],
        "output": {"name": "v", "type": "long", "struct": "basic"}}


@pytest.mark.parametrize("count", [1, len(MAPS)])
def test_a_map_column_is_read_from_json_jsonlines_and_csv(map_selector, count):
    app, want = client(map_selector), [repr(x) for x in MAP_ANSWERS[:count]]
    rows = [[m, k] for m, k in MAPS[:count]]
    status, text = post(app, json.dumps({"data": rows if count > 1 else rows[0]}), JSON)
    assert status == 200, text
    assert text.split("\n") == want
    status, text = post(app, "\n".join(json.dumps({"data": r}) for r in rows), JSONLINES)
    assert text.split("\n") == want
    csv_body = "\n".join('"' + json.dumps(m).replace('"', '""') + '","' + k.replace('"', '""') + '"' for m, k in rows)
    status, text = post(app, csv_body, CSV)
    assert status == 200, text
    assert text.split("\n") == want


@pytest.mark.process
def test_a_map_column_over_real_http(map_selector):
    with running("sparkml", map_selector) as srv:
        resp = srv.post("\n".join(json.dumps({"data": [m, k]}) for m, k in MAPS), content_type=JSONLINES)
        assert resp.status_code == 200, resp.text
        assert resp.text.split("\n") == [repr(x) for x in MAP_ANSWERS]
        resp = srv.post('"{""a"": 1.5}",a\n7,a\n')
        assert resp.status_code == 400 and "row 2, column 'm': expected a map" in resp.text, resp.text


def test_a_map_schema_in_the_request_is_honoured(map_selector):
    schema = {"input": [{"name": "m", "type": "double", "struct": "map"}, {"name": "k", "type": "string"}],
              "output": {"name": "v", "type": "double"}}
    status, text = post(client(map_selector), json.dumps({"schema": schema, "data": [{"x": 9.0}, "x"]}), JSON)
    assert (status, text) == (200, "9.0")


@pytest.mark.parametrize(("body", "content_type", "words"), [
    (json.dumps({"data": [[{"a": 1.0}, "a"], [3, "a"]]}), JSON, ["row 2, column 'm'", "expected a map", "got 3"]),
    (json.dumps({"data": [[{"a": 1.0}, "a"], [[1.0], "a"]]}), JSON, ["row 2, column 'm'", "expected a map"]),
    (json.dumps({"data": [{"a": "x"}, "a"]}), JSON, ["row 1, column 'm'", "'x' is not a double", "map key 'a'"]),
    (json.dumps({"data": [{"a": None}, "a"]}), JSON, ["row 1, column 'm'", "map key 'a' has a null value"]),
    (json.dumps({"data": [None, "a"]}), JSON, ["row 1, column 'm'", "expected a map", "null"]),
    ('"{""a"": 1.0}",a\nnot a map,a\n', CSV, ["row 2, column 'm'", "expected a map", "'not a map'"]),
    (json.dumps({"data": [{"a": 1.0}, "a"]}) + "\n" + json.dumps({"data": [7, "a"]}), JSONLINES,
     ["row 2, column 'm'", "got 7"]),
])
def test_a_bad_map_is_a_400_naming_the_column_and_row(map_selector, body, content_type, words):
    status, text = post(client(map_selector), body, content_type)
    assert status == 400
    for word in words:
        assert word in text, text


# ---- MultinomialLabeler: arrays of double and of string out ------------------------------------------------------
@pytest.fixture(scope="module")
def labeler(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("multinomial_labeler") / "model"
    shape = Shape([("features", "p")], [("probabilities", "probs"), ("labels", "names")])
    bundles.save_bundle(Bundle(MultinomialLabeler("labeler", shape, 0.25, ["cat", "dog, big", "ünï"])), folder)
    return folder


PROBS = [[0.5, 0.1, 0.4], [0.1, 0.8, 0.1], [0.25, 0.25, 0.5], [0.2, 0.2, 0.2]]
KEPT = [([0.5, 0.4], ["cat", "ünï"]), ([0.8], ["dog, big"]), ([0.25, 0.25, 0.5], ["cat", "dog, big", "ünï"]), ([], [])]


@pytest.mark.parametrize("count", [1, len(PROBS)])
def test_multinomial_labeler_arrays_in_every_response_type(labeler, count):
    body = json.dumps({"data": [[p] for p in PROBS[:count]]})
    probs, names = client(labeler), client(labeler, {"input": [{"name": "p", "type": "double", "struct": "vector"}],
                                                     "output": {"name": "names", "type": "string",
                                                                "struct": "array"}})
    want = KEPT[:count]
    status, text = post(probs, body, JSON, JSONLINES)
    assert status == 200, text
    assert lines(text) == [{"features": p} for p, _ in want]
    assert post(probs, body, JSON, CSV)[1].split("\n") == [",".join(map(repr, p)) for p, _ in want]
    assert lines(post(probs, body, JSON, TEXT)[1]) == [{"source": " ".join(map(repr, p))} for p, _ in want]
    assert lines(post(names, body, JSON, JSONLINES)[1]) == [{"features": n} for _, n in want]
    assert post(names, body, JSON, CSV)[1].split("\n") == [",".join(f'"{x}"' if "," in x else x for x in n)
                                                           for _, n in want]
    assert lines(post(names, body, JSON, TEXT)[1]) == [{"source": " ".join(n)} for _, n in want]


def test_the_derived_schema_types_multinomial_labeler_outputs(labeler):
    described = describe(str(labeler))
    assert described["schema"]["output"] == {"name": "probs", "type": "double", "struct": "array"}
    assert bundles.load_bundle(labeler).serving_schema("names")["output"] == {
        "name": "names", "type": "string", "struct": "array"}


def test_a_short_probability_vector_is_a_400_naming_the_row(labeler):
    status, text = post(client(labeler), json.dumps({"data": [[[0.5, 0.5]], ["x"]]}), JSON)
    assert status == 400 and "row 2, column 'p'" in text
