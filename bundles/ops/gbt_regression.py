"""gbt_regression: the weighted sum of its trees' predictions, Spark `GBTRegressionModel`.

Attributes `num_features`, `tree_weights` (1.0, then the step size), `trees`; each tree a
`decision_tree_regression` child (`tree0/` …); ports `features` -> `prediction`. Exact: Spark sums with its
Java BLAS `ddot` (fused multiply-adds in four accumulators), which `bundles.trees.java_ddot` reproduces.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import values as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.decision_tree_regression import DecisionTreeRegression
from bundles.ops.tree_model import GBTMargin, load_ensemble, store_ensemble, tree_params
from bundles.predictors import PREDICTION, Regressor, common_attrs, spark_shape
from bundles.trees import Tree, spark_trees


class GBTRegression(Regressor):
    op_name = "gbt_regression"
    spark_classes = ("GBTRegressionModel",)

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int | None, weights: list[float]):
        super().__init__(name, shape, num_features)
        self.margin = GBTMargin(trees, weights)
        self.forest = self.margin.forest

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> GBTRegression:
        trees, weights = load_ensemble(attrs, ctx, DecisionTreeRegression.op_name)
        return cls(name, shape, trees, attrs.integer("num_features", -1), weights)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        children = [DecisionTreeRegression(f"tree{i}", Shape([], []), t, self.num_features)
                    for i, t in enumerate(self.forest.trees)]
        return {**common_attrs(self), **store_ensemble(ctx, children, self.margin.weights.tolist())}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, spark_shape(stage, (PREDICTION,)), spark_trees(stage, impurities=False),
                    stage.numFeatures, list(stage.treeWeights))]

    def params(self) -> dict[str, Any]:
        return tree_params(self)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.margin(matrix)

    def predict_row(self, values: list[float]) -> float:
        return self.margin.row(values)
