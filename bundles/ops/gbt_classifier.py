"""gbt_classifier: binary gradient-boosted trees, Spark `GBTClassificationModel`.

Attributes `num_features`, `num_classes` (2), `tree_weights`, `trees`, `thresholds` (when set); each tree a
`decision_tree_regression` child (`tree0/` …); ports `features` -> `raw_prediction`, `probability`,
`prediction`. Raw prediction `[-m, m]` with margin m = Σ weightᵢ·treeᵢ(x) summed as Spark's Java BLAS
`ddot` (exact); probability `p0 = 1 / (1 + exp(2m))` (log loss), `p1 = 1 - p0`, as Spark's
`raw2probabilityInPlace`. Tolerance: the probability may differ from Spark's by 1 ulp of `exp` (relative
<= 1e-15): Java's `Math.exp` is HotSpot's Intel-libm intrinsic, Python's `math.exp` is glibc's, and the two
round differently for about 1 input in 400. Both paths use `math.exp`, so columnar equals single-row.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.decision_tree_regression import DecisionTreeRegression
from bundles.ops.model_op import ProbabilisticClassifier, read_thresholds, spark_shape, spark_thresholds
from bundles.ops.tree_model import GBTMargin, TreeEnsemble
from bundles.trees import Tree, spark_trees
from jvm.linalg import JAVA11


class GBTClassifier(TreeEnsemble, ProbabilisticClassifier):
    op_name = "gbt_classifier"
    spark_classes = ("GBTClassificationModel",)
    sparse_features = True  # the splits read a sparse row's stored entries (absent: 0.0), bundles.trees
    tree_op = DecisionTreeRegression

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int | None, weights: list[float],
                 thresholds: list[float] | None = None, vector_lanes: int = JAVA11):
        super().__init__(name, shape, 2, num_features, thresholds)
        self.margin = GBTMargin(trees, weights, vector_lanes)
        self.forest = self.margin.forest
        self.tree_weights = [float(w) for w in weights]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> GBTClassifier:
        if attrs.integer("num_classes", 2) != 2:
            raise BundleError(f"{attrs.where}: gbt_classifier is binary; num_classes is "
                              f"{attrs.integer('num_classes')}")
        trees, weights = cls.load_trees(attrs, ctx)
        return cls(name, shape, trees, attrs.integer("num_features", -1), weights, read_thresholds(attrs),
                   ctx.vector_lanes)

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = spark_shape(stage, cls.output_ports)
        return [cls(stage.uid, shape, spark_trees(stage, impurities=False), stage.numFeatures,
                    list(stage.treeWeights), spark_thresholds(stage), ctx.vector_lanes)]

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        m = self.margin(matrix)
        return np.column_stack([-m, m])

    def raw_row(self, values: list[float]) -> list[float]:
        m = self.margin.row(values)
        return [-m, m]

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        exp = np.fromiter((math.exp(x) for x in (-2.0 * raw[:, 0]).tolist()), np.float64, len(raw))
        p0 = 1.0 / (1.0 + exp)
        return np.column_stack([p0, 1.0 - p0])

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        p0 = 1.0 / (1.0 + math.exp(-2.0 * raw[0]))
        return [p0, 1.0 - p0]
