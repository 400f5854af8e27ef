"""decision_tree_classifier: one classification tree, Spark `DecisionTreeClassificationModel`.

Attributes `num_features`, `num_classes`, `thresholds` (when set); the tree in `tree.json`, leaves holding
the class counts; ports `features` -> `raw_prediction`, `probability`, `prediction` (those set in Spark).
Also the tree type inside random forest classifier nodes (model-only children). Exact: raw prediction =
the leaf's counts, probability = counts / their sum (added left to right), as Spark.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import ProbabilisticClassifier, common_attrs, read_thresholds, spark_shape, spark_thresholds
from bundles.ops.tree_model import (
    leaf_table,
    load_single_tree,
    node_shape,
    normalize,
    normalize_row,
    store_single_tree,
    tree_params,
)
from bundles.trees import Forest, Tree, spark_trees


class DecisionTreeClassifier(ProbabilisticClassifier):
    op_name = "decision_tree_classifier"
    spark_classes = ("DecisionTreeClassificationModel",)
    sparse_features = True  # the splits read a sparse row's stored entries (absent: 0.0), bundles.trees

    def __init__(self, name: str, shape: Shape, tree: Tree, num_features: int | None, num_classes: int,
                 thresholds: list[float] | None = None):
        super().__init__(name, node_shape(shape), num_classes, num_features, thresholds)
        self.tree = tree
        self.forest = Forest([tree])
        self.counts = leaf_table(self.forest, lambda vals: vals)
        self._counts_row = self.counts.tolist()

    @classmethod
    def ensemble_child(cls, name: str, tree: Tree, ensemble: Any) -> DecisionTreeClassifier:
        """A random forest's tree, written as a model-only child."""
        return cls(name, Shape([], []), tree, ensemble.num_features, ensemble.num_classes)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> DecisionTreeClassifier:
        return cls(name, shape, load_single_tree(ctx), attrs.integer("num_features", -1),
                   attrs.integer("num_classes", 0), read_thresholds(attrs))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        store_single_tree(self.tree, ctx)
        return common_attrs(self), self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        (tree,) = spark_trees(stage, impurities=True)
        shape = spark_shape(stage, cls.output_ports)
        return [cls(stage.uid, shape, tree, stage.numFeatures, stage.numClasses, spark_thresholds(stage))]

    def params(self) -> dict[str, Any]:
        return tree_params(self)

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        return self.counts[self.forest.leaves(matrix)[:, 0]]

    def raw_row(self, values: list[float]) -> list[float]:
        return list(self._counts_row[self.forest.row_leaves(values)[0]])

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        return normalize(raw)

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        return normalize_row(raw)
