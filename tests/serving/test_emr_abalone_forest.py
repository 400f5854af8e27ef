"""AWS's EMR abalone example, locally: StringIndexer -> OneHotEncoder -> VectorAssembler ->
RandomForestRegressor fitted in Spark, saved with Spark's own `model.write().save`, exported with
`sparkleap bundle export`, served by the SparkML container over real HTTP with the notebook's schema
(output `prediction` double): every answer equals Spark's prediction."""

from __future__ import annotations

import csv
import json

import pytest

from sparkleap.cli import main
from tests.helpers.servers import running, schema_json

NUMERIC = ["length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight", "shell_weight"]
NOTEBOOK_SCHEMA = {"input": [{"name": "sex", "type": "string"}] + [{"name": c, "type": "double"} for c in NUMERIC],
                   "output": {"name": "prediction", "type": "double"}}


@pytest.fixture(scope="module")
def emr_forest(spark, abalone_csv, tmp_path_factory):
    """(saved model dir, sample CSV with header, raw rows, Spark's predictions) for 200 abalone rows."""
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import OneHotEncoder, StringIndexer, VectorAssembler
    from pyspark.ml.regression import RandomForestRegressor
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    schema = StructType([StructField("sex", StringType())] + [StructField(c, DoubleType()) for c in NUMERIC]
                        + [StructField("rings", DoubleType())])
    data = spark.read.csv(str(abalone_csv), schema=schema)
    model = Pipeline(stages=[
        StringIndexer(inputCol="sex", outputCol="indexed_sex"),
        OneHotEncoder(inputCol="indexed_sex", outputCol="sex_vec"),
        VectorAssembler(inputCols=["sex_vec", *NUMERIC], outputCol="features"),
        RandomForestRegressor(labelCol="rings", featuresCol="features", numTrees=20, maxDepth=6, seed=11),
    ]).fit(data)
    folder = tmp_path_factory.mktemp("emr")
    model.write().overwrite().save(str(folder / "spark-model"))
    probe = data.limit(200).drop("rings")
    rows = probe.collect()
    predictions = [r.prediction for r in model.transform(probe).select("prediction").collect()]
    sample = folder / "sample.csv"
    with open(sample, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(probe.columns)
        writer.writerows([list(r) for r in rows[:20]])
    return folder / "spark-model", sample, rows, predictions


def test_export_writes_a_model_tar_and_prints_the_notebook_schema(emr_forest, tmp_path, capsys):
    model_dir, sample, _, _ = emr_forest
    assert main(["bundle", "export", "--model", str(model_dir), "--sample", str(sample),
                 "--output", str(tmp_path / "model.tar.gz")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["input"] == NOTEBOOK_SCHEMA["input"]
    assert printed["output"]["name"] == "prediction" and printed["output"]["struct"] == "basic"


def test_the_sparkml_container_serves_the_forest_with_sparks_answers(emr_forest, tmp_path, capsys):
    model_dir, sample, rows, predictions = emr_forest
    tar = tmp_path / "model.tar.gz"
    assert main(["bundle", "export", "--model", str(model_dir), "--sample", str(sample), "--output", str(tar)]) == 0
    capsys.readouterr()
    with running("sparkml", tar, SAGEMAKER_SPARKML_SCHEMA=schema_json(NOTEBOOK_SCHEMA)) as server:
        for row, want in list(zip(rows, predictions, strict=True))[:60]:
            resp = server.post(",".join(str(v) for v in row))
            assert resp.status_code == 200, resp.text
            assert float(resp.text) == want, (row, resp.text, want)
        batch = server.post("\n".join(",".join(str(v) for v in r) for r in rows))
        assert batch.status_code == 200
        assert [float(x) for x in batch.text.split()] == predictions
