"""Property tests for the numeric feature ops against Spark: random vectors (dense, and the same values as
sparse vectors: every op's sparse path, scalers, IDF, normalizer and interaction included), random
parameters; one random pipeline per example, fitted in real Spark on all rows but
the last (so the last row can hold unseen values), run on every row. Our runtime (built from the fitted
model, and written and read back; MLeap 0.9 cannot hold VectorIndexer's keep, so that target refuses)
equals Spark exactly for every row, columnar and single-row (DCT included: `jvm.jtransforms` is
JTransforms' algorithm, operation for operation).
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

SMALL = [0.0, 0.0, 1.0, 2.0, -1.0, 3.0]  # few distinct values: categorical slots for VectorIndexer, zeros for sparsity
FLOATS = st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False).map(lambda x: x + 0.0)
CATS = ["a", "b", "c"]


@dataclass
class NumericCase:
    width: int
    xs: list[list[float]]  # rows of `width` numbers; slot 0 never 0 (MinHash needs a non-zero per row)
    cats: list[str]
    k: int
    degree: int
    inverse: bool
    scaling: list[float]
    max_categories: int
    slice_indices: list[int]
    slice_names: list[int]
    top: int
    variance: float
    bucket_length: float
    tables: int
    seed: int
    centering: bool
    scaling_on: bool


@st.composite
def numeric_cases(draw) -> NumericCase:
    width = draw(st.integers(2, 5))
    n = draw(st.integers(5, 8))  # ANOVA (UnivariateFeatureSelector) needs more fit rows than classes
    value = st.one_of(st.sampled_from(SMALL), FLOATS)
    xs = [[draw(st.sampled_from([1.0, 2.0, -1.0])) if j == 0 else draw(value) for j in range(width)]
          for _ in range(n)]
    cats = [draw(st.sampled_from(CATS)) for _ in range(n)]
    cats[:2] = ["a", "b"]
    slots = list(range(width))
    chosen = draw(st.lists(st.sampled_from(slots), min_size=1, max_size=width, unique=True))
    split = draw(st.integers(0, len(chosen) - 1))
    centering, scaling_on = draw(st.sampled_from([(True, True), (True, False), (False, True)]))
    return NumericCase(
        width=width, xs=xs, cats=cats,
        k=draw(st.integers(1, width)),
        degree=draw(st.integers(1, 3)),
        inverse=draw(st.booleans()),
        scaling=[draw(st.sampled_from([0.0, 1.5, -2.0])) if draw(st.booleans()) else draw(FLOATS) for _ in slots],
        max_categories=draw(st.integers(2, 4)),
        slice_indices=chosen[split:],
        slice_names=chosen[:split],
        top=draw(st.integers(1, width)),
        variance=draw(st.sampled_from([0.0, 0.5, 10.0])),
        bucket_length=draw(st.sampled_from([0.5, 1.0, 3.7, 100.0])),
        tables=draw(st.integers(1, 3)),
        seed=draw(st.integers(0, 2**31 - 1)),
        centering=centering,
        scaling_on=scaling_on,
    )


def fit(spark, case: NumericCase):
    """(fitted PipelineModel, the fit sample, all rows as a DataFrame, the input column names)."""
    from pyspark.ml import Pipeline, PipelineModel
    from pyspark.ml.feature import (
        DCT,
        IDF,
        BucketedRandomProjectionLSH,
        ChiSqSelector,
        ElementwiseProduct,
        Interaction,
        MaxAbsScaler,
        MinHashLSH,
        Normalizer,
        PolynomialExpansion,
        RobustScaler,
        StandardScaler,
        StringIndexer,
        UnivariateFeatureSelector,
        VarianceThresholdSelector,
        VectorAssembler,
        VectorIndexer,
        VectorSlicer,
    )
    from pyspark.ml.feature import PCA as SparkPCA
    from pyspark.ml.linalg import Vectors, VectorUDT
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    xcols = [f"x{j}" for j in range(case.width)]
    schema = StructType([StructField("id", IntegerType()), StructField("cat", StringType()),
                         StructField("sv", VectorUDT())] + [StructField(c, DoubleType()) for c in xcols])
    rows = [(i, c, sparse_of(Vectors, x), *x) for i, (c, x) in enumerate(zip(case.cats, case.xs, strict=True))]
    data = spark.createDataFrame(rows, schema)
    attrs = {"numeric": [{"idx": j, "name": f"s{j}"} for j in range(case.width)]}  # Interaction needs them
    data = data.withColumn("sv", data["sv"].alias("sv", metadata={"ml_attr": {"num_attrs": case.width,
                                                                               "attrs": attrs}}))
    train = data.filter(data["id"] < len(rows) - 1)

    stages = [StringIndexer(inputCol="cat", outputCol="label", handleInvalid="keep"),
              VectorAssembler(inputCols=xcols, outputCol="dv"),
              VectorAssembler(inputCols=["x0", "label"], outputCol="mixed"),
              SparkPCA(k=case.k, inputCol="dv", outputCol="pca_dv"),
              VectorIndexer(maxCategories=case.max_categories, handleInvalid="keep", inputCol="dv", outputCol="vi_dv"),
              ChiSqSelector(numTopFeatures=case.top, featuresCol="dv", labelCol="label", outputCol="chi_dv"),
              UnivariateFeatureSelector(selectionMode="numTopFeatures", featuresCol="dv", labelCol="label",
                                        outputCol="uni_dv").setFeatureType("continuous")
              .setLabelType("categorical").setSelectionThreshold(case.top),
              VarianceThresholdSelector(varianceThreshold=case.variance, featuresCol="dv", outputCol="var_dv"),
              BucketedRandomProjectionLSH(bucketLength=case.bucket_length, numHashTables=case.tables, seed=case.seed,
                                          inputCol="dv", outputCol="brp_dv"),
              MinHashLSH(numHashTables=case.tables, seed=case.seed, inputCol="dv", outputCol="mh_dv"),
              RobustScaler(withCentering=case.centering, withScaling=case.scaling_on, inputCol="dv",
                           outputCol="robust_dv"),
              StandardScaler(withMean=case.centering, withStd=case.scaling_on, inputCol="dv", outputCol="std_dv"),
              MaxAbsScaler(inputCol="dv", outputCol="maxabs_dv"),
              IDF(minDocFreq=case.degree - 1, inputCol="dv", outputCol="idf_dv")]
    fitted = Pipeline(stages=stages).fit(train).stages  # one fit; the sparse column reuses the fitted models
    on_sparse = []
    for m in fitted[3:]:
        copy = m.copy()  # keeps the uid: it goes into a second bundle
        copy.set(copy.featuresCol if m.hasParam("featuresCol") else copy.inputCol, "sv")
        on_sparse.append(copy.setOutputCol(m.getOutputCol().replace("_dv", "_sv")))

    def plain_stages(vec: str) -> list:
        return [PolynomialExpansion(degree=case.degree, inputCol=vec, outputCol=f"poly_{vec}"),
                DCT(inverse=case.inverse, inputCol=vec, outputCol=f"dct_{vec}"),
                ElementwiseProduct(scalingVec=Vectors.dense(case.scaling), inputCol=vec, outputCol=f"ew_{vec}"),
                VectorSlicer(indices=case.slice_indices + (case.slice_names if vec == "sv" else []),
                             names=[] if vec == "sv" else [xcols[j] for j in case.slice_names], inputCol=vec,
                             outputCol=f"slice_{vec}"),
                Normalizer(p=[1.0, 2.0, float("inf")][case.degree - 1], inputCol=vec, outputCol=f"norm_{vec}")]

    dense = PipelineModel(stages=fitted + plain_stages("dv") + [
        Interaction(inputCols=["x1", "label", "mixed", "dv"], outputCol="inter")])
    sparse = PipelineModel(stages=on_sparse + plain_stages("sv") + [
        Interaction(inputCols=["x1", "sv"], outputCol="inter_sv")])
    return [(dense, ["cat", *xcols]), (sparse, ["sv", "x1"])], train, data


def sparse_of(vectors, values: list[float]):
    """A Spark SparseVector holding the non-zero values."""
    return vectors.sparse(len(values), {j: x for j, x in enumerate(values) if x != 0.0})


def plain(value) -> list | float:
    """A Spark or runtime value as plain floats: vectors densified, LSH arrays as lists of lists."""
    if isinstance(value, SparseVector):
        return value.dense()
    if hasattr(value, "toArray"):
        return value.toArray().tolist()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [plain(x) for x in value]
    return value


def same(got, want, name: str, where: str) -> None:
    got, want = plain(got), plain(want)
    assert got == want, f"{where}: {got} != {want}"


def check(bundle: bundles.Bundle, rows: list[dict], names: list[str], inputs: list[str], how: str) -> None:
    def column(name: str):
        if name == "cat":
            return object_column([r[name] for r in rows])
        if name == "sv":
            return SparseMatrix.from_rows([as_sparse(r[name]) for r in rows], rows[0][name].size)
        return np.array([r[name] for r in rows], dtype=np.float64)

    frame = bundle.transform({k: column(k) for k in inputs})
    for i, r in enumerate(rows):
        single = bundle.transform_row({k: as_sparse(r[k]) if k == "sv" else r[k] for k in inputs})
        for name in names:
            same(frame.columns[name][i], r[name], name, f"{how}, columnar, row {i}, {name}")
            same(single[name], r[name], name, f"{how}, single-row, row {i}, {name}")


def as_sparse(vector) -> SparseVector:
    return SparseVector(vector.size, vector.indices.tolist(), vector.values.tolist())


def check_case(spark, case: NumericCase) -> None:
    note(repr(case))
    models, train, data = fit(spark, case)
    for model, inputs in models:  # dense: the fitted models on "dv"; sparse: the same models on "sv"
        out = model.transform(data).orderBy("id")
        names = [c for c in out.columns if c not in data.columns and c not in ("label", "dv", "mixed")]
        rows = [r.asDict() for r in out.collect()]
        bundle = bundle_from_spark(model, train)
        check(bundle, rows, names, inputs, "built")
        with tempfile.TemporaryDirectory() as tmp:
            path = bundles.save_bundle(bundle, Path(tmp) / "b.zip")
            check(bundles.load_bundle(path), rows, names, inputs, "round trip")
            with pytest.raises(bundles.BundleError, match="MLeap 0.9 has no vector_indexer handle_invalid"):
                bundles.save_bundle(bundle, Path(tmp) / "legacy.zip", target="0.9")


QUICK = settings(max_examples=2, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@QUICK
@given(case=numeric_cases())
def test_spark_numeric_feature_ops_equal_the_bundle_runtime_on_random_vectors(spark, case):
    check_case(spark, case)


@pytest.mark.soak
@settings(QUICK, max_examples=12)  # ~20 s a Spark fit on a shared machine
@given(case=numeric_cases())
def test_spark_numeric_feature_ops_equal_the_bundle_runtime_on_many_random_vectors(spark, case):
    check_case(spark, case)
