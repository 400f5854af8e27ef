"""xgboost.regression: an XGBoost regressor as MLeap's xgboost module writes it; written from the official
`xgboost.spark.SparkXGBRegressorModel` (which MLeap cannot serialize, combust/mleap #867, #849).

Files and attributes (as MLeap's Spark-side op writes them): `xgboost.model` (the booster in xgboost's
legacy binary format, see `bundles.xgboost_model`), `num_features` (int), `tree_limit` (int, 0 = all
trees), `missing` (float). Ports `features` -> `prediction`. The prediction is xgboost's: the float32 margin
through the objective's transform (identity; float32 sigmoid for logistic objectives), as a double.
A sparse features vector's absent entries are missing values, as in MLeap's xgboost runtime (the pixar
bundle's `sparse_vector_assembler` relies on it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import PREDICTION, Regressor, spark_shape
from bundles.xgboost_model import Booster, BoosterModel, load_booster, spark_booster, store_booster, transform_margin
from jvm.vectors import SparseVector


class XGBoostRegression(Regressor):
    op_name = "xgboost.regression"
    spark_classes = ("SparkXGBRegressorModel",)
    sparse_features = True  # a sparse row's absent entries are missing values (bundles.xgboost_model.with_missing)

    def __init__(self, name: str, shape: Shape, booster: Booster, tree_limit: int = 0, missing: float = math.nan):
        super().__init__(name, shape, booster.num_feature)
        self.model = BoosterModel(booster, tree_limit, missing)
        self.tree_limit = int(tree_limit)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> XGBoostRegression:
        return cls(name, shape, *load_booster(attrs, ctx))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return store_booster(self.model, self.tree_limit, ctx), self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        booster, missing = spark_booster(stage)
        return [cls(stage.uid, spark_shape(stage, (PREDICTION,)), booster, 0, missing)]

    def params(self) -> dict[str, Any]:
        b = self.model.booster
        return {"objective": b.objective, "num_features": b.num_feature, "trees": len(self.model.forest.trees),
                "max_depth": self.model.forest.depth, "tree_limit": self.tree_limit}

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        margin = self.model.margins(matrix)[:, 0]
        return transform_margin(self.model.booster.objective, margin).astype(np.float64)

    def predict_row(self, values: list[float] | SparseVector) -> float:
        return float(self.predict(self.model.one_row(values))[0])
