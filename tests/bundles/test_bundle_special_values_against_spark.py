"""Signed zeros, NaN and infinities through every numeric op, against Spark.

Each group is a Spark pipeline fitted on ordinary rows, then run on rows whose numbers are -0.0, 0.0, NaN,
+inf, -inf and plain values, dense and as sparse vectors (a sparse vector may store an explicit -0.0). Our
runtime (built from the fitted model, columnar and single row) must give Spark's values with Spark's sign of
zero: `assert_array_equal` alone takes -0.0 for 0.0, so the sign is compared as well; NaN equals NaN.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bundles.frame import object_column
from bundles.spark import bundle_from_spark
from jvm.vectors import SparseMatrix
from tests.bundles.test_bundle_numeric_spark_properties import as_sparse, plain

SPECIAL = [-0.0, 0.0, math.nan, math.inf, -math.inf, 1.5, -2.0]
WIDTH = 3
FIT_ROWS = [[1.0, 2.0, -1.0], [-3.0, 0.5, 2.0], [2.5, -1.0, 4.0], [0.0, 3.0, -2.5], [4.0, -2.0, 1.0],
            [-1.5, 1.0, 0.0]]


def special_rows() -> list[list[float]]:
    """Every special value in every slot, next to every other."""
    n = len(SPECIAL)
    return [[SPECIAL[(i + j) % n] for j in range(WIDTH)] for i in range(n)] + \
           [[SPECIAL[(i + 2 * j) % n] for j in range(WIDTH)] for i in range(n)]


def frame(spark, rows: list[list[float]], labels: bool = False):
    """`id`, `x0..x2`, dense `dv`, sparse `sv` (explicit -0.0 stored, +0.0 not), `cat`, optional `label`."""
    from pyspark.ml.linalg import SparseVector as SparkSparse
    from pyspark.ml.linalg import Vectors, VectorUDT
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    fields = [StructField("id", IntegerType()), StructField("cat", StringType()), StructField("dv", VectorUDT()),
              StructField("sv", VectorUDT())] + [StructField(f"x{j}", DoubleType()) for j in range(WIDTH)]
    if labels:
        fields.append(StructField("label", DoubleType()))
    data = []
    for i, r in enumerate(rows):
        stored = [j for j, x in enumerate(r) if x != 0.0 or math.copysign(1.0, x) < 0]
        record = [i, "ab"[i % 2], Vectors.dense(r), SparkSparse(WIDTH, stored, [r[j] for j in stored]), *r]
        if labels:
            record.append(float(i % 2))
        data.append(tuple(record))
    out = spark.createDataFrame(data, StructType(fields))
    for c in ("dv", "sv"):
        out = out.withColumn(c, out[c].alias(c, metadata={"ml_attr": {"num_attrs": WIDTH}}))
    return out


def same(got, want) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(same, got, want))
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    return got == want and (not isinstance(want, float) or math.copysign(1.0, got) == math.copysign(1.0, want))


def check(model, train, data, inputs: list[str]) -> None:
    """Every column Spark adds equals ours, value and sign, columnar and single row."""
    out = model.transform(data).orderBy("id")
    names = [c for c in out.columns if c not in data.columns]
    rows = [r.asDict() for r in out.collect()]
    bundle = bundle_from_spark(model, train)

    def column(name: str):
        if name == "cat":
            return object_column([r[name] for r in rows])
        if name == "sv":
            return SparseMatrix.from_rows([as_sparse(r[name]) for r in rows], WIDTH)
        if name == "dv":
            return np.array([r[name].toArray() for r in rows], dtype=np.float64)
        return np.array([r[name] for r in rows], dtype=np.float64)

    columnar = bundle.transform({k: column(k) for k in inputs}).columns
    failures = []
    for i, r in enumerate(rows):
        single = bundle.transform_row({k: as_sparse(r[k]) if k == "sv" else
                                       r[k].toArray().tolist() if k == "dv" else r[k] for k in inputs})
        for name in names:
            want = plain(r[name])
            for how, got in (("columnar", plain(columnar[name][i])), ("single row", plain(single[name]))):
                if not same(got, want):
                    failures.append(f"{name}, row {i} {[r.get(k) for k in inputs]}, {how}: {got} != Spark {want}")
    assert not failures, "\n".join(failures[:20])


def fitted(spark, stages: list, labels: bool = False):
    from pyspark.ml import Pipeline

    train = frame(spark, FIT_ROWS, labels)
    return Pipeline(stages=stages).fit(train), train, frame(spark, special_rows(), labels)


def test_vector_assembler_gives_sparks_positive_zero_and_keeps_nan_and_infinities(spark):
    from pyspark.ml.feature import VectorAssembler

    xs = [f"x{j}" for j in range(WIDTH)]
    stages = [VectorAssembler(inputCols=xs, outputCol="scalars", handleInvalid="keep"),
              VectorAssembler(inputCols=["x0", "dv"], outputCol="mixed", handleInvalid="keep"),
              VectorAssembler(inputCols=["sv", "x1"], outputCol="with_sparse", handleInvalid="keep")]
    model, train, data = fitted(spark, stages)
    check(model, train, data, [*xs, "dv", "sv"])


def scaler_stages(vec: str) -> list:
    from pyspark.ml.feature import MaxAbsScaler, MinMaxScaler, Normalizer, StandardScaler

    return [*(StandardScaler(withMean=m, withStd=s, inputCol=vec, outputCol=f"std_{m}_{s}_{vec}")
              for m, s in ((True, True), (True, False), (False, True))),
            MinMaxScaler(inputCol=vec, outputCol=f"minmax_{vec}"),
            MinMaxScaler(min=-1.0, max=0.0, inputCol=vec, outputCol=f"minmax_neg_{vec}"),
            MaxAbsScaler(inputCol=vec, outputCol=f"maxabs_{vec}"),
            *(Normalizer(p=p, inputCol=vec, outputCol=f"norm_{int(p) if p < 9 else 'inf'}_{vec}")
              for p in (1.0, 2.0, 3.0, math.inf))]


@pytest.mark.parametrize("vec", ["dv", "sv"])
def test_scalers_and_normalizer_match_spark_on_special_values(spark, vec):
    model, train, data = fitted(spark, scaler_stages(vec))
    check(model, train, data, [vec])


@pytest.mark.parametrize("vec", ["dv", "sv"])
def test_vector_feature_ops_match_spark_on_special_values(spark, vec):
    from pyspark.ml.feature import DCT, IDF, PCA, ElementwiseProduct, MinHashLSH, PolynomialExpansion, VectorSlicer
    from pyspark.ml.linalg import Vectors

    stages = [PolynomialExpansion(degree=2, inputCol=vec, outputCol=f"poly_{vec}"),
              IDF(inputCol=vec, outputCol=f"idf_{vec}"),
              MinHashLSH(numHashTables=2, seed=4, inputCol=vec, outputCol=f"minhash_{vec}"),
              ElementwiseProduct(scalingVec=Vectors.dense([2.0, -0.0, -1.5]), inputCol=vec, outputCol=f"ew_{vec}"),
              VectorSlicer(indices=[2, 0], inputCol=vec, outputCol=f"slice_{vec}"),
              PCA(k=2, inputCol=vec, outputCol=f"pca_{vec}")]
    if vec == "dv":
        stages.append(DCT(inputCol=vec, outputCol="dct_dv"))
    model, train, data = fitted(spark, stages)
    check(model, train, data, [vec])


def test_scalar_feature_ops_match_spark_on_special_values(spark):
    from pyspark.ml.feature import Binarizer, Bucketizer, Imputer, Interaction, RobustScaler, VectorIndexer

    stages = [Binarizer(threshold=-0.0, inputCol="x0", outputCol="bin_x0"),
              Binarizer(threshold=0.5, inputCol="dv", outputCol="bin_dv"),
              Bucketizer(splits=[-math.inf, -1.0, 0.0, 2.0, math.inf], handleInvalid="keep", inputCol="x1",
                         outputCol="bucket_x1"),
              Bucketizer(splits=[-math.inf, -0.0, math.inf], handleInvalid="keep", inputCol="x2",
                         outputCol="bucket_x2"),
              Imputer(inputCols=["x0", "x1"], outputCols=["imp_x0", "imp_x1"], strategy="median"),
              Interaction(inputCols=["x2", "x0", "x1"], outputCol="inter"),
              RobustScaler(withCentering=True, inputCol="dv", outputCol="robust"),
              VectorIndexer(maxCategories=2, handleInvalid="keep", inputCol="dv", outputCol="vi")]
    model, train, data = fitted(spark, stages)
    check(model, train, data, ["x0", "x1", "x2", "dv"])


@pytest.mark.parametrize("vec", ["dv", "sv"])
def test_linear_models_match_spark_on_special_values(spark, vec):
    from pyspark.ml.classification import LinearSVC, LogisticRegression
    from pyspark.ml.regression import GeneralizedLinearRegression, LinearRegression

    stages = [LogisticRegression(featuresCol=vec, maxIter=5, predictionCol="lr_p", rawPredictionCol="lr_raw",
                                 probabilityCol="lr_prob"),
              LinearSVC(featuresCol=vec, maxIter=5, predictionCol="svc_p", rawPredictionCol="svc_raw"),
              LinearRegression(featuresCol=vec, predictionCol="lin_p"),
              GeneralizedLinearRegression(family="poisson", featuresCol=vec, predictionCol="glr_p",
                                          linkPredictionCol="glr_link")]
    model, train, data = fitted(spark, stages, labels=True)
    check(model, train, data, [vec])


@pytest.mark.parametrize("vec", ["dv", "sv"])
def test_tree_and_cluster_models_match_spark_on_special_values(spark, vec):
    from pyspark.ml.classification import GBTClassifier, MultilayerPerceptronClassifier, RandomForestClassifier
    from pyspark.ml.clustering import GaussianMixture  # (KMeans: Spark refuses a NaN norm)
    from pyspark.ml.regression import DecisionTreeRegressor

    stages = [DecisionTreeRegressor(featuresCol=vec, predictionCol="dt_p"),
              RandomForestClassifier(featuresCol=vec, numTrees=3, seed=1, predictionCol="rf_p",
                                     rawPredictionCol="rf_raw", probabilityCol="rf_prob"),
              GBTClassifier(featuresCol=vec, maxIter=3, predictionCol="gbt_p").setRawPredictionCol("gbt_raw")
              .setProbabilityCol("gbt_prob"),
              MultilayerPerceptronClassifier(layers=[WIDTH, 3, 2], seed=1, maxIter=5, featuresCol=vec,
                                             predictionCol="mlp_p", rawPredictionCol="mlp_raw",
                                             probabilityCol="mlp_prob"),
              GaussianMixture(k=2, seed=1, featuresCol=vec, predictionCol="gm_p", probabilityCol="gm_prob")]
    model, train, data = fitted(spark, stages, labels=True)
    check(model, train, data, [vec])


@pytest.mark.parametrize("vec", ["dv", "sv"])
def test_more_models_match_spark_on_special_values(spark, vec):
    from pyspark.ml.classification import DecisionTreeClassifier, LogisticRegression, NaiveBayes, OneVsRest
    from pyspark.ml.regression import GBTRegressor, IsotonicRegression, RandomForestRegressor

    stages = [NaiveBayes(modelType="gaussian", featuresCol=vec, predictionCol="nb_p", rawPredictionCol="nb_raw",
                         probabilityCol="nb_prob"),
              IsotonicRegression(featuresCol=vec, featureIndex=1, predictionCol="iso_p"),
              OneVsRest(classifier=LogisticRegression(maxIter=5), featuresCol=vec, predictionCol="ovr_p"),
              DecisionTreeClassifier(featuresCol=vec, predictionCol="dtc_p", rawPredictionCol="dtc_raw",
                                     probabilityCol="dtc_prob"),
              RandomForestRegressor(featuresCol=vec, numTrees=3, seed=2, predictionCol="rfr_p"),
              GBTRegressor(featuresCol=vec, maxIter=3, predictionCol="gbtr_p")]
    model, train, data = fitted(spark, stages, labels=True)
    check(model, train, data, [vec])


def test_selectors_hashers_and_indexers_match_spark_on_special_values(spark):
    from pyspark.ml.feature import (
        BucketedRandomProjectionLSH,
        ChiSqSelector,
        FeatureHasher,
        OneHotEncoder,
        StringIndexer,
        UnivariateFeatureSelector,
        VarianceThresholdSelector,
    )

    stages = [ChiSqSelector(numTopFeatures=2, featuresCol="dv", labelCol="label", outputCol="chi"),
              UnivariateFeatureSelector(selectionMode="numTopFeatures", featuresCol="dv", labelCol="label",
                                        outputCol="uni").setFeatureType("continuous").setLabelType("categorical")
              .setSelectionThreshold(2),
              VarianceThresholdSelector(varianceThreshold=0.5, featuresCol="dv", outputCol="var"),
              BucketedRandomProjectionLSH(bucketLength=1.5, numHashTables=2, seed=3, inputCol="dv", outputCol="brp"),
              FeatureHasher(inputCols=["x0", "x1", "cat"], numFeatures=16, outputCol="hashed"),
              StringIndexer(inputCol="x0", outputCol="x0_label", handleInvalid="keep"),
              StringIndexer(inputCol="label", outputCol="label_i"),
              OneHotEncoder(inputCol="label_i", outputCol="label_v")]
    model, train, data = fitted(spark, stages, labels=True)
    check(model, train, data, ["x0", "x1", "cat", "dv", "label"])


@pytest.mark.parametrize("vec", ["dv", "sv"])
def test_clustering_matches_spark_on_signed_zeros_and_infinities(spark, vec):
    from pyspark.ml.clustering import BisectingKMeans, KMeans

    model, train, data = fitted(spark, [KMeans(k=2, seed=1, featuresCol=vec, predictionCol="km_p"),
                                        BisectingKMeans(k=2, seed=1, featuresCol=vec, predictionCol="bkm_p")])
    clean = data.filter(~data["x0"].isNull())  # Spark's KMeans refuses a NaN norm: rows without NaN only
    for c in ("x0", "x1", "x2"):
        clean = clean.filter(~clean[c].eqNullSafe(float("nan")))
    check(model, train, clean, [vec])
