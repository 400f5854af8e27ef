"""xgboost.classifier: an XGBoost classifier as MLeap's xgboost module writes it; written from the official
`xgboost.spark.SparkXGBClassifierModel` (which MLeap cannot serialize, combust/mleap #867, #849).

Files and attributes as `xgboost.regression`, plus `num_classes` (int) and `thresholds` (when set). Ports
`features` -> `raw_prediction`, `probability`, `prediction`. Outputs, all computed in float32 as xgboost
does, then widened to doubles:
- binary (one margin m): raw `[-m, m]`; p1 = the objective's transform of m (sigmoid for
  binary:logistic; m itself for reg:linear, as MLeap's runtime gives); probability `[1 - p1, p1]`;
- multiclass: raw = the margins; probability = softmax of the margins (SciPy's steps, as xgboost.spark;
  `bundles.f32math`).
The prediction is the class with the largest probability (or probability / threshold), as xgboost.spark's
transform: it differs from MLeap's JVM runtime, which rounds p1, only at p1 = 0.5 exactly or p1 outside [0, 1].
A sparse features vector's absent entries are missing values, as in MLeap's xgboost runtime (the pixar
bundle's `sparse_vector_assembler` relies on it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.f32math import softmax
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import ProbabilisticClassifier, common_attrs, read_thresholds, spark_shape
from bundles.xgboost_model import Booster, BoosterModel, load_booster, spark_booster, store_booster, transform_margin
from jvm.vectors import SparseVector


class XGBoostClassifier(ProbabilisticClassifier):
    op_name = "xgboost.classifier"
    spark_classes = ("SparkXGBClassifierModel",)
    sparse_features = True  # a sparse row's absent entries are missing values (bundles.xgboost_model.with_missing)

    def __init__(self, name: str, shape: Shape, booster: Booster, num_classes: int, tree_limit: int = 0,
                 missing: float = math.nan, thresholds: list[float] | None = None):
        super().__init__(name, shape, num_classes, booster.num_feature, thresholds)
        self.model = BoosterModel(booster, tree_limit, missing)
        self.tree_limit = int(tree_limit)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> XGBoostClassifier:
        booster, tree_limit, missing = load_booster(attrs, ctx)
        return cls(name, shape, booster, attrs.integer("num_classes", 2), tree_limit, missing,
                   read_thresholds(attrs))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = store_booster(self.model, self.tree_limit, ctx)
        attrs["num_classes"] = v.integer(self.num_classes)
        attrs["objective"] = v.string(self.model.booster.objective)
        if self.thresholds is not None:
            attrs["thresholds"] = common_attrs(self)["thresholds"]
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        booster, missing = spark_booster(stage)
        shape = spark_shape(stage, cls.output_ports)
        return [cls(stage.uid, shape, booster, max(booster.num_class, 2), 0, missing)]

    def params(self) -> dict[str, Any]:
        b = self.model.booster
        return {"objective": b.objective, "num_classes": self.num_classes, "num_features": b.num_feature,
                "trees": len(self.model.forest.trees), "max_depth": self.model.forest.depth,
                "tree_limit": self.tree_limit}

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        margins = self.model.margins(matrix)
        if self.model.num_groups == 1:
            margins = np.column_stack([-margins[:, 0], margins[:, 0]])
        return margins.astype(np.float64)

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        margins = raw.astype(np.float32)  # exact: the raw values are float32 margins
        if self.model.num_groups == 1:
            p1 = transform_margin(self.model.booster.objective, margins[:, 1])
            return np.column_stack([np.float32(1.0) - p1, p1]).astype(np.float64)
        return softmax(margins, axis=1).astype(np.float64)

    def raw_to_prediction(self, raw: np.ndarray) -> np.ndarray:
        return self.probability_to_prediction(self.raw_to_probability(raw))

    def raw_row(self, values: list[float] | SparseVector) -> list[float]:
        return self.raw(self.model.one_row(values))[0].tolist()

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        return self.raw_to_probability(np.asarray([raw]))[0].tolist()

    def raw_to_prediction_row(self, raw: list[float]) -> float:
        return self.probability_to_prediction_row(self.raw_to_probability_row(raw))
