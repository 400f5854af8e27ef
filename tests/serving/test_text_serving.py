"""Text through the SparkML container over real HTTP: AWS's BlazingText flow (a Spark Tokenizer pipeline
served with an `array` output and Accept application/jsonlines;data=text), array inputs, and sparse vector
outputs written dense as AWS's container writes them, for every content type."""

from __future__ import annotations

import csv
import io
import json

import pytest

import bundles
from bundles.spark import bundle_from_spark
from tests.helpers.servers import running, schema_json

pytestmark = pytest.mark.process  # starts server processes

# The schema of AWS's BlazingText + SparkML notebook: the abstract in, its tokens out (`struct: array`).
BLAZINGTEXT_SCHEMA = {"input": [{"name": "abstract", "type": "string"}],
                      "output": {"name": "tokenized_abstract", "type": "string", "struct": "array"}}
TEXTS = ['Albert Einstein was a German-born "theoretical" physicist, best known.',
         "Ünïcödé  Straße İstanbul 日本語 emoji😀\ttab",
         "",
         "  leading spaces, and trailing  "]


def csv_body(texts: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([t] for t in texts)
    return out.getvalue()


@pytest.fixture(scope="module")
def tokenizer_model(spark, tmp_path_factory):
    """A Spark Tokenizer (+ HashingTF) pipeline fitted on the texts; returns (model dir, Spark's rows)."""
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import HashingTF, Tokenizer

    data = spark.createDataFrame([(t,) for t in TEXTS], "abstract string")
    model = Pipeline(stages=[Tokenizer(inputCol="abstract", outputCol="tokenized_abstract"),
                             HashingTF(inputCol="tokenized_abstract", outputCol="tf", numFeatures=32)]).fit(data)
    folder = tmp_path_factory.mktemp("blazingtext") / "model"
    bundles.save_bundle(bundle_from_spark(model, data), folder)
    return folder, {r["abstract"]: r for r in model.transform(data).collect()}


@pytest.fixture(scope="module")
def blazingtext(tokenizer_model):
    folder, _ = tokenizer_model
    with running("sparkml", folder, SAGEMAKER_SPARKML_SCHEMA=schema_json(BLAZINGTEXT_SCHEMA),
                 SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT="application/jsonlines;data=text") as srv:
        yield srv


def test_blazingtext_flow_a_csv_row_of_text_comes_back_as_source_with_sparks_tokens(blazingtext, tokenizer_model):
    _, spark_rows = tokenizer_model
    for text in TEXTS:
        resp = blazingtext.post(csv_body([text]))
        assert resp.status_code == 200, resp.text
        assert resp.headers["Content-Type"].startswith("application/jsonlines")
        assert json.loads(resp.text) == {"source": " ".join(spark_rows[text]["tokenized_abstract"])}


def test_several_text_rows_in_csv_and_json_answer_one_source_line_each(blazingtext, tokenizer_model):
    _, spark_rows = tokenizer_model
    want = [{"source": " ".join(spark_rows[t]["tokenized_abstract"])} for t in TEXTS]
    resp = blazingtext.post(csv_body(TEXTS))
    assert [json.loads(line) for line in resp.text.split("\n")] == want
    resp = blazingtext.post(json.dumps({"data": [[t] for t in TEXTS]}), content_type="application/json")
    assert [json.loads(line) for line in resp.text.split("\n")] == want


def test_array_output_as_jsonlines_features_and_as_rfc4180_csv(blazingtext, tokenizer_model):
    _, spark_rows = tokenizer_model
    text = TEXTS[0]
    tokens = spark_rows[text]["tokenized_abstract"]
    resp = blazingtext.post(csv_body([text]), accept="application/jsonlines")
    assert json.loads(resp.text) == {"features": tokens}
    resp = blazingtext.post(csv_body([text]), accept="text/csv")
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert next(csv.reader(io.StringIO(resp.text))) == tokens  # "physicist," is quoted, not split


def test_sparse_vector_output_is_written_dense_per_content_type(tokenizer_model):
    folder, spark_rows = tokenizer_model
    schema = {"input": [{"name": "abstract", "type": "string"}],
              "output": {"name": "tf", "type": "double", "struct": "vector"}}
    dense = [spark_rows[t]["tf"].toArray().tolist() for t in TEXTS]
    with running("sparkml", folder, SAGEMAKER_SPARKML_SCHEMA=schema_json(schema)) as srv:
        resp = srv.post(csv_body(TEXTS))
        assert [[float(x) for x in line.split(",")] for line in resp.text.split("\n")] == dense
        resp = srv.post(csv_body(TEXTS[:1]), accept="application/jsonlines")
        assert json.loads(resp.text) == {"features": dense[0]}
        resp = srv.post(csv_body(TEXTS[:1]), accept="application/jsonlines;data=text")
        assert json.loads(resp.text)["source"].split(" ")[:3] == [str(x) for x in dense[0][:3]]


def test_an_array_input_column_takes_json_lists_of_strings(spark, tmp_path):
    from pyspark.ml.feature import NGram

    data = spark.createDataFrame([(["a", "b", "c"],)], "words array<string>")
    stage = NGram(inputCol="words", outputCol="pairs", n=2)
    bundles.save_bundle(bundle_from_spark(stage, data), tmp_path / "model")
    schema = {"input": [{"name": "words", "type": "string", "struct": "array"}],
              "output": {"name": "pairs", "type": "string", "struct": "array"}}
    with running("sparkml", tmp_path / "model", SAGEMAKER_SPARKML_SCHEMA=schema_json(schema)) as srv:
        resp = srv.post(json.dumps({"data": [["to", "be", "or", "not"]]}), content_type="application/json",
                        accept="application/jsonlines")
        assert json.loads(resp.text) == {"features": ["to be", "be or", "or not"]}
        resp = srv.post(json.dumps({"data": [[["x", "y"]], [[]]]}), content_type="application/json",
                        accept="application/jsonlines")
        assert [json.loads(line) for line in resp.text.split("\n")] == [{"features": ["x y"]}, {"features": []}]
        resp = srv.post(json.dumps({"data": [[1, 2]]}), content_type="application/json")
        assert resp.status_code == 400 and "'words'" in resp.text and "string" in resp.text


def test_the_derived_schema_of_the_tokenizer_bundle_is_the_notebooks_schema(tokenizer_model):
    folder, _ = tokenizer_model
    bundle = bundles.load_bundle(folder)
    assert bundle.serving_schema(output="tokenized_abstract") == BLAZINGTEXT_SCHEMA
    assert bundle.serving_schema()["output"] == {"name": "tf", "type": "double", "struct": "vector"}


def test_a_100_row_request_to_a_2_18_feature_naive_bayes_text_bundle_gives_sparks_predictions(spark, tmp_path):
    """A wide hashed text model (Tokenizer -> HashingTF(2^18) -> IDF -> NaiveBayes, 6 classes): its features stay
    sparse through the container, and a 100-row CSV request answers Spark's prediction and probabilities (timing:
    the bench's wide group)."""
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import NaiveBayes
    from pyspark.ml.feature import IDF, HashingTF, Tokenizer

    words = [f"w{i}" for i in range(500)]
    texts = [" ".join(words[(i * 7 + j * j) % 500] for j in range(12 + i % 9)) for i in range(100)]
    data = spark.createDataFrame([(t, float(i % 6)) for i, t in enumerate(texts)], "text string, label double")
    model = Pipeline(stages=[Tokenizer(inputCol="text", outputCol="tokens"),
                             HashingTF(inputCol="tokens", outputCol="tf", numFeatures=2**18),
                             IDF(inputCol="tf", outputCol="features"), NaiveBayes()]).fit(data)
    want = {r["text"]: r for r in model.transform(data).collect()}
    bundles.save_bundle(bundle_from_spark(model, data), tmp_path / "model")
    schema = {"input": [{"name": "text", "type": "string"}], "output": {"name": "prediction", "type": "double"}}
    with running("sparkml", tmp_path / "model", SAGEMAKER_SPARKML_SCHEMA=schema_json(schema)) as srv:
        resp = srv.post(csv_body(texts))
        assert resp.status_code == 200, resp.text
        assert [float(x) for x in resp.text.split("\n")] == [want[t]["prediction"] for t in texts]
        probability = {"name": "probability", "type": "double", "struct": "vector"}
        resp = srv.post(json.dumps({"schema": {**schema, "output": probability}, "data": [[t] for t in texts]}),
                        content_type="application/json", accept="application/jsonlines")
        assert resp.status_code == 200, resp.text
        for line, text in zip(resp.text.split("\n"), texts, strict=True):
            assert json.loads(line)["features"] == pytest.approx(want[text]["probability"].toArray().tolist(),
                                                                 rel=1e-12, abs=1e-300)
