"""decision_tree_regression: one regression tree, Spark `DecisionTreeRegressionModel`.

Attribute `num_features`; the tree in `tree.json` (leaves hold `[prediction]`); ports `features` ->
`prediction`. Also the tree type inside random forest regression and GBT nodes (model-only children).
Exact: the prediction is the leaf's value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import PREDICTION, Regressor, common_attrs, spark_shape
from bundles.ops.tree_model import leaf_table, load_single_tree, node_shape, store_single_tree, tree_params
from bundles.trees import Forest, Tree, spark_trees


class DecisionTreeRegression(Regressor):
    op_name = "decision_tree_regression"
    spark_classes = ("DecisionTreeRegressionModel",)
    sparse_features = True  # the splits read a sparse row's stored entries (absent: 0.0), bundles.trees
    list_rows = True

    def __init__(self, name: str, shape: Shape, tree: Tree, num_features: int | None):
        super().__init__(name, node_shape(shape), num_features)
        self.tree = tree
        self.forest = Forest([tree])
        self.leaf_value = leaf_table(self.forest, lambda vals: vals[:1])[:, 0]
        self._leaf_value_row = self.leaf_value.tolist()

    @classmethod
    def ensemble_child(cls, name: str, tree: Tree, ensemble: Any) -> DecisionTreeRegression:
        """A random forest's or GBT's tree, written as a model-only child."""
        return cls(name, Shape([], []), tree, ensemble.num_features)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> DecisionTreeRegression:
        return cls(name, shape, load_single_tree(ctx), attrs.integer("num_features", -1))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        store_single_tree(self.tree, ctx)
        return common_attrs(self), self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        (tree,) = spark_trees(stage, impurities=False)
        return [cls(stage.uid, spark_shape(stage, (PREDICTION,)), tree, stage.numFeatures)]

    def params(self) -> dict[str, Any]:
        return tree_params(self)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.leaf_value[self.forest.leaves(matrix)[:, 0]]

    def predict_row(self, values: list[float]) -> float:
        return self._leaf_value_row[self.forest.row_leaves(values)[0]]
