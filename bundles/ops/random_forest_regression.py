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
from bundles.frame import Frame
from bundles.ops.base import Op, Shape
from bundles.ops.decision_tree_regression import DecisionTreeRegression
from bundles.ops.tree_model import TreeModelOp, leaf_table, load_ensemble, spark_features_shape, store_ensemble
from bundles.trees import Tree, spark_trees


class RandomForestRegression(TreeModelOp):
    op_name = "random_forest_regression"
    spark_classes = ("RandomForestRegressionModel",)
    tree_op = DecisionTreeRegression

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int, weights: list[float]):
        super().__init__(name, shape, trees, num_features)
        self.weights = [float(w) for w in weights]
        self.leaf_value = leaf_table(self.forest, trees, lambda vals: vals[:1])[:, 0]
        self._leaf_value_row = self.leaf_value.tolist()

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> RandomForestRegression:
        trees, weights = load_ensemble(attrs, ctx, cls.tree_op.op_name)
        return cls(name, shape, trees, attrs.integer("num_features", 0), weights)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        children = [self.tree_op(f"tree{i}", Shape([], []), [t], self.num_features) for i, t in enumerate(self.trees)]
        return store_ensemble(ctx, children, self.weights, self.num_features), self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = spark_features_shape(stage, [("prediction", stage.getPredictionCol())])
        trees = spark_trees(stage, impurities=False)
        return [cls(stage.uid, shape, trees, stage.numFeatures, list(stage.treeWeights))]

    def predict(self, tree_values: np.ndarray) -> np.ndarray:
        total = np.zeros(tree_values.shape[0])
        for t in range(tree_values.shape[1]):
            total += tree_values[:, t]
        return total / self.forest.num_trees

    def transform(self, frame: Frame) -> None:
        values = self.leaf_value[self.forest.leaves(self.features(frame))]
        frame.columns[self.output("prediction")] = self.predict(values)

    def transform_row(self, row: dict[str, Any]) -> None:
        leaf_value = self._leaf_value_row
        total = 0.0
        for leaf in self.forest.row_leaves(self.row_features(row)):
            total += leaf_value[leaf]
        row[self.output("prediction")] = total / self.forest.num_trees
