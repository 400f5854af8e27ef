"""gbt_regression: the weighted sum of its trees' predictions, Spark `GBTRegressionModel`.

Attributes `num_features`, `tree_weights` (1.0, then the step size), `trees`; each tree a
`decision_tree_regression` child (`tree0/` …); ports `features` -> `prediction`. Exact: Spark sums with its
Java BLAS `ddot` (Spark 3.5: fused multiply-adds in four accumulators; Spark 4: VectorBLAS's lanes, as the
bundle records), which `jvm.linalg.DotWeights` reproduces.
"""

from __future__ import annotations

import numpy as np

from bundles.ops.base import Shape
from bundles.ops.decision_tree_regression import DecisionTreeRegression
from bundles.ops.model_op import Regressor
from bundles.ops.tree_model import GBTMargin, RegressionEnsemble
from bundles.trees import Tree
from jvm.linalg import JAVA11


class GBTRegression(RegressionEnsemble, Regressor):
    op_name = "gbt_regression"
    spark_classes = ("GBTRegressionModel",)
    sparse_features = True  # the splits read a sparse row's stored entries (absent: 0.0), bundles.trees
    list_rows = True
    tree_op = DecisionTreeRegression
    blas_ordered = True

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int | None, weights: list[float],
                 vector_lanes: int = JAVA11):
        super().__init__(name, shape, num_features)
        self.margin = GBTMargin(trees, weights, vector_lanes)
        self.forest = self.margin.forest
        self.tree_weights = [float(w) for w in weights]

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.margin(matrix)

    def predict_row(self, values: list[float]) -> float:
        return self.margin.row(values)
