"""Issue 15: a text pipeline, Tokenizer -> HashingTF(262,144) -> IDF -> LogisticRegression, single row and
batched, next to PySpark (and onnxruntime where the pipeline converts: it does not, see ONNX_REASON).

Documents are 30 words drawn (Zipf-like) from a generated 5,000-word vocabulary. The single-row figure
runs transform_row over 2,000 distinct documents after one warm-up pass (HashingTF remembers the index
of each term it has hashed, as a real vocabulary repeats)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from bench.core import Entry, Spec, Stats, Target, entry, not_measured, repeat, timed
from bench.workbench import Workbench

FASTER = "peer time / ours (× faster)"
PIPELINE = "Tokenizer → HashingTF(262,144) → IDF → LogisticRegression"
SINGLE = Spec(f"text: {PIPELINE}, single row (30 words)", "µs/row", 15, Target("max", 50.0),
              peer="PySpark PipelineModel.transform + collect, one row", ratio_means=FASTER)
BATCH = Spec(f"text: {PIPELINE}, batched (columnar)", "µs/row", 15,
             peer="PySpark PipelineModel.transform, same rows, local[2]", ratio_means=FASTER)
FEATURES_SINGLE = Spec("text: Tokenizer → HashingTF(262,144) → IDF only, single row (30 words)", "µs/row", 15)
ONNX = Spec(f"text: {PIPELINE} in onnxruntime", "µs/row", 15, peer="onnxruntime InferenceSession.run")
SPECS = [SINGLE, BATCH, FEATURES_SINGLE, ONNX]
ONNX_REASON = ("does not convert: onnxmltools' Spark ML converters have no HashingTF and no IDF "
               "(onnxmltools/convert/sparkml/operator_converters)")
VOCABULARY, WORDS, FIT_DOCS, SINGLE_DOCS = 5_000, 30, 2_000, 2_000


def documents(n: int, seed: int) -> tuple[list[str], list[float]]:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" if i % 7 else f"W{i}," for i in range(VOCABULARY)], dtype=object)
    ranks = np.minimum(rng.zipf(1.3, size=(n, WORDS)) - 1, VOCABULARY - 1)
    texts = [" ".join(row) for row in vocab[ranks]]
    labels = (ranks[:, :5].min(axis=1) % 2).astype(np.float64).tolist()
    return texts, labels


def fit(wb: Workbench):
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import IDF, HashingTF, Tokenizer

    texts, labels = documents(FIT_DOCS, 1)
    data = wb.spark.createDataFrame(list(zip(texts, labels, strict=True)), "text string, label double")
    stages = [Tokenizer(inputCol="text", outputCol="tokens"),
              HashingTF(inputCol="tokens", outputCol="tf", numFeatures=262_144),
              IDF(inputCol="tf", outputCol="features"), LogisticRegression(maxIter=10)]
    return Pipeline(stages=stages).fit(data), data


def single_us(bundle, texts: list[str]) -> float:
    rows = [{"text": t} for t in texts]
    started = time.perf_counter()
    for row in rows:
        bundle.transform_row(row)
    return (time.perf_counter() - started) / len(rows) * 1e6


def measure(wb: Workbench) -> Iterator[Entry]:
    from pyspark.ml import PipelineModel

    from bundles.frame import object_column
    from bundles.spark import bundle_from_spark

    model, data = fit(wb)
    texts, _ = documents(SINGLE_DOCS, 2)
    features = bundle_from_spark(PipelineModel(stages=model.stages[:3]), data)
    single_us(features, texts)  # warm-up: every vocabulary term hashed once
    yield entry(FEATURES_SINGLE, repeat(lambda: single_us(features, texts), wb.sizes.repeats))
    yield not_measured(ONNX, ONNX_REASON)

    bundle = bundle_from_spark(model, data)  # a BundleError until the logistic_regression op exists
    single_us(bundle, texts)
    single = repeat(lambda: single_us(bundle, texts), wb.sizes.repeats)

    def spark_single_s() -> float:
        started = time.perf_counter()
        model.transform(wb.spark.createDataFrame([(texts[0],)], "text string")).select("prediction").collect()
        return time.perf_counter() - started

    spark_single_s()
    yield entry(SINGLE, single, Stats([spark_single_s() * 1e6 for _ in range(wb.sizes.spark_single_repeats)]),
                rows_per_repeat=len(texts))

    n = max(1_000, wb.sizes.batch_rows // 10)
    batch_texts, _ = documents(n, 3)
    columns = {"text": object_column(batch_texts)}
    ours = repeat(lambda: timed(lambda: bundle.transform(dict(columns))) / n * 1e6, wb.sizes.repeats)
    frame = wb.spark.createDataFrame([(t,) for t in batch_texts], "text string").cache()
    frame.count()

    def spark_batch_us() -> float:
        return timed(lambda: model.transform(frame).select("prediction").write.format("noop").mode("overwrite")
                     .save()) / n * 1e6

    spark_batch_us()
    yield entry(BATCH, ours, repeat(spark_batch_us, wb.sizes.repeats), rows=n)
    frame.unpersist()
