"""Shared helpers of the tree ops (decision trees, random forests, GBTs): the tree file or `tree0/` … child
folders (`TreeEnsemble`: the one reader and writer of an ensemble's trees), leaf-value tables and the
inspect parameters. The outputs come from `bundles.ops.model_op`.

A single tree keeps its nodes in its own folder (`tree.json`); an ensemble writes each tree as a model-only
child (`tree{i}/model.json` + `tree.json`; MLeap's `ModelSerializer` writes no `node.json`, so a bare
tree gets the ports features -> prediction when read), op
`decision_tree_regression` (random forest regression, GBTs) or `decision_tree_classifier` (random forest
classifier), with attributes `trees` (child names) and `tree_weights`. Same form for writer targets 0.20
and 0.9 (MLeap's Spark tree ops did not change between them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Shape
from bundles.ops.model_op import FEATURES, PREDICTION, common_attrs, spark_shape
from bundles.trees import Forest, Tree, read_tree, spark_trees, write_tree
from jvm.linalg import JAVA11, DotWeights

CHILD_SHAPE = Shape([(FEATURES, FEATURES)], [(PREDICTION, PREDICTION)])


def node_shape(shape: Shape) -> Shape:
    """A tree's shape; a model-only child (an ensemble's tree) has no ports, so it gets features -> prediction."""
    return shape if shape.inputs else CHILD_SHAPE


def leaf_table(forest: Forest, value: Callable[[list[float]], list[float]]) -> np.ndarray:
    """A (nodes, k) array holding `value(leaf values)` at every leaf's global node index (zeros elsewhere)."""
    rows: dict[int, list[float]] = {}
    for tree, root in zip(forest.trees, forest.roots, strict=True):
        for i, split in enumerate(tree.splits):
            if split is None:
                rows[int(root) + i] = value(tree.values[i])
    table = np.zeros((len(forest.feature), max(len(r) for r in rows.values())))
    for node, row in rows.items():
        table[node, :len(row)] = row
    return table


def tree_params(op: Any) -> dict[str, Any]:
    """What `sparkleap bundle inspect` shows of a tree op."""
    out = {"num_features": op.num_features, "trees": op.forest.num_trees, "max_depth": op.forest.depth,
           "nodes": len(op.forest.feature)}
    if getattr(op, "num_classes", None) is not None:
        out["num_classes"] = op.num_classes
    if getattr(op, "thresholds", None) is not None:
        out["thresholds"] = op.thresholds.tolist()
    return out


def load_single_tree(ctx: Context) -> Tree:
    return read_tree(ctx.folder)


def store_single_tree(tree: Tree, ctx: Context) -> None:
    write_tree(tree, ctx.folder)


class TreeEnsemble:
    """The writer and inspect parameters shared by the ensemble ops (random forests, GBTs): `tree_op` is the
    op of their trees (a class with `ensemble_child(name, tree, ensemble)`), `tree_weights` their weights."""

    tree_op: ClassVar[Any]
    tree_weights: list[float]
    forest: Forest
    shape: Shape

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        """Each tree as a child `tree{i}/`, plus `trees`, `tree_weights` and the model attributes."""
        names = [f"tree{i}" for i in range(self.forest.num_trees)]
        for name, tree in zip(names, self.forest.trees, strict=True):
            ctx.store_child(self.tree_op.ensemble_child(name, tree, self), name)
        attrs = {**common_attrs(self), "tree_weights": v.doubles(self.tree_weights),  # type: ignore[arg-type]
                 "trees": v.strings(names)}
        return attrs, self.shape

    def params(self) -> dict[str, Any]:
        return tree_params(self)

    @classmethod
    def load_trees(cls, attrs: v.Attributes, ctx: Context) -> tuple[list[Tree], list[float]]:
        """The trees (children named by `trees`, each a `tree_op` node) and `tree_weights` of an ensemble."""
        names = attrs.strings("trees")
        weights = attrs.doubles("tree_weights", [1.0] * len(names))
        if len(weights) != len(names):
            raise BundleError(f"{attrs.where}: {len(names)} trees but {len(weights)} tree_weights")
        trees = []
        for child in names:
            op = ctx.load_child(child, CHILD_SHAPE)
            if op.op_name != cls.tree_op.op_name:
                raise BundleError(f"{ctx.folder / child}: expected a {cls.tree_op.op_name} tree, found op "
                                  f"{op.op_name!r}")
            trees.append(op.tree)  # type: ignore[attr-defined]
        return trees, weights


class RegressionEnsemble(TreeEnsemble):
    """Reader and Spark converter of the regression ensembles (random forest, GBT), whose constructor takes
    (name, shape, trees, num_features, weights) and, with `blas_ordered`, the context's `vector_lanes`."""

    blas_ordered = False  # whether the trees' outputs are summed by Spark's BLAS (GBT's ddot)

    @classmethod
    def build(cls, name: str, shape: Shape, trees: list[Tree], num_features: int | None, weights: list[float],
              ctx: Context) -> Any:
        lanes = (ctx.vector_lanes,) if cls.blas_ordered else ()
        return cls(name, shape, trees, num_features, weights, *lanes)  # type: ignore[call-arg]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Any:
        trees, weights = cls.load_trees(attrs, ctx)
        return cls.build(name, shape, trees, attrs.integer("num_features", -1), weights, ctx)

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Any]:
        trees = spark_trees(stage, impurities=False)
        return [cls.build(stage.uid, spark_shape(stage, (PREDICTION,)), trees, stage.numFeatures,
                          list(stage.treeWeights), ctx)]


class GBTMargin:
    """Σ weightᵢ · treeᵢ(x), summed as Spark does; shared by the GBT regressor and classifier."""

    def __init__(self, trees: list[Tree], weights: list[float], vector_lanes: int = JAVA11):
        self.forest = Forest(trees)
        self.weights = DotWeights(np.asarray(weights, dtype=np.float64), vector_lanes=vector_lanes)
        self.leaf_value = leaf_table(self.forest, lambda vals: vals[:1])[:, 0]
        self._leaf_value_row = self.leaf_value.tolist()

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        return self.weights.dot(self.leaf_value[self.forest.leaves(matrix)])

    def row(self, values: list[float]) -> float:
        leaf_value = self._leaf_value_row
        return self.weights.dot_row([leaf_value[i] for i in self.forest.row_leaves(values)])


def normalize(raw: np.ndarray) -> np.ndarray:
    """Spark `normalizeToProbabilitiesInPlace` per row: divide by the sum, added left to right."""
    total = np.zeros(len(raw))
    for j in range(raw.shape[1]):
        total += raw[:, j]
    with np.errstate(divide="ignore", invalid="ignore"):
        return raw / total[:, None]


def normalize_row(raw: list[float]) -> list[float]:
    total = 0.0
    for x in raw:
        total += x
    return [x / total for x in raw] if total != 0.0 else [math.nan] * len(raw)
