"""AWS's car-evaluation flow as three local containers through `sparkleap deploy local --pipeline`:
pre-processing SparkML (6x StringIndexer -> OneHotEncoder -> VectorAssembler) -> XGBoost (multi:softmax) ->
post-processing SparkML (IndexToString: the predicted class index back to its name, output `cat` string).

The data is generated here with the UCI car-evaluation columns and values (the real file is not shipped)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pytest
import requests

import bundles
from bundles.spark import bundle_from_spark
from serving.inference_pipeline.processes import free_port_block

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.process  # starts server processes
COLUMNS = {"buying": ["vhigh", "high", "med", "low"], "maint": ["vhigh", "high", "med", "low"],
           "doors": ["2", "3", "4", "5more"], "persons": ["2", "4", "more"], "lug_boot": ["small", "med", "big"],
           "safety": ["low", "med", "high"]}
CLASSES = ["unacc", "acc", "good", "vgood"]


def car_rows(n: int, seed: int = 3) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        values = {c: rng.choice(v) for c, v in COLUMNS.items()}
        score = COLUMNS["safety"].index(values["safety"]) + (values["persons"] != "2") * 2 \
            + COLUMNS["buying"].index(values["buying"]) // 2
        rows.append((*values.values(), CLASSES[min(3, max(0, score - 1))]))
    return rows


def fit_models(spark, folder: Path) -> tuple[list[tuple], list[str]]:
    """Write the three models; returns the rows to send and the labels Spark + XGBoost predict for them."""
    import xgboost as xgb
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import IndexToString, OneHotEncoder, StringIndexer, VectorAssembler

    names = list(COLUMNS)
    data = spark.createDataFrame(car_rows(300), [*names, "class"])
    pre = Pipeline(stages=[
        StringIndexer(inputCols=names, outputCols=[f"{c}_i" for c in names]),
        OneHotEncoder(inputCols=[f"{c}_i" for c in names], outputCols=[f"{c}_v" for c in names]),
        VectorAssembler(inputCols=[f"{c}_v" for c in names], outputCol="features"),
    ]).fit(data)
    label_indexer = StringIndexer(inputCol="class", outputCol="label").fit(data)
    rows = [(r["features"].toArray(), r["label"]) for r in label_indexer.transform(pre.transform(data)).collect()]
    features = np.array([f for f, _ in rows])
    booster = xgb.train({"objective": "multi:softmax", "num_class": len(label_indexer.labels), "max_depth": 3,
                         "nthread": 1}, xgb.DMatrix(features, label=[y for _, y in rows]), 10)
    (folder / "xgboost").mkdir(parents=True)
    (folder / "xgboost" / "xgboost-model").write_bytes(bytes(booster.save_raw("ubj")))
    with tarfile.open(folder / "xgboost" / "model.tar.gz", "w:gz") as tar:
        tar.add(folder / "xgboost" / "xgboost-model", arcname="xgboost-model")
    bundles.save_bundle(bundle_from_spark(pre, data), folder / "pre.tar.gz")
    labels_df = label_indexer.transform(data).select("label")
    post = IndexToString(inputCol="label", outputCol="cat", labels=label_indexer.labels)
    bundles.save_bundle(bundle_from_spark(post, labels_df), folder / "post.tar.gz")
    sample = car_rows(20, seed=11)
    sample_features = pre.transform(spark.createDataFrame(sample, [*names, "class"])).select("features").collect()
    predicted = booster.predict(xgb.DMatrix(np.array([r["features"].toArray() for r in sample_features])))
    return sample, [label_indexer.labels[int(p)] for p in predicted]


def describe(folder: Path) -> Path:
    pre_schema = {"input": [{"name": c, "type": "string"} for c in COLUMNS],
                  "output": {"name": "features", "type": "double", "struct": "vector"}}
    post_schema = {"input": [{"name": "label", "type": "double"}], "output": {"name": "cat", "type": "string"}}
    doc = {"containers": [
        {"name": "preprocess", "kind": "sparkml", "model": "pre.tar.gz",
         "environment": {"SAGEMAKER_SPARKML_SCHEMA": json.dumps(pre_schema),
                         "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"}},
        {"name": "xgboost", "kind": "xgboost", "model": "xgboost/model.tar.gz",
         "environment": {"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"}},
        {"name": "postprocess", "kind": "sparkml", "model": "post.tar.gz",
         "environment": {"SAGEMAKER_SPARKML_SCHEMA": json.dumps(post_schema),
                         "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"}},
    ]}
    path = folder / "pipeline.json"
    path.write_text(json.dumps(doc, indent=2))
    return path


def wait_for_ping(url: str, server: subprocess.Popen, limit_s: float = 90) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()
        try:
            if requests.get(url + "/ping", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError("the pipeline did not answer /ping")


def test_car_evaluation_three_containers_answer_the_class_names(spark, tmp_path):
    sample, expected = fit_models(spark, tmp_path)
    env = dict(os.environ, SPARKLEAP_STATE_DIR=str(tmp_path / "state"), PYTHONPATH=str(REPO))
    port = free_port_block(1)
    server = subprocess.Popen([sys.executable, "-m", "sparkleap.cli", "deploy", "local", "--pipeline",
                               str(describe(tmp_path)), "--name", "car-evaluation", "--workers", "1",
                               "--port", str(port)], env=env, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_ping(url, server)
        for row, want in zip(sample, expected, strict=True):
            reply = requests.post(url + "/invocations", data=",".join(row[:-1]),
                                  headers={"Content-Type": "text/csv"}, timeout=30)
            assert reply.status_code == 200, reply.text
            assert reply.text == want
        reply = requests.post(url + "/invocations", data="cheap,med,2,2,small,low",
                              headers={"Content-Type": "text/csv"}, timeout=30)
        assert reply.status_code >= 400 and "cheap" in reply.text
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
