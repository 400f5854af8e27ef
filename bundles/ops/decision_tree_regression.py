"""decision_tree_regression: one regression tree, Spark `DecisionTreeRegressionModel`.

Attribute `num_features`; the tree in `tree.json` (leaves hold `[prediction]`); ports `features` ->
`prediction`. Also the tree type inside random forest regression and GBT nodes (model-only children).
Exact: the prediction is the leaf's value.
"""

from __future__ import annotations

from typing import Any

from bundles import values as v
from bundles.context import Context
from bundles.frame import Frame
from bundles.ops.base import Op, Shape
from bundles.ops.tree_model import TreeModelOp, leaf_table, load_single_tree, spark_features_shape, store_single_tree
from bundles.trees import Tree, spark_trees


class DecisionTreeRegression(TreeModelOp):
    op_name = "decision_tree_regression"
    spark_classes = ("DecisionTreeRegressionModel",)

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int):
        super().__init__(name, shape, trees, num_features)
        self.leaf_value = leaf_table(self.forest, trees, lambda vals: vals[:1])[:, 0]
        self._leaf_value_row = self.leaf_value.tolist()

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> DecisionTreeRegression:
        return cls(name, shape, load_single_tree(ctx), attrs.integer("num_features", 0))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        store_single_tree(self.trees[0], ctx)
        return {"num_features": v.long(self.num_features)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = spark_features_shape(stage, [("prediction", stage.getPredictionCol())])
        return [cls(stage.uid, shape, spark_trees(stage, impurities=False), stage.numFeatures)]

    def transform(self, frame: Frame) -> None:
        leaves = self.forest.leaves(self.features(frame))[:, 0]
        frame.columns[self.output("prediction")] = self.leaf_value[leaves]

    def transform_row(self, row: dict[str, Any]) -> None:
        x = self.row_features(row)
        row[self.output("prediction")] = self._leaf_value_row[self.forest.row_leaves(x)[0]]
