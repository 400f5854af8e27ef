"""A Spark pipeline that indexes its own label: `bundle export` and `serializeToBundle` derive a serving schema
without the label (a stage that only feeds the label is no input of the output), and the bundle serves
requests that do not carry it, answering as Spark does."""

from __future__ import annotations

import json

import numpy as np
import pytest

import bundles
from sparkleap.cli import main


@pytest.fixture(scope="module")
def indexed_label_model(spark):
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import OneHotEncoder, StringIndexer, VectorAssembler

    rng = np.random.default_rng(2)
    rows = []
    for i in range(60):
        species = ["adelie", "gentoo", "chinstrap"][i % 3]
        rows.append((float(rng.normal(40 + 5 * (i % 3), 2)), ["dream", "biscoe"][i % 2], species))
    df = spark.createDataFrame(rows, ["bill", "island", "species"])
    model = Pipeline(stages=[
        StringIndexer(inputCol="species", outputCol="label"),
        StringIndexer(inputCol="island", outputCol="island_index"),
        OneHotEncoder(inputCol="island_index", outputCol="island_vec"),
        VectorAssembler(inputCols=["bill", "island_vec"], outputCol="features"),
        LogisticRegression(maxIter=20),
    ]).fit(df)
    return model, df


def test_derived_schema_leaves_the_label_and_its_indexer_out(indexed_label_model, tmp_path):
    from sparkleap.pyspark import serialize_to_bundle

    model, df = indexed_label_model
    bundle = bundles.load_bundle(serialize_to_bundle(model, tmp_path / "model.zip", df))
    schema = bundle.serving_schema()
    assert [c["name"] for c in schema["input"]] == ["island", "bill"]
    assert schema["output"]["name"] == "prediction"
    assert "species" in [c["name"] for c in bundle.serving_schema(every_input=True)["input"]]
    assert len(bundle.for_output("prediction").ops) == len(bundle.ops) - 1


def test_bundle_export_prints_a_schema_without_the_label(indexed_label_model, tmp_path, capsys):
    model, df = indexed_label_model
    model.write().save(str(tmp_path / "m"))
    df.toPandas().to_csv(tmp_path / "s.csv", index=False)
    assert main(["bundle", "export", "--model", str(tmp_path / "m"), "--sample", str(tmp_path / "s.csv"),
                 "--output", str(tmp_path / "out.zip")]) == 0
    out = capsys.readouterr().out
    schema = json.loads(out[out.index("{"):])
    assert [c["name"] for c in schema["input"]] == ["island", "bill"]


def test_the_sparkml_container_serves_rows_without_the_label_as_spark_predicts(indexed_label_model, tmp_path):
    from serving.contract import Invocation
    from serving.schema import parse_schema
    from serving.sparkml.app import SparkMLModel
    from sparkleap.pyspark import serialize_to_bundle

    model, df = indexed_label_model
    bundle = bundles.load_bundle(serialize_to_bundle(model, tmp_path / "model.zip", df))
    served = SparkMLModel(bundle, parse_schema(bundle.serving_schema()))
    rows = df.limit(10).collect()
    want = [r.prediction for r in model.transform(df.limit(10)).collect()]
    for many in (False, True):
        chosen = rows if many else rows[:1]
        body = "\n".join(f"{r.island},{r.bill!r}" for r in chosen).encode()
        reply = served.invoke(Invocation(body, "text/csv", "text/csv"))
        assert [float(x) for x in reply.body.decode().split("\n")] == want[:len(chosen)]
