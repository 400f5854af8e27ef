"""random_forest_regression: the mean of its trees' predictions, Spark `RandomForestRegressionModel`.

Attributes `num_features`, `tree_weights` (all 1.0), `trees`; each tree a `decision_tree_regression` child
(`tree0/` …); ports `features` -> `prediction`. Exact: the tree predictions are added in tree order from 0.0
and divided by the tree count, as Spark's `predictions.sum / numTrees`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from bundles.ops.base import Shape
from bundles.ops.decision_tree_regression import DecisionTreeRegression
from bundles.ops.model_op import Regressor
from bundles.ops.tree_model import RegressionEnsemble, leaf_table
from bundles.trees import Forest, Tree


class RandomForestRegression(RegressionEnsemble, Regressor):
    op_name = "random_forest_regression"
    spark_classes = ("RandomForestRegressionModel",)
    sparse_features = True  # the splits read a sparse row's stored entries (absent: 0.0), bundles.trees
    list_rows = True
    tree_op = DecisionTreeRegression

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int | None, weights: list[float]):
        super().__init__(name, shape, num_features)
        self.forest = Forest(trees)
        self.tree_weights = [float(w) for w in weights]
        self.leaf_value = leaf_table(self.forest, lambda vals: vals[:1])[:, 0]
        self._row_sum = self.forest.row_sums(self.leaf_value[:, None])

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        values = self.leaf_value[self.forest.leaves(matrix)]
        total = np.zeros(len(matrix))
        for t in range(values.shape[1]):
            total += values[:, t]
        return total / self.forest.num_trees

    def predict_row(self, values: list[float]) -> float:
        return self._row_sum(values)[0] / self.forest.num_trees

    def row_predictor(self) -> Callable[[list[float]], float]:
        row_sum, trees = self._row_sum, self.forest.num_trees
        return lambda values: row_sum(values)[0] / trees
