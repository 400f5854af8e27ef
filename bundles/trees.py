"""Decision trees for the tree ops: the tree file (read and written), Spark's fitted trees, and evaluation.

A tree file holds the nodes in pre-order (left subtree before right): `tree.json`, one JSON object per line,
or `tree.pb`, each node a 4-byte big-endian length and a serialized `ml.bundle.dtree.Node` (bundle-protobuf's
`dtree.proto`). Internal nodes carry a split; leaves carry `values` (class counts for classifiers, the
prediction for regressors).

Split rule, as Spark applies it: continuous goes left when `x[f] <= threshold` (NaN goes right). A categorical
split stores one side of its categories and `isLeft`: a value goes left when it is among the stored ones if
`isLeft`, when it is not among them otherwise — Spark's `CategoricalSplit.shouldGoLeft` and MLeap's alike, so a
value the split never saw (outside `0..numCategories-1`, fractional, NaN) goes right under `isLeft` and left
without it. Spark stores the left categories when there are at most `numCategories / 2` of them, else the right
ones; a tree taken from Spark is stored the same way, so it answers as Spark does for every value.

Evaluation: `Forest` concatenates trees into flat NumPy arrays and steps all rows of all trees one level at a
time (columnar); the single-row path runs the whole ensemble compiled to one function of nested Python `if`s
(`compile_rows`), which can also add the leaves' values as it goes.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from base.errors import InputError
from bundles import protobuf as pb
from bundles.errors import BundleError
from jvm.vectors import SparseMatrix, SparseVector

# ---- the tree ----------------------------------------------------------------------------------------


@dataclass
class Split:
    feature: int
    threshold: float = math.nan  # continuous
    categories: tuple[float, ...] | None = None  # categorical: the stored side
    is_left: bool = True
    num_categories: int = 0
    nan_left: bool = False  # a missing value (NaN) goes left (xgboost's default direction); Spark sends it right


@dataclass
class Tree:
    """Nodes in pre-order: `splits[i]` is None for a leaf, whose `values[i]` is its value list. The left child
    of internal node i is i+1; `right[i]` is its right child."""

    splits: list[Split | None]
    values: list[list[float]]
    right: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.right:
            self.right = _right_by_walk(self.splits)

    @property
    def depth(self) -> int:
        depth, stack = 0, [(0, 0)]
        while stack:
            i, d = stack.pop()
            depth = max(depth, d)
            if self.splits[i] is not None:
                stack += [(i + 1, d + 1), (self.right[i], d + 1)]
        return depth

    @property
    def num_leaves(self) -> int:
        return sum(s is None for s in self.splits)


def _right_by_walk(splits: list[Split | None]) -> list[int]:
    """Right child of every internal node: the node after the end of its left subtree."""
    right = [-1] * len(splits)

    def end(i: int) -> int:  # index one past the subtree rooted at i (iterative)
        need = 1
        while need:
            if i >= len(splits):
                raise BundleError("tree file ends inside a subtree")
            need += 1 if splits[i] is not None else -1
            i += 1
        return i

    for i, split in enumerate(splits):
        if split is not None:
            right[i] = end(i + 1)
    if end(0) != len(splits):
        raise BundleError(f"tree file has {len(splits) - end(0)} node(s) after the root's subtree")
    return right


# ---- tree files ----------------------------------------------------------------------------------------


def read_tree(folder: Path) -> Tree:
    """The tree in `folder/tree.json` or `tree.pb` (MLeap's Spark writer) or `nodes.json` / `nodes.pb` (the name
    MLeap's runtime writer gives the same file)."""
    for stem in ("tree", "nodes"):
        if (folder / f"{stem}.json").is_file():
            return _read_json_tree(folder / f"{stem}.json")
        if (folder / f"{stem}.pb").is_file():
            return _read_pb_tree(folder / f"{stem}.pb")
    raise BundleError(f"{folder}: no tree.json, tree.pb, nodes.json or nodes.pb")


def write_tree(tree: Tree, folder: Path) -> None:
    """`folder/tree.json` as MLeap's JSON bundles hold it: one compact object per line, pre-order."""
    lines = []
    for split, values in zip(tree.splits, tree.values, strict=True):
        if split is None:
            node: dict[str, Any] = {"type": "leaf", "values": [float(v) for v in values]}
        elif split.categories is None:
            node = {"type": "internal", "split": {"type": "continuous", "featureIndex": split.feature,
                                                  "threshold": split.threshold}}
        else:
            node = {"type": "internal", "split": {"type": "categorical", "featureIndex": split.feature,
                                                  "isLeft": split.is_left, "numCategories": split.num_categories,
                                                  "categories": list(split.categories)}}
        lines.append(json.dumps(node, separators=(",", ":"), allow_nan=False))
    (folder / "tree.json").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _read_json_tree(path: Path) -> Tree:
    splits: list[Split | None] = []
    values: list[list[float]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            node = json.loads(line)
            if node["type"] == "leaf":
                splits.append(None)
                values.append([float(v) for v in node["values"]])
                continue
            if node["type"] != "internal":
                raise ValueError(f"unknown node type {node['type']!r}")
            s = node["split"]
            if s["type"] == "continuous":
                splits.append(Split(int(s["featureIndex"]), float(s["threshold"])))
            elif s["type"] == "categorical":
                splits.append(Split(int(s["featureIndex"]), categories=tuple(float(c) for c in s["categories"]),
                                    is_left=bool(s.get("isLeft", False)), num_categories=int(s["numCategories"])))
            else:
                raise ValueError(f"unknown split type {s['type']!r}")
            values.append([])
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleError(f"{path}: line {n}: not a tree node ({exc})") from None
    if not splits:
        raise BundleError(f"{path}: no nodes")
    return _checked(Tree(splits, values), path)


def _pb_node(buf: bytes) -> tuple[Split | None, list[float]]:
    """One `ml.bundle.dtree.Node`: Node{internal = 1 {split = 1 {categorical = 1, continuous = 2}}, leaf = 2}."""
    node = pb.fields(buf)
    leaf = pb.first(node, 2)
    if leaf is not None:
        return None, pb.doubles(pb.fields(leaf), 1)
    internal = pb.first(node, 1)
    if internal is None:
        raise ValueError("node is neither internal nor leaf")
    split = pb.fields(pb.first(pb.fields(internal), 1, b""))
    categorical, continuous = pb.first(split, 1), pb.first(split, 2)
    if continuous is not None:
        c = pb.fields(continuous)
        return Split(int(pb.first(c, 1, 0)), pb.double(c, 2)), []
    if categorical is not None:
        c = pb.fields(categorical)
        return Split(int(pb.first(c, 1, 0)), categories=tuple(pb.doubles(c, 4)), is_left=bool(pb.first(c, 2, 0)),
                     num_categories=int(pb.first(c, 3, 0))), []
    raise ValueError("internal node without a split")


def _read_pb_tree(path: Path) -> Tree:
    splits: list[Split | None] = []
    values: list[list[float]] = []
    for message in pb.length_prefixed(path):
        try:
            split, vals = _pb_node(message)
        except (ValueError, struct.error) as exc:
            raise BundleError(f"{path}: node {len(splits)}: {exc}") from None
        splits.append(split)
        values.append(vals)
    return _checked(Tree(splits, values), path)


def _checked(tree: Tree, path: Path) -> Tree:
    for i, (split, values) in enumerate(zip(tree.splits, tree.values, strict=True)):
        if split is None and not values:
            raise BundleError(f"{path}: leaf node {i} has no values")
        if split is not None and split.feature < 0:
            raise BundleError(f"{path}: node {i} splits on feature {split.feature}")
    return tree


# ---- Spark's fitted trees ----------------------------------------------------------------------------------


def spark_trees(stage: Any, impurities: bool) -> list[Tree]:
    """The trees of a fitted PySpark tree model or ensemble, read from what `stage.write().save()` writes
    (Parquet node tables; no per-node JVM calls). `impurities`: leaves hold the class counts (classifiers),
    else `[prediction]`."""
    import tempfile

    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(prefix="sparkleap-trees-") as tmp:
        stage.write().overwrite().save(tmp)
        table = pq.read_table(Path(tmp) / "data").to_pylist()
    if table and "nodeData" in table[0]:  # an ensemble: (treeID, nodeData) rows
        by_tree: dict[int, list[dict]] = {}
        for row in table:
            by_tree.setdefault(int(row["treeID"]), []).append(row["nodeData"])
        return [_tree_from_spark_nodes(by_tree[t], impurities) for t in sorted(by_tree)]
    return [_tree_from_spark_nodes(table, impurities)]


def _tree_from_spark_nodes(rows: list[dict], impurities: bool) -> Tree:
    nodes = {int(r["id"]): r for r in rows}
    root = min(nodes)
    splits: list[Split | None] = []
    values: list[list[float]] = []
    stack = [root]
    while stack:  # pre-order, left before right
        node = nodes[stack.pop()]
        if int(node["leftChild"]) < 0:
            splits.append(None)
            values.append([float(v) for v in node["impurityStats"]] if impurities else [float(node["prediction"])])
            continue
        s = node["split"]
        if int(s["numCategories"]) < 0:
            splits.append(Split(int(s["featureIndex"]), float(s["leftCategoriesOrThreshold"][0])))
        else:  # the side Spark's CategoricalSplit keeps: the left categories when at most n / 2 of them
            n = int(s["numCategories"])
            left = [float(c) for c in s["leftCategoriesOrThreshold"]]
            right = [float(c) for c in range(n) if float(c) not in set(left)]
            is_left = len(left) <= n // 2
            splits.append(Split(int(s["featureIndex"]), categories=tuple(left if is_left else right),
                                is_left=is_left, num_categories=n))
        values.append([])
        stack += [int(node["rightChild"]), int(node["leftChild"])]
    return Tree(splits, values)


# ---- evaluation --------------------------------------------------------------------------------------------

CHUNK_ROWS = 4096
_POOL: dict[int, ThreadPoolExecutor] = {}  # by process id: a forked server worker gets its own threads


def _pool() -> ThreadPoolExecutor:
    """Two worker threads (the machines we serve on have few cores), created on first use in each process."""
    pid = os.getpid()
    if pid not in _POOL:
        _POOL.clear()
        _POOL[pid] = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sparkleap-trees")
    return _POOL[pid]


class Forest:
    """Trees concatenated into flat arrays for evaluation; `leaves(X)` gives each row's leaf in every tree.

    Node arrays (all trees, global indices): `feature`, `threshold` (NaN for leaves and categorical nodes so
    the comparison is False), `right` (a leaf points to itself), `category` (row of `stored_table` for a
    categorical node, else -1). The left child of node i is i+1. The columnar walk keeps twice the node
    index (`node2`) and reads copies of these arrays indexed by it, so the next node is one gather:
    `child2[node2 + left]` (entry 2i: twice the right child, 2i + 1: twice the left; a leaf: itself).
    """

    def __init__(self, trees: list[Tree]):
        if not trees:
            raise BundleError("an ensemble needs at least one tree")
        self.trees = trees
        self.num_trees = len(trees)
        sizes = [len(t.splits) for t in trees]
        self.roots = np.cumsum([0] + sizes[:-1]).astype(np.intp)
        n = sum(sizes)
        self.feature = np.zeros(n, dtype=np.intp)
        self.threshold = np.full(n, np.nan)
        self.right = np.arange(n, dtype=np.intp)
        self.category = np.full(n, -1, dtype=np.intp)
        self.nan_left = np.zeros(n, dtype=bool)
        cat_sets: list[frozenset[float]] = []  # each categorical split's stored categories
        cat_left: list[bool] = []  # and its isLeft
        self.leaf_index: list[int] = []  # global node index -> position among leaves
        for tree, root in zip(trees, self.roots, strict=True):
            for i, split in enumerate(tree.splits):
                g = root + i
                if split is None:
                    continue
                self.feature[g] = split.feature
                self.right[g] = root + tree.right[i]
                self.nan_left[g] = split.nan_left
                if split.categories is None:
                    self.threshold[g] = split.threshold
                else:
                    self.category[g] = len(cat_sets)
                    cat_sets.append(frozenset(split.categories))
                    cat_left.append(split.is_left)
        self.depth = max(t.depth for t in trees)
        self.any_nan_left = bool(self.nan_left.any())
        self.num_features_used = int(self.feature.max()) + 1
        width = max((int(max(s)) + 1 for s in cat_sets if s), default=0)
        self.stored_table = np.zeros((len(cat_sets), width), dtype=bool)  # [split, category]: stored?
        for k, s in enumerate(cat_sets):
            self.stored_table[k, [int(c) for c in s]] = True
        self.cat_sets, self.cat_left = cat_sets, np.array(cat_left, dtype=bool)
        # the columnar walk's arrays, indexed by 2 * node: entry 2i + left of `child2` is 2 * (next node)
        self._feature2, self._threshold2 = np.repeat(self.feature, 2), np.repeat(self.threshold, 2)
        self._nan_left2, self._category2 = np.repeat(self.nan_left, 2), np.repeat(self.category, 2)
        self._child2 = np.empty(2 * n, dtype=np.intp)
        self._child2[0::2] = 2 * self.right
        self._child2[1::2] = np.where(self.right == np.arange(n), 2 * np.arange(n), 2 * np.arange(n) + 2)
        self._row_leaves: Callable[[list[float]], list[int]] | None = None

    def leaves(self, x: np.ndarray | SparseMatrix) -> np.ndarray:
        """Leaf node (global index) of every row in every tree, shape (rows, trees); `x` is (rows, features),
        dense or sparse (a sparse chunk becomes a dense one of the features the splits use, `_compact`).

        Rows go in chunks of `CHUNK_ROWS` (the per-level arrays stay in cache), two chunks at a time on
        threads when there are several (NumPy releases the GIL in these loops)."""
        rows = x.shape[0]
        if x.shape[1] < self.num_features_used:
            raise InputError(f"feature vector has {x.shape[1]} values; the trees use {self.num_features_used}")
        if isinstance(x, SparseMatrix):
            def chunk_leaves(start: int) -> np.ndarray:
                return self._leaves(self._compact(x[start:start + CHUNK_ROWS]), self._used_feature2)
        else:
            x = np.ascontiguousarray(x, dtype=np.float64)

            def chunk_leaves(start: int) -> np.ndarray:
                return self._leaves(x[start:start + CHUNK_ROWS], self._feature2)
        if rows <= CHUNK_ROWS:
            return chunk_leaves(0)
        out = np.empty((rows, self.num_trees), dtype=np.intp)

        def work(start: int) -> None:
            out[start:start + CHUNK_ROWS] = chunk_leaves(start)

        list(_pool().map(work, range(0, rows, CHUNK_ROWS)))
        return out

    @cached_property
    def used_features(self) -> np.ndarray:
        """The features the splits read, ascending."""
        return np.unique(self.feature[self.right != np.arange(len(self.right))])

    @cached_property
    def _used_feature2(self) -> np.ndarray:
        """`_feature2` as positions in `used_features` (the columns of `_compact`'s matrix)."""
        return np.searchsorted(self.used_features, self._feature2)

    def _compact(self, x: SparseMatrix) -> np.ndarray:
        """(rows, len(used_features)): the rows' values of the features the splits use (absent: 0.0, as Spark's
        `SparseVector.apply`); the cost is the stored entries, not the vector size."""
        used = self.used_features
        out = np.zeros((len(x), len(used)))
        if not len(used):
            return out
        pos = np.minimum(np.searchsorted(used, x.indices), len(used) - 1)
        hit = used[pos] == x.indices
        out[x.row_ids()[hit], pos[hit]] = x.values[hit]
        return out

    def _leaves(self, x: np.ndarray, feature: np.ndarray) -> np.ndarray:
        """`feature`: the columns of `x` the nodes read (`_feature2`, or `_used_feature2` for `_compact`)."""
        rows = x.shape[0]
        flat = x.ravel()
        base = np.repeat(np.arange(rows, dtype=np.intp) * x.shape[1], self.num_trees)
        node2 = np.tile(2 * self.roots, rows)  # twice the node index: the next is child2[node2 + left]
        threshold, child = self._threshold2, self._child2
        for _ in range(self.depth):
            value = flat.take(base + feature.take(node2))
            left = value <= threshold.take(node2)
            if self.any_nan_left:
                left |= np.isnan(value) & self._nan_left2.take(node2)
            if self.cat_sets:
                self._categorical(node2, value, left)
            node2 = child.take(node2 + left)
        return (node2 >> 1).reshape(rows, self.num_trees)

    def _categorical(self, node2: np.ndarray, value: np.ndarray, left: np.ndarray) -> None:
        """Set `left` where node `node2 / 2` is a categorical split: whether the value is among its stored
        categories equals its isLeft."""
        cat = self._category2.take(node2)
        where = np.flatnonzero(cat >= 0)
        if not where.size:
            return
        v, k = value[where], cat[where]
        code = np.where((v >= 0) & (v < self.stored_table.shape[1]) & (v == np.floor(v)), v, -1)
        ok = code >= 0
        stored = np.zeros(where.size, dtype=bool)
        stored[ok] = self.stored_table[k[ok], code[ok].astype(np.intp)]
        left[where] = stored == self.cat_left[k]

    def row_leaves(self, x: list[float] | SparseVector) -> list[int]:
        """Leaf node (global index) of one row in every tree (the generated code is built on first use)."""
        if self._row_leaves is None:
            self._row_leaves = compile_rows(self, None)
        return self._row_leaves(row_view(x))

    def row_sums(self, table: np.ndarray) -> Callable[[list[float] | SparseVector], list[float]]:
        """A function of one row giving the k sums of `table[leaf]` ((nodes, k)) over the trees, in tree order
        from 0.0 (Spark's order): one generated function, the leaf values inlined."""
        compiled = compile_rows(self, table)

        def sums(x: list[float] | SparseVector) -> list[float]:
            return compiled(row_view(x))

        return sums


def row_view(x: list[float] | SparseVector) -> list[float] | defaultdict:
    """A row the generated code can index: a sparse row as index -> value with absent entries 0.0 (Spark's
    `SparseVector.apply`), built from its stored entries alone; a dense row as it is."""
    return defaultdict(float, zip(x.indices, x.values, strict=True)) if isinstance(x, SparseVector) else x


CHUNK_NODES = 50_000  # nodes per generated function: bounds its source (a huge ensemble gets several)
MAX_COMPILED_DEPTH = 90  # Python's indentation limit: a deeper tree is walked in the arrays instead


def compile_rows(forest: Forest, table: np.ndarray | None) -> Callable[[list[float]], list]:
    """One row's pass through every tree of `forest` as generated Python (nested `if`s, no call per tree).

    `table` None: the function returns each tree's leaf (global node index), in tree order. Else `table` is
    (nodes, k) and the function returns the k sums of `table[leaf]` over the trees, each added in tree order
    from 0.0 as Spark's ensembles sum their trees, with the leaf values written as literals (repr round-trips
    every double). Trees go into functions of at most `CHUNK_NODES` nodes, chained in order."""
    k = 0 if table is None else table.shape[1]
    parts: list[Callable] = []
    chunk: list[int] = []
    size = 0
    for t, tree in enumerate(forest.trees):
        if tree.depth > MAX_COMPILED_DEPTH:
            if chunk:
                parts.append(_compile_chunk(forest, chunk, table))
                chunk, size = [], 0
            parts.append(_walker(forest, t, table))
            continue
        chunk.append(t)
        size += len(tree.splits)
        if size >= CHUNK_NODES:
            parts.append(_compile_chunk(forest, chunk, table))
            chunk, size = [], 0
    if chunk:
        parts.append(_compile_chunk(forest, chunk, table))
    whole = len(parts) == 1 and not any(t.depth > MAX_COMPILED_DEPTH for t in forest.trees)
    if whole and k:  # one generated function taking the row alone
        return parts[0]
    if k:
        def chained_sums(x: list[float]) -> list[float]:
            sums = [0.0] * k
            for part in parts:
                sums = part(x, sums)
            return sums

        return chained_sums

    def chained_leaves(x: list[float]) -> list[int]:
        out: list[int] = []
        for part in parts:
            part(x, out)
        return out

    return chained_leaves


def _compile_chunk(forest: Forest, trees: list[int], table: np.ndarray | None) -> Callable:
    """Generated code for `trees` (indices into the forest): leaves appended to `out` (`table` None), or the
    sums `s0..` carried in and out (a single chunk starts them at 0.0 and takes only the row)."""
    features = sorted({s.feature for t in trees for s in forest.trees[t].splits if s is not None})
    consts: dict[str, Any] = {"inf": math.inf, "nan": math.nan}
    k = 0 if table is None else table.shape[1]
    body: list[str] = []
    for t in trees:
        tree, root = forest.trees[t], int(forest.roots[t])

        def emit(i: int, indent: int, tree: Tree = tree, root: int = root) -> None:
            pad = " " * indent
            split = tree.splits[i]
            if split is None:
                if table is None:
                    body.append(f"{pad}leaf = {root + i}")
                else:
                    body.append(pad + "; ".join(f"s{j} += {float(table[root + i, j])!r}" for j in range(k)))
                return
            x = f"x{split.feature}"
            if split.categories is None:
                missing = f" or {x} != {x}" if split.nan_left else ""
                body.append(f"{pad}if {x} <= {split.threshold!r}{missing}:")
            else:
                name, cat = f"c{root + i}", forest.category[root + i]
                consts[name] = forest.cat_sets[cat]
                body.append(f"{pad}if {x} {'in' if forest.cat_left[cat] else 'not in'} {name}:")
            emit(i + 1, indent + 1)
            body.append(f"{pad}else:")
            emit(tree.right[i], indent + 1)

        emit(0, 1)
        if table is None:
            body.append(" append(leaf)")
    unpack = [f" x{f} = x[{f}]" for f in features]
    sums = ", ".join(f"s{j}" for j in range(k))
    if table is None:
        lines = ["def part(x, out):", " append = out.append", *unpack, *body, " return out"]
    elif len(trees) == len(forest.trees):
        lines = ["def part(x):", *unpack, f" {sums} = {', '.join(['0.0'] * k)}", *body, f" return [{sums}]"]
    else:
        lines = ["def part(x, sums):", *unpack, f" {sums}, = sums" if k == 1 else f" {sums} = sums", *body,
                 f" return [{sums}]"]
    namespace = dict(consts)
    source = "\n".join(lines)
    exec(compile(source, f"<trees {trees[0]}..{trees[-1]}>", "exec"), namespace)  # noqa: S102 - generated above
    return namespace["part"]


def _walker(forest: Forest, t: int, table: np.ndarray | None) -> Callable:
    """Tree `t` walked node by node (a tree too deep to compile), as a chunk of `compile_rows`."""
    tree, root = forest.trees[t], int(forest.roots[t])
    splits, right, category = tree.splits, tree.right, forest.category
    cat_sets, cat_left = forest.cat_sets, forest.cat_left.tolist()

    def leaf(x: list[float]) -> int:
        i = 0
        while (split := splits[i]) is not None:
            v = x[split.feature]
            if split.categories is not None:
                k = category[root + i]
                go_left = (v in cat_sets[k]) == cat_left[k]
            else:
                go_left = v <= split.threshold or (split.nan_left and v != v)
            i = i + 1 if go_left else right[i]
        return root + i

    if table is None:
        def append_leaf(x: list[float], out: list[int]) -> list[int]:
            out.append(leaf(x))
            return out

        return append_leaf
    rows = table.tolist()

    def add_leaf(x: list[float], sums: list[float]) -> list[float]:
        values = rows[leaf(x)]
        return [s + v for s, v in zip(sums, values, strict=True)]

    return add_leaf
