"""The Spark feature pipeline, built from the column lists (never hard-coded to one data set).

categorical: StringIndexer -> OneHotEncoder (dropLast) -> `<col>_vec`
numeric:     passed through, optionally Imputer (`<col>_imputed`) and a scaler over all of them
assembled:   VectorAssembler(categorical vectors in order, then numerics in order) -> `features`

For abalone: StringIndexer(sex) -> OneHotEncoder -> VectorAssembler(sex_vec + 7 numerics).
"""

from __future__ import annotations

IMPUTE = ("none", "mean", "median", "mode")
SCALE = ("none", "standard", "minmax", "maxabs")
HANDLE_INVALID = ("error", "keep", "skip")
FEATURES = "features"


def derived_names(categorical: list[str], numeric: list[str], impute: str, scale: str) -> list[str]:
    """Columns the pipeline adds (they must not clash with input columns)."""
    names = [f"{c}_index" for c in categorical] + [f"{c}_vec" for c in categorical]
    if impute != "none":
        names += [f"{n}_imputed" for n in numeric]
    if scale != "none" and numeric:
        names += ["numeric_vec", "numeric_scaled"]
    return [*names, FEATURES]


def build_pipeline(categorical: list[str], numeric: list[str], *, impute: str = "none", scale: str = "none",
                   handle_invalid: str = "error"):
    """An unfitted pyspark.ml Pipeline producing the dense-able `features` vector."""
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import (
        Imputer,
        MaxAbsScaler,
        MinMaxScaler,
        OneHotEncoder,
        StandardScaler,
        StringIndexer,
        VectorAssembler,
    )

    if impute not in IMPUTE or scale not in SCALE or handle_invalid not in HANDLE_INVALID:
        raise ValueError(f"impute must be one of {IMPUTE}, scale one of {SCALE}, "
                         f"handle_invalid one of {HANDLE_INVALID}")
    stages = []
    assembled: list[str] = []
    if categorical:
        indexed = [f"{c}_index" for c in categorical]
        vectors = [f"{c}_vec" for c in categorical]
        stages.append(StringIndexer(inputCols=categorical, outputCols=indexed, handleInvalid=handle_invalid,
                                    stringOrderType="frequencyDesc"))
        stages.append(OneHotEncoder(inputCols=indexed, outputCols=vectors, dropLast=True))
        assembled += vectors
    numbers = list(numeric)
    if numbers and impute != "none":
        imputed = [f"{n}_imputed" for n in numbers]
        stages.append(Imputer(inputCols=numbers, outputCols=imputed, strategy=impute))
        numbers = imputed
    if numbers and scale != "none":
        stages.append(VectorAssembler(inputCols=numbers, outputCol="numeric_vec"))
        scaler = {
            "standard": lambda: StandardScaler(withMean=True, withStd=True),
            "minmax": MinMaxScaler,
            "maxabs": MaxAbsScaler,
        }[scale]()
        stages.append(scaler.setInputCol("numeric_vec").setOutputCol("numeric_scaled"))
        numbers = ["numeric_scaled"]
    stages.append(VectorAssembler(inputCols=assembled + numbers, outputCol=FEATURES))
    return Pipeline(stages=stages)


def feature_names(df) -> list[str]:
    """Names of the `features` vector's slots, from Spark's ML attribute metadata (e.g. `sex_vec_M`)."""
    attrs = df.schema[FEATURES].metadata.get("ml_attr", {}).get("attrs", {})
    slots = sorted((a["idx"], a.get("name", f"f{a['idx']}")) for group in attrs.values() for a in group)
    return [name for _, name in slots]
