"""random_forest_regression: the mean of its trees' predictions, Spark `RandomForestRegressionModel`.

Attributes `num_features`, `tree_weights` (all 1.0), `trees`; each tree a `decision_tree_regression` child
(`tree0/` …); ports `features` -> `prediction`. Exact: the tree predictions are added in tree order from 0.0
and divided by the tree count, as Spark's `predictions.sum / numTrees`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import values as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.decision_tree_regression import DecisionTreeRegression
from bundles.ops.tree_model import leaf_table, load_ensemble, store_ensemble, tree_params
from bundles.predictors import PREDICTION, Regressor, common_attrs, spark_shape
from bundles.trees import Forest, Tree, spark_trees


class RandomForestRegression(Regressor):
    op_name = "random_forest_regression"
    spark_classes = ("RandomForestRegressionModel",)

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int | None, weights: list[float]):
        super().__init__(name, shape, num_features)
        self.forest = Forest(trees)
        self.weights = [float(w) for w in weights]
        self.leaf_value = leaf_table(self.forest, lambda vals: vals[:1])[:, 0]
        self._row_sum = self.forest.row_sums(self.leaf_value[:, None])

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> RandomForestRegression:
        trees, weights = load_ensemble(attrs, ctx, DecisionTreeRegression.op_name)
        return cls(name, shape, trees, attrs.integer("num_features", -1), weights)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        children = [DecisionTreeRegression(f"tree{i}", Shape([], []), t, self.num_features)
                    for i, t in enumerate(self.forest.trees)]
        return {**common_attrs(self), **store_ensemble(ctx, children, self.weights)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, spark_shape(stage, (PREDICTION,)), spark_trees(stage, impurities=False),
                    stage.numFeatures, list(stage.treeWeights))]

    def params(self) -> dict[str, Any]:
        return tree_params(self)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        values = self.leaf_value[self.forest.leaves(matrix)]
        total = np.zeros(len(matrix))
        for t in range(values.shape[1]):
            total += values[:, t]
        return total / self.forest.num_trees

    def predict_row(self, values: list[float]) -> float:
        return self._row_sum(values)[0] / self.forest.num_trees
