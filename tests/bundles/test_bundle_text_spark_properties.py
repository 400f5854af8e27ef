"""Property tests for the text ops: random text (a small vocabulary with punctuation, case, unicode, empty
strings) and random parameters, one random pipeline per example fitted and run in real Spark; our runtime
(built from the fitted model, and written and read back) equals Spark for every row, columnar and single-row.
HashingTF and FeatureHasher indices are compared exactly, not only the dense values.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

import bundles
from bundles.frame import object_column
from bundles.spark import bundle_from_spark
from jvm.vectors import SparseMatrix, SparseVector

WORDS = ["the", "The", "THE", "quick", "Brown", "fox", "Straße", "İstanbul", "naïve", "日本語", "emoji😀", "don't",
         "x,y", "ΟΔΟΣ", "ǅemal", "a", "to", "of", "", "Ünïcödé", "ﬁne", "tab\tin"]
SEPARATORS = [" ", " ", " ", "  ", "\t", ", ", ". ", "\n", " - ", "\u00a0", "\u2028"]
PATTERNS = [("\\s+", True), ("\\s", True), ("\\W+", True), ("[,.\\s]+", True), ("\\w+", False), ("\\p{L}+", False),
            ("\\p{Punct}|\\s", True), ("[a-z]+", False), (".", False), ("(?i)the", True)]
LABELS = ["a", "b", "c"]


@st.composite
def texts(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=8))
    out = draw(st.sampled_from(["", " ", "\t"]))
    for w in words:
        out += w + draw(st.sampled_from(SEPARATORS))
    return out if draw(st.booleans()) else out.rstrip()


@dataclass
class TextCase:
    rows: list[tuple]  # (id, text, label, num, flag, count)
    pattern: tuple[str, bool]
    min_length: int
    lowercase: bool
    stop_words: list[str]
    case_sensitive: bool
    n: int
    num_features: int
    binary: bool
    min_tf: float
    min_doc_freq: int
    hasher_features: int
    categorical: list[str]


@st.composite
def text_cases(draw) -> TextCase:
    n_rows = draw(st.integers(2, 7))
    rows = [("the quick Brown fox naïve 日本語 to of", "a", 1.5, True, 3)]
    for _ in range(n_rows):
        number = draw(st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False))
        label, flag, count = draw(st.sampled_from(LABELS)), draw(st.booleans()), draw(st.integers(-5, 5))
        rows.append((draw(texts()), label, number, flag, count))
    rows = [(i, *r) for i, r in enumerate(rows)]
    return TextCase(
        rows=rows,
        pattern=draw(st.sampled_from(PATTERNS)),
        min_length=draw(st.integers(0, 3)),
        lowercase=draw(st.booleans()),
        stop_words=draw(st.lists(st.sampled_from(["the", "a", "to", "of", "fox", "ΟΔΟΣ", "straße"]), max_size=4)),
        case_sensitive=draw(st.booleans()),
        n=draw(st.integers(1, 3)),
        num_features=draw(st.sampled_from([1, 16, 1000, 262144])),
        binary=draw(st.booleans()),
        min_tf=draw(st.sampled_from([1.0, 2.0, 0.3])),
        min_doc_freq=draw(st.integers(0, 2)),
        hasher_features=draw(st.sampled_from([8, 1 << 18])),
        categorical=draw(st.lists(st.sampled_from(["num", "count"]), unique=True)),
    )


def fit(spark, case: TextCase):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import (
        IDF,
        CountVectorizer,
        FeatureHasher,
        HashingTF,
        IndexToString,
        NGram,
        RegexTokenizer,
        StopWordsRemover,
        StringIndexer,
        Tokenizer,
        Word2Vec,
    )
    from pyspark.sql.types import BooleanType, DoubleType, IntegerType, StringType, StructField, StructType

    schema = StructType([StructField("id", IntegerType()), StructField("text", StringType()),
                         StructField("label", StringType()), StructField("num", DoubleType()),
                         StructField("flag", BooleanType()), StructField("count", IntegerType())])
    data = spark.createDataFrame(case.rows, schema)
    pattern, gaps = case.pattern
    stages = [
        Tokenizer(inputCol="text", outputCol="tokens"),
        RegexTokenizer(inputCol="text", outputCol="rtokens", pattern=pattern, gaps=gaps,
                       minTokenLength=case.min_length, toLowercase=case.lowercase),
        StopWordsRemover(inputCol="tokens", outputCol="kept", stopWords=case.stop_words,
                         caseSensitive=case.case_sensitive),
        NGram(inputCol="kept", outputCol="ngrams", n=case.n),
        HashingTF(inputCol="tokens", outputCol="tf", numFeatures=case.num_features, binary=case.binary),
        IDF(inputCol="tf", outputCol="tfidf", minDocFreq=case.min_doc_freq),
        CountVectorizer(inputCol="rtokens", outputCol="counts", minTF=case.min_tf, binary=case.binary),
        Word2Vec(inputCol="kept", outputCol="w2v", vectorSize=3, minCount=1, maxIter=1, seed=7, numPartitions=1),
        StringIndexer(inputCol="label", outputCol="label_i"),
        IndexToString(inputCol="label_i", outputCol="label_s"),
        FeatureHasher(inputCols=["label", "num", "flag", "count"], outputCol="hashed",
                      numFeatures=case.hasher_features, categoricalCols=case.categorical),
    ]
    return Pipeline(stages=stages).fit(data), data


INPUTS = ("text", "label", "num", "flag", "count")
DTYPES = {"text": object, "label": object, "num": np.float64, "flag": np.bool_, "count": np.int64}


def spark_rows(model, data) -> tuple[list[dict], list[str]]:
    out = model.transform(data).orderBy("id").collect()
    names = [c for c in model.transform(data).columns if c not in data.columns]
    return [r.asDict() for r in out], names


def same(got, want, where: str) -> None:
    if hasattr(want, "toArray"):  # a Spark vector
        if hasattr(want, "indices") and isinstance(got, SparseVector):
            assert got.indices == want.indices.tolist(), where
        dense = got.dense() if isinstance(got, SparseVector) else list(got)
        assert dense == want.toArray().tolist(), where
    else:
        assert got == want, where


def check(bundle: bundles.Bundle, rows: list[dict], names: list[str], how: str) -> None:
    columns = {k: (object_column([r[k] for r in rows]) if DTYPES[k] is object else
                   np.array([r[k] for r in rows], dtype=DTYPES[k])) for k in INPUTS}
    frame = bundle.transform(columns)
    for i, r in enumerate(rows):
        single = bundle.transform_row({k: r[k] for k in INPUTS})
        for name in names:
            col = frame.columns[name]
            same(col[i] if isinstance(col, SparseMatrix) else
                 (col[i].tolist() if isinstance(col, np.ndarray) and col.ndim == 2 else col[i]),
                 r[name], f"{how}, columnar, row {i}, {name}")
            same(single[name], r[name], f"{how}, single-row, row {i}, {name}")


def check_case(spark, case: TextCase) -> None:
    note(repr(case))
    model, data = fit(spark, case)
    rows, names = spark_rows(model, data)
    bundle = bundle_from_spark(model, data)
    check(bundle, rows, names, "built")
    with tempfile.TemporaryDirectory() as tmp:
        check(bundles.load_bundle(bundles.save_bundle(bundle, Path(tmp) / "b.zip")), rows, names, "round trip")
        with pytest.raises(bundles.BundleError, match="write target 0.20"):
            bundles.save_bundle(bundle, Path(tmp) / "legacy.zip", target="0.9")


QUICK = settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@QUICK
@given(case=text_cases())
def test_spark_text_ops_equal_the_bundle_runtime_on_random_text(spark, case):
    check_case(spark, case)


@pytest.mark.soak
@settings(QUICK, max_examples=40)
@given(case=text_cases())
def test_spark_text_ops_equal_the_bundle_runtime_on_much_random_text(spark, case):
    check_case(spark, case)


def test_hashing_tf_indexes_unicode_terms_exactly_as_spark(spark):
    from pyspark.ml.feature import HashingTF
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    terms = ["", "a", "ab", "abc", "abcd", "abcde", "é", "日本", "日本語", "😀", "a😀b", "Straße", "İ", "ǅ", "\u0000",
             "x" * 37, "ﬁ", "naïve café"]
    data = spark.createDataFrame([([t],) for t in terms], StructType([StructField("t", ArrayType(StringType()))]))
    stage = HashingTF(inputCol="t", outputCol="h", numFeatures=1 << 18)
    want = [r["h"].indices.tolist() for r in stage.transform(data).collect()]
    (op,) = bundle_from_spark(stage, data).ops
    assert [op.apply([t]).indices for t in terms] == want


def test_both_murmur3_versions_equal_sparks_own_hash_routines(spark):
    """Version 2 is Spark 3's `hashUnsafeBytes2`, version 1 Spark 2's `hashUnsafeBytes` (still in Spark's jars;
    read by MLeap for bundles with no `hashUnsafeBytesVersion`, such as the 2017 parity bundle)."""
    from jvm import murmur3

    jvm = spark.sparkContext._jvm
    murmur = jvm.org.apache.spark.unsafe.hash.Murmur3_x86_32
    offset = jvm.org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET
    for term in ["", "a", "ab", "abc", "abcd", "é", "日本語", "😀", "Straße", "loan", "\u00ff\u0080x"]:
        data = murmur3.utf8(term)
        assert murmur3.hash_bytes(data, 42, 2) == murmur.hashUnsafeBytes2(bytearray(data), offset, len(data), 42), term
        assert murmur3.hash_bytes(data, 42, 1) == murmur.hashUnsafeBytes(bytearray(data), offset, len(data), 42), term


@pytest.mark.parametrize("family", ["binomial", "multinomial"])
def test_tfidf_logistic_regression_on_262144_sparse_features_equals_spark(spark, family, tmp_path):
    """Tokenizer -> HashingTF(262,144) -> IDF -> LogisticRegression: the features stay sparse end to end and the
    margins follow Spark's sparse dot / gemv, so raw predictions and predictions are exact."""
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import LogisticRegression
    from pyspark.ml.feature import IDF, HashingTF, Tokenizer

    rng = np.random.default_rng(5)
    vocab = [f"w{i}" for i in range(300)] + ["Ünïcode", "日本語", "naïve,"]
    texts = [" ".join(rng.choice(vocab, size=rng.integers(0, 30))) for _ in range(60)]
    labels = [float(("w1" in t.split()) + ("w2" in t.split()) * (family == "multinomial")) for t in texts]
    data = spark.createDataFrame(list(zip(texts, labels, strict=True)), "text string, label double")
    model = Pipeline(stages=[Tokenizer(inputCol="text", outputCol="tokens"),
                             HashingTF(inputCol="tokens", outputCol="tf"),
                             IDF(inputCol="tf", outputCol="features"),
                             LogisticRegression(maxIter=20, regParam=0.01, family=family)]).fit(data)
    want = model.transform(data).collect()
    # a model.tar.gz: its 262,144 x 3 mostly-zero matrix deflates about 700:1 and must not pass for a zip bomb
    bundle = bundles.load_bundle(bundles.save_bundle(bundle_from_spark(model, data), tmp_path / "model.tar.gz"))
    frame = bundle.transform({"text": object_column(texts)})
    assert isinstance(frame.columns["features"], SparseMatrix) and frame.columns["features"].size == 262_144
    for i, r in enumerate(want):
        single = bundle.transform_row({"text": texts[i]})
        assert isinstance(single["features"], SparseVector)
        for got in (single, {k: frame.columns[k][i] for k in ("rawPrediction", "probability", "prediction")}):
            assert list(got["rawPrediction"]) == r["rawPrediction"].toArray().tolist(), i
            np.testing.assert_allclose(list(got["probability"]), r["probability"].toArray(), rtol=1e-12)
            assert got["prediction"] == r["prediction"], i
