"""gbt_regression: the weighted sum of its trees' predictions, Spark `GBTRegressionModel`.

Attributes `num_features`, `tree_weights` (1.0 then the step size), `trees`; each tree a
`decision_tree_regression` child (`tree0/` …); ports `features` -> `prediction`. Exact: Spark sums with its
Java BLAS `ddot` (fused multiply-adds in four accumulators), which `bundles.trees.java_ddot` reproduces.
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
from bundles.trees import Tree, java_ddot, java_ddot_row, spark_trees


class GBTRegression(TreeModelOp):
    op_name = "gbt_regression"
    spark_classes = ("GBTRegressionModel",)
    tree_op = DecisionTreeRegression

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int, weights: list[float]):
        super().__init__(name, shape, trees, num_features)
        self.weights = np.asarray(weights, dtype=np.float64)
        self._weights_row = self.weights.tolist()
        self.leaf_value = leaf_table(self.forest, trees, lambda vals: vals[:1])[:, 0]
        self._leaf_value_row = self.leaf_value.tolist()

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> GBTRegression:
        trees, weights = load_ensemble(attrs, ctx, cls.tree_op.op_name)
        return cls(name, shape, trees, attrs.integer("num_features", 0), weights)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        children = [self.tree_op(f"tree{i}", Shape([], []), [t], self.num_features) for i, t in enumerate(self.trees)]
        return store_ensemble(ctx, children, self._weights_row, self.num_features), self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = spark_features_shape(stage, [("prediction", stage.getPredictionCol())])
        trees = spark_trees(stage, impurities=False)
        return [cls(stage.uid, shape, trees, stage.numFeatures, list(stage.treeWeights))]

    def margin(self, frame: Frame) -> np.ndarray:
        return java_ddot(self.leaf_value[self.forest.leaves(self.features(frame))], self.weights)

    def margin_row(self, row: dict[str, Any]) -> float:
        leaf_value = self._leaf_value_row
        return java_ddot_row([leaf_value[i] for i in self.forest.row_leaves(self.row_features(row))],
                             self._weights_row)

    def transform(self, frame: Frame) -> None:
        frame.columns[self.output("prediction")] = self.margin(frame)

    def transform_row(self, row: dict[str, Any]) -> None:
        row[self.output("prediction")] = self.margin_row(row)
