"""Issue 25: wide sparse text models, next to real MLeap 0.20 (same bundles, one JVM) and to Spark.

Models: Tokenizer -> HashingTF(2^20) -> IDF -> {NaiveBayes, multinomial LogisticRegression, LinearSVC,
RandomForest (20 trees)}, and Tokenizer -> CountVectorizer (60,000 terms) -> NaiveBayes; plus the NaiveBayes
pipeline with HashingTF(2^10), for the per-row cost of width on the same words. Three classes (LinearSVC: two):
a 2^20-wide model's tensors are written as JSON text, and six classes of NaiveBayes theta would pass the
128 MB limit of one bundle JSON file (`bundles.archive.MAX_JSON_BYTES`).

Models are fitted on 6,000 documents (the random forest on 500, see `forest`) of 40 words: 30 drawn uniformly
from an 80,000-word vocabulary (over 60,000 distinct terms for the CountVectorizer) and 10 from a Zipf law
over its first 2,000 words; the label is a function of the first Zipf word. Per model: single row (ours:
`transform_row` per document; MLeap: its RowTransformer, built once), batched (ours: `Bundle.transform` of the
documents; MLeap: a LeapFrame transform + collect), both in thread CPU time after warm-up; Spark's batched
transform (noop sink, wall time); and the load of the bundle folder (wall time, median of repeats after a
first load, both sides in a warm process).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from bench import mleap_anchor as anchor
from bench.core import Entry, Spec, Stats, Target, entry, not_measured, repeat, timed
from bench.workbench import Workbench

WIDE, NARROW = 2**20, 2**10
HASHED = "Tokenizer → HashingTF(2^20) → IDF"
MODELS = {  # name -> (features, head)
    "naive Bayes": ("hashed", "naive_bayes"),
    "logistic regression (multinomial)": ("hashed", "logistic_regression"),
    "linear SVC": ("hashed", "linear_svc"),
    "random forest (20 trees)": ("hashed", "random_forest"),
    "CountVectorizer(60k) → naive Bayes": ("counted", "naive_bayes"),
}
NARROW_MODEL = "naive Bayes, HashingTF(2^10)"
VOCABULARY, UNIFORM_WORDS, ZIPF_WORDS, ZIPF_TOP, CLASSES = 80_000, 30, 10, 2_000, 3
PEER_SPARK = "PySpark PipelineModel.transform, same rows, noop sink, local[2]"
PEER_LOAD = "real MLeap 0.20 BundleBuilder.load of the same folder (JVM, warm; median)"


def title(model: str) -> str:
    return model if model.startswith("CountVectorizer") else f"{HASHED} → {model}"


def single_spec(model: str) -> Spec:
    return anchor.single_spec(title(model), "wide", 25)


def batch_spec(model: str) -> Spec:
    return anchor.batch_spec(title(model), "wide", 25)


def spark_spec(model: str) -> Spec:
    return Spec(f"wide: {title(model)}, batched vs Spark", "rows/s", 25, peer=PEER_SPARK,
                ratio_means="ours / Spark (× faster)", lower_is_better=False)


def load_spec(model: str) -> Spec:
    return Spec(f"wide: {title(model)}, bundle load", "s", 25, Target("max", 1.5, on="ratio"), peer=PEER_LOAD,
                ratio_means="ours / MLeap (× slower)", ratio_is_overhead=True)


GROWTH_SINGLE = Spec("wide: naive Bayes per-row cost, 2^20 / 2^10 features (same words), single row", "×", 25,
                     Target("max", 1.5))
GROWTH_BATCH = Spec("wide: naive Bayes per-row cost, 2^20 / 2^10 features (same words), batched", "×", 25,
                    Target("max", 1.5))
SPECS = [spec(m) for m in MODELS for spec in (single_spec, batch_spec, spark_spec, load_spec)] + [
    GROWTH_SINGLE, GROWTH_BATCH]


def documents(n: int, seed: int) -> tuple[list[str], list[float]]:
    """`n` documents of 40 words and their labels (0 .. CLASSES - 1)."""
    rng = np.random.default_rng(seed)
    uniform = rng.integers(0, VOCABULARY, size=(n, UNIFORM_WORDS))
    zipf = np.minimum(rng.zipf(1.3, size=(n, ZIPF_WORDS)) - 1, ZIPF_TOP - 1)
    words = np.concatenate([zipf[:, :1], uniform, zipf[:, 1:]], axis=1)
    texts = [" ".join(f"w{i}" for i in row) for row in words.tolist()]
    return texts, (zipf[:, 0] % CLASSES).astype(np.float64).tolist()


def spark_pipeline(features: str, head: str, width: int = WIDE):
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LinearSVC, LogisticRegression, NaiveBayes, RandomForestClassifier
    from pyspark.ml.feature import IDF, CountVectorizer, HashingTF, Tokenizer

    stages = [Tokenizer(inputCol="text", outputCol="tokens")]
    if features == "hashed":
        stages += [HashingTF(inputCol="tokens", outputCol="tf", numFeatures=width),
                   IDF(inputCol="tf", outputCol="features")]
    else:
        stages += [CountVectorizer(inputCol="tokens", outputCol="features", vocabSize=60_000)]
    stages.append({"naive_bayes": lambda: NaiveBayes(),
                   "logistic_regression": lambda: LogisticRegression(family="multinomial", maxIter=10),
                   "linear_svc": lambda: LinearSVC(maxIter=10, labelCol="binary"),
                   "random_forest": lambda: RandomForestClassifier(numTrees=20, maxDepth=8, seed=7)}[head]())
    return Pipeline(stages=stages)


def fitted(wb: Workbench, model: str, train) -> tuple[object, Path]:
    """The fitted Spark PipelineModel of `model` and its bundle folder (both cached under bench/cache/wide)."""
    from pyspark.ml import PipelineModel

    from bundles import save_bundle
    from bundles.spark import bundle_from_spark

    name = "".join(c if c.isalnum() else "_" for c in model)
    folder, saved = wb.cache / "wide" / f"{name}.bundle", wb.cache / "wide" / f"{name}.spark"
    if (folder / "bundle.json").exists() and saved.exists():
        return PipelineModel.load(str(saved)), folder
    features, head = MODELS.get(model, ("hashed", "naive_bayes"))
    if head == "random_forest":
        spark_model, bundle = forest(train)
    else:
        spark_model = spark_pipeline(features, head, NARROW if model == NARROW_MODEL else WIDE).fit(train)
        bundle = bundle_from_spark(spark_model, train)
    save_bundle(bundle, folder)
    spark_model.write().overwrite().save(str(saved))
    return spark_model, folder


def forest(train, docs: int = 500):
    """(Spark PipelineModel, our bundle) of Tokenizer -> HashingTF(2^20) -> IDF -> RandomForest(20 trees).

    Spark's tree learner bins every row densely (`TreePoint`: rows x 2^20 ints), so it cannot fit 2^20
    features: the forest is fitted on `docs` documents' features sliced to the slots they use, and the bundle's
    trees are renumbered to split on the 2^20-wide IDF output (its vector_slicer folded into the splits). The
    Spark peer runs HashingTF -> IDF -> VectorSlicer -> the forest, which predicts the same."""
    from pyspark.ml import PipelineModel
    from pyspark.ml.classification import RandomForestClassifier
    from pyspark.ml.feature import VectorSlicer

    from bundles.spark import bundle_from_spark

    sample = train.limit(docs).cache()
    features = spark_pipeline("hashed", "naive_bayes").fit(train)
    features = PipelineModel(stages=features.stages[:-1])
    used = sorted({int(i) for r in features.transform(sample).select("features").collect()
                   for i in r["features"].indices})
    slicer = VectorSlicer(inputCol="features", outputCol="sliced", indices=used)
    trees = RandomForestClassifier(featuresCol="sliced", numTrees=20, maxDepth=8, seed=7).fit(
        slicer.transform(features.transform(sample)))
    spark_model = PipelineModel(stages=[*features.stages, slicer, trees])
    bundle = bundle_from_spark(PipelineModel(stages=[*features.stages, trees.copy().setFeaturesCol("features")]),
                               train)
    head = bundle.ops[-1]
    for tree in head.forest.trees:
        for split in tree.splits:
            if split is not None:
                split.feature = used[split.feature]
    head.num_features = WIDE
    return spark_model, bundle


def ours(bundle, texts: list[str], repeats: int) -> tuple[Stats, Stats]:
    """(single-row µs/row, batched rows/s) of our runtime on `texts`, thread CPU time, after one warm-up each."""
    from bundles.frame import object_column

    rows = [{"text": t} for t in texts]

    def single() -> float:
        return anchor.cpu_timed(lambda: [bundle.transform_row(dict(r)) for r in rows]) / len(rows) * 1e6

    def batch() -> float:
        return len(texts) / anchor.cpu_timed(lambda: bundle.transform({"text": object_column(texts)}))

    single()
    batch()
    return repeat(single, repeats), repeat(batch, repeats)


def load_seconds(folder: Path, repeats: int) -> Stats:
    from bundles import load_bundle

    load_bundle(folder)
    return repeat(lambda: timed(lambda: load_bundle(folder)), repeats)


def measure(wb: Workbench) -> Iterator[Entry]:
    from bundles import load_bundle
    from interop.mleap import Harness, Task
    from interop.suite import serving_frame

    quick = wb.sizes.mode == "quick"
    fit_texts, fit_labels = documents(6_000, 1)  # 180,000 uniform words: over 60,000 distinct terms
    texts, _ = documents(500 if quick else 2_000, 2)
    train = wb.spark.createDataFrame(
        [(t, y, float(int(y) % 2)) for t, y in zip(fit_texts, fit_labels, strict=True)],
        "text string, label double, binary double").cache()
    models = {m: fitted(wb, m, train) for m in [*MODELS, NARROW_MODEL]}
    seconds, repeats = (2.0, wb.sizes.repeats) if quick else (5.0, wb.sizes.repeats)
    tasks = []
    for _, folder in models.values():
        frame = folder.parent / f"{folder.name}.frame.json"
        frame.write_text(json.dumps(serving_frame(load_bundle(folder), [{"text": t} for t in texts])))
        tasks += [Task("bench", str(folder), (str(frame), str(seconds))), Task("load", str(folder), (str(repeats),))]
    results = iter(Harness().run(tasks, timeout=3600))
    mleap = {m: (next(results), next(results)) for m in models}
    data = wb.spark.createDataFrame([(t,) for t in texts], "text string").cache()
    data.count()
    per_row: dict[str, tuple[float, float]] = {}
    for model, (spark_model, folder) in models.items():
        bench, load = mleap[model]
        bundle = load_bundle(folder)
        single, batch = ours(bundle, texts, repeats)
        per_row[model] = (single.median, 1e6 / batch.median)
        if model == NARROW_MODEL:
            continue
        for spec, value, peer in ((single_spec, single, "single_us"), (batch_spec, batch, "batch_rows_per_s")):
            if "error" in bench:
                yield not_measured(spec(model), f"real MLeap failed: {bench['error'].splitlines()[0]}")
            else:
                yield entry(spec(model), value, bench[peer], rows=len(texts))

        def spark_rows_per_s(m=spark_model) -> float:
            return len(texts) / timed(lambda: m.transform(data).select("prediction").write.format("noop")
                                      .mode("overwrite").save())

        spark_rows_per_s()
        yield entry(spark_spec(model), batch, repeat(spark_rows_per_s, repeats), rows=len(texts))
        mine = load_seconds(folder, repeats)
        if "error" in load:
            yield not_measured(load_spec(model), f"real MLeap failed: {load['error'].splitlines()[0]}")
        else:
            yield entry(load_spec(model), mine, load["median_s"], mleap_first_s=load["first_s"],
                        json_bytes=sum(p.stat().st_size for p in folder.rglob("*.json")))
    wide, narrow = per_row["naive Bayes"], per_row[NARROW_MODEL]
    yield entry(GROWTH_SINGLE, wide[0] / narrow[0], note=f"{wide[0]:.1f} vs {narrow[0]:.1f} µs/row")
    yield entry(GROWTH_BATCH, wide[1] / narrow[1], note=f"{wide[1]:.2f} vs {narrow[1]:.2f} µs/row")
    data.unpersist()
    train.unpersist()
