"""Shared base of the tree ops (decision trees, random forests, GBTs): one `features` input, a `Forest` to
evaluate, the tree file or `tree0/` … child folders, and reading the features column.

A single tree keeps its nodes in its own folder (`tree.json`); an ensemble writes each tree as a model-only
child (`tree{i}/model.json` + `tree.json`, no `node.json`), op `decision_tree_regression` (random forest
regression, GBTs) or `decision_tree_classifier` (random forest classifier), with attributes `trees` (child
names) and `tree_weights`. Same form for writer targets 0.20 and 0.9.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from bundles import values as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape
from bundles.trees import Forest, Tree, read_tree, write_tree


class TreeModelOp(Op):
    """An op evaluating `trees` on the `features` vector column."""

    input_struct: ClassVar[str] = "vector"
    output_struct: ClassVar[str] = "basic"

    def __init__(self, name: str, shape: Shape, trees: list[Tree], num_features: int):
        super().__init__(name, shape)
        self.trees = trees
        self.num_features = int(num_features)
        self.forest = Forest(trees)

    @property
    def features_col(self) -> str:
        return dict(self.shape.inputs).get("features") or self.shape.input_cols[0]

    def output(self, port: str) -> str | None:
        return dict(self.shape.outputs).get(port)

    def features(self, frame: Frame) -> np.ndarray:
        col = self.features_col
        return as_float_matrix(frame.column(col), col, frame)

    def row_features(self, row: dict[str, Any]) -> list[float]:
        col = self.features_col
        x = row[col]
        if x is None:
            raise TransformError("null value", column=col)
        if not isinstance(x, list):
            x = [x] if isinstance(x, float | int) else list(x)
        if len(x) < self.forest.num_features_used:
            raise TransformError(f"feature vector has {len(x)} values; the trees use "
                                 f"{self.forest.num_features_used}", column=col)
        return x

    def params(self) -> dict[str, Any]:
        return {"num_features": self.num_features, "trees": len(self.trees),
                "max_depth": self.forest.depth, "leaves": sum(t.num_leaves for t in self.trees)}


def leaf_table(forest: Forest, trees: list[Tree], value) -> np.ndarray:
    """A (nodes, k) array with `value(leaf_values)` at every leaf's global index (zeros elsewhere)."""
    rows = [value(vals) for tree in trees for vals, split in zip(tree.values, tree.splits, strict=True)
            if split is None]
    width = max(len(r) for r in rows)
    table = np.zeros((len(forest.feature), width))
    k = 0
    for tree, root in zip(trees, forest.roots, strict=True):
        for i, split in enumerate(tree.splits):
            if split is None:
                table[root + i, :len(rows[k])] = rows[k]
                k += 1
    return table


# ---- ensembles: child trees ------------------------------------------------------------------------------


def load_ensemble(attrs: v.Attributes, ctx: Context, tree_op: str) -> tuple[list[Tree], list[float]]:
    """The trees (children named by `trees`) and `tree_weights` of an ensemble node."""
    names = attrs.strings("trees")
    weights = attrs.doubles("tree_weights", [1.0] * len(names))
    if len(weights) != len(names):
        raise BundleError(f"{attrs.where}: {len(names)} trees but {len(weights)} tree_weights")
    trees = []
    for child in names:
        op = ctx.load_model(child)
        if op.op_name != tree_op or not isinstance(op, TreeModelOp):
            raise BundleError(f"{ctx.folder / child}: expected a {tree_op} tree, found op {op.op_name!r}")
        trees.extend(op.trees)
    return trees, weights


def store_ensemble(ctx: Context, tree_ops: list[Op], weights: list[float], num_features: int) -> dict[str, dict]:
    names = [f"tree{i}" for i in range(len(tree_ops))]
    for name, op in zip(names, tree_ops, strict=True):
        ctx.store_model(op, name)
    return {"num_features": v.long(num_features), "tree_weights": v.doubles(weights), "trees": v.strings(names)}


def load_single_tree(ctx: Context) -> list[Tree]:
    return [read_tree(ctx.folder)]


def store_single_tree(tree: Tree, ctx: Context) -> None:
    write_tree(tree, ctx.folder)


def spark_features_shape(stage: Any, outputs: list[tuple[str, str]]) -> Shape:
    """The node shape of a Spark predictor: its features column in, the named outputs that are set."""
    return Shape([("features", stage.getFeaturesCol())], [(port, col) for port, col in outputs if col])
