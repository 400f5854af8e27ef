"""random_forest_classifier: votes of its trees, Spark `RandomForestClassificationModel`.

Attributes `num_features`, `num_classes`, `tree_weights` (all 1.0), `trees`, `thresholds` (when set); each
tree a `decision_tree_classifier` child (`tree0/` …) whose leaves hold class counts; ports `features` ->
`raw_prediction`, `probability`, `prediction`. Exact, as Spark's `predictRaw`: each tree's leaf counts are
divided by their sum (a tree with an all-zero leaf adds nothing), the per-tree vectors are added in tree
order from 0.0, and the probability is that sum normalised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Op, Shape
from bundles.ops.decision_tree_classifier import DecisionTreeClassifier
from bundles.ops.model_op import ProbabilisticClassifier, read_thresholds, spark_shape, spark_thresholds
from bundles.ops.tree_model import TreeEnsemble, leaf_table, normalize, normalize_row
from bundles.trees import Forest, Tree, spark_trees


def _tree_vote(counts: list[float], num_classes: int) -> list[float]:
    total = 0.0
    for c in counts:
        total += c
    return [c / total for c in counts[:num_classes]] if total != 0 else [0.0] * num_classes


class RandomForestClassifier(TreeEnsemble, ProbabilisticClassifier):
    op_name = "random_forest_classifier"
    spark_classes = ("RandomForestClassificationModel",)
    sparse_features = True  # the splits read a sparse row's stored entries (absent: 0.0), bundles.trees
    tree_op = DecisionTreeClassifier

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int | None, num_classes: int,
                 weights: list[float], thresholds: list[float] | None = None):
        super().__init__(name, shape, num_classes, num_features, thresholds)
        self.forest = Forest(trees)
        self.tree_weights = [float(w) for w in weights]
        self.votes = leaf_table(self.forest, lambda counts: _tree_vote(counts, self.num_classes))
        self._row_votes = self.forest.row_sums(self.votes[:, :self.num_classes])

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> RandomForestClassifier:
        trees, weights = cls.load_trees(attrs, ctx)
        return cls(name, shape, trees, attrs.integer("num_features", -1), attrs.integer("num_classes", 0),
                   weights, read_thresholds(attrs))

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        shape = spark_shape(stage, cls.output_ports)
        return [cls(stage.uid, shape, spark_trees(stage, impurities=True), stage.numFeatures, stage.numClasses,
                    list(stage.treeWeights), spark_thresholds(stage))]

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        votes = self.votes[self.forest.leaves(matrix)]  # (rows, trees, classes)
        total = np.zeros((len(matrix), self.num_classes))
        for t in range(votes.shape[1]):
            total += votes[:, t, :self.num_classes]
        return total

    def raw_row(self, values: list[float]) -> list[float]:
        return self._row_votes(values)

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        return normalize(raw)

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        return normalize_row(raw)
