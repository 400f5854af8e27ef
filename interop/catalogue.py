"""The interop catalogue: one entry per op form sparkleap writes, each a fitted Spark model + sample rows.

To add an op: write a function `(spark) -> (fitted model, DataFrame)` and decorate it with `@case("name")`.
The suite bundles the model with `--target 0.20`, transforms the DataFrame in Spark, in our runtime and in
real MLeap, and compares every output column of every op (doubles, vectors dense or sparse, strings, string
arrays). Keep data small (a few rows), inputs as Spark types the frames module maps (numbers, strings,
vectors, arrays). `divergence` documents where real MLeap and Spark differ (serving follows MLeap): the
Spark comparison is then reported, not asserted. `mleap_error` is a documented MLeap limitation: real MLeap
must fail with an error containing that text (the entry then agrees when it does).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Build = Callable[[Any], tuple[Any, Any]]


@dataclass(frozen=True)
class Case:
    name: str  # report key: "<op>" or "<op>.<form>"
    build: Build
    divergence: str = ""  # why real MLeap != Spark here (documented; serving follows MLeap)
    tolerance: float = 1e-9
    mleap_error: str = ""  # real MLeap must fail with this text (a documented MLeap limitation)


CASES: dict[str, Case] = {}


def case(name: str, divergence: str = "", tolerance: float = 1e-9, mleap_error: str = "") -> Callable[[Build], Build]:
    def register(build: Build) -> Build:
        if name in CASES:
            raise ValueError(f"interop case {name!r} is declared twice")
        CASES[name] = Case(name, build, divergence, tolerance, mleap_error)
        return build

    return register


def fit(stages: list, df) -> tuple[Any, Any]:
    """A PipelineModel of `stages` fitted on `df`, and `df` itself."""
    from pyspark.ml import Pipeline

    return Pipeline(stages=stages).fit(df), df


def frame(spark, columns: dict[str, list]):
    """A DataFrame from column lists; vectors are pyspark.ml.linalg vectors, NaN a missing double."""
    names = list(columns)
    return spark.createDataFrame(list(zip(*columns.values(), strict=True)), names)


def numbers(spark):
    return frame(spark, {"x": [1.0, -2.5, 3.25, 0.0, 7.5], "y": [10.0, 0.5, -4.0, 2.0, 1e3],
                         "z": [0.1, 0.2, 0.3, 0.4, -0.5]})


def assembled(spark, extra: list | None = None) -> tuple[list, Any]:
    """Stages that assemble x, y, z into `v` (for the vector ops), and the numbers frame."""
    from pyspark.ml.feature import VectorAssembler

    return [VectorAssembler(inputCols=["x", "y", "z"], outputCol="v"), *(extra or [])], numbers(spark)


def categories(spark):
    return frame(spark, {"c": ["a", "b", "a", "c", "b", "a"], "d": ["u", "u", "w", "v", "w", "u"],
                         "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})


@case("string_indexer")
def string_indexer(spark):
    from pyspark.ml.feature import StringIndexer

    return fit([StringIndexer(inputCol="c", outputCol="c_i")], categories(spark))


@case("string_indexer.multi_column")
def string_indexer_multi(spark):
    from pyspark.ml.feature import StringIndexer

    return fit([StringIndexer(inputCols=["c", "d"], outputCols=["c_i", "d_i"], stringOrderType="alphabetAsc")],
               categories(spark))


@case("string_indexer.keep_unseen")
def string_indexer_keep(spark):
    from pyspark.ml.feature import StringIndexer

    model, _ = fit([StringIndexer(inputCol="c", outputCol="c_i", handleInvalid="keep")], categories(spark))
    return model, frame(spark, {"c": ["a", "zzz", "c"], "d": ["u", "u", "u"], "x": [1.0, 2.0, 3.0]})


@case("one_hot_encoder")
def one_hot_encoder(spark):
    from pyspark.ml.feature import OneHotEncoder, StringIndexer

    return fit([StringIndexer(inputCol="c", outputCol="c_i"), OneHotEncoder(inputCol="c_i", outputCol="c_v")],
               categories(spark))


@case("one_hot_encoder.multi_column_keep")
def one_hot_encoder_multi(spark):
    from pyspark.ml.feature import OneHotEncoder, StringIndexer

    return fit([StringIndexer(inputCols=["c", "d"], outputCols=["c_i", "d_i"], handleInvalid="keep"),
                OneHotEncoder(inputCols=["c_i", "d_i"], outputCols=["c_v", "d_v"], dropLast=False,
                              handleInvalid="keep")],
               categories(spark))


@case("vector_assembler")
def vector_assembler(spark):
    from pyspark.ml.feature import OneHotEncoder, StringIndexer, VectorAssembler

    return fit([StringIndexer(inputCol="c", outputCol="c_i"), OneHotEncoder(inputCol="c_i", outputCol="c_v"),
                VectorAssembler(inputCols=["c_v", "x", "c_i"], outputCol="features")],
               categories(spark))


@case("standard_scaler")
def standard_scaler(spark):
    from pyspark.ml.feature import StandardScaler

    return fit(*assembled(spark, [StandardScaler(inputCol="v", outputCol="s", withMean=True, withStd=True)]))


@case("standard_scaler.std_only")
def standard_scaler_std(spark):
    from pyspark.ml.feature import StandardScaler

    return fit(*assembled(spark, [StandardScaler(inputCol="v", outputCol="s")]))


@case("standard_scaler.mean_only")
def standard_scaler_mean(spark):
    from pyspark.ml.feature import StandardScaler

    return fit(*assembled(spark, [StandardScaler(inputCol="v", outputCol="s", withMean=True, withStd=False)]))


MIN_MAX_ORDER = ("MLeap computes (x - min) / (max - min) * (maxValue - minValue) + minValue, Spark "
                 "(x - min) * ((maxValue - minValue) / (max - min)) + minValue: they can differ in the last bit; "
                 "sparkleap follows Spark (bundles/ops/min_max_scaler.py)")


@case("min_max_scaler", divergence=MIN_MAX_ORDER, tolerance=1e-12)
def min_max_scaler(spark):
    from pyspark.ml.feature import MinMaxScaler

    return fit(*assembled(spark, [MinMaxScaler(inputCol="v", outputCol="s", min=-1.0, max=2.0)]))


@case("min_max_scaler.unit_range", divergence=MIN_MAX_ORDER, tolerance=1e-12)
def min_max_scaler_unit(spark):
    from pyspark.ml.feature import MinMaxScaler

    return fit(*assembled(spark, [MinMaxScaler(inputCol="v", outputCol="s")]))


@case("max_abs_scaler")
def max_abs_scaler(spark):
    from pyspark.ml.feature import MaxAbsScaler

    return fit(*assembled(spark, [MaxAbsScaler(inputCol="v", outputCol="s")]))


@case("bucketizer")
def bucketizer(spark):
    from pyspark.ml.feature import Bucketizer

    return fit([Bucketizer(inputCol="x", outputCol="b", splits=[-math.inf, 0.0, 2.0, 5.0, math.inf])],
               numbers(spark))


@case("bucketizer.multi_column")
def bucketizer_multi(spark):
    from pyspark.ml.feature import Bucketizer

    return fit([Bucketizer(inputCols=["x", "y"], outputCols=["bx", "by"],
                           splitsArray=[[-10.0, 0.0, 10.0], [-math.inf, 1.0, math.inf]])],
               numbers(spark))


@case("imputer")
def imputer(spark):
    from pyspark.ml.feature import Imputer

    df = frame(spark, {"x": [1.0, math.nan, 4.0, 10.0], "y": [2.0, 3.0, math.nan, 5.0]})
    return fit([Imputer(inputCols=["x", "y"], outputCols=["xi", "yi"], strategy="median")], df)


@case("imputer.mean")
def imputer_mean(spark):
    from pyspark.ml.feature import Imputer

    df = frame(spark, {"x": [1.0, math.nan, 4.0, 10.0]})
    return fit([Imputer(inputCol="x", outputCol="xi")], df)


@case("normalizer")
def normalizer(spark):
    from pyspark.ml.feature import Normalizer

    return fit(*assembled(spark, [Normalizer(inputCol="v", outputCol="n", p=2.0)]))


@case("normalizer.p1")
def normalizer_p1(spark):
    from pyspark.ml.feature import Normalizer

    return fit(*assembled(spark, [Normalizer(inputCol="v", outputCol="n", p=1.0)]))


@case("normalizer.inf", mleap_error="p>=1", divergence=(
    "MLeap's bundle JSON writes p=+Infinity as null and real MLeap reads it back as NaN, so it fails every "
    "transform (\"we require that you specify a p>=1\"); sparkleap reads null p_norm as +Infinity and gives "
    "Spark's max-norm result"))
def normalizer_inf(spark):
    from pyspark.ml.feature import Normalizer

    return fit(*assembled(spark, [Normalizer(inputCol="v", outputCol="n", p=math.inf)]))


@case("binarizer")
def binarizer(spark):
    from pyspark.ml.feature import Binarizer

    return fit([Binarizer(inputCol="x", outputCol="b", threshold=1.0)], numbers(spark))


@case("binarizer.vector")
def binarizer_vector(spark):
    from pyspark.ml.feature import Binarizer

    return fit(*assembled(spark, [Binarizer(inputCol="v", outputCol="b", threshold=0.25)]))


@case("pipeline.nested")
def nested_pipeline(spark):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import OneHotEncoder, StandardScaler, StringIndexer, VectorAssembler

    df = categories(spark)
    inner = Pipeline(stages=[StringIndexer(inputCol="c", outputCol="c_i"),
                             OneHotEncoder(inputCol="c_i", outputCol="c_v")]).fit(df)
    return fit([inner, VectorAssembler(inputCols=["c_v", "x"], outputCol="f"),
                StandardScaler(inputCol="f", outputCol="s", withMean=True)], df)
