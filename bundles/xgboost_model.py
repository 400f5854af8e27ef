"""XGBoost boosters for the `xgboost.*` ops: the legacy binary format (read and written) and evaluation.

MLeap's xgboost runtime loads `xgboost.model` with xgboost4j (1.5.2 in MLeap 0.20, 0.7x/0.8x before), and
MLeap wrote it in xgboost's old binary format, which xgboost >= 3.1 refuses. This module parses that format
and writes it (both xgboost4j generations load it; xgboost 3's JSON carries fields 1.5 cannot parse), and
converts a live booster from its JSON dump. Only `gbtree` boosters with numerical splits.

Legacy layout (little-endian): optional `binf` magic; the learner parameters (136 bytes: base_score f32,
num_feature u32, num_class i32, contain_extra_attrs i32, contain_eval_metrics i32, reserved); the objective
and booster names (u64 length + bytes); the gbtree parameters (160 bytes: num_trees i32, num_roots,
num_feature, pad, num_pbuffer i64, num_output_group i32, size_leaf_vector, reserved); per tree its
parameters (148 bytes: num_roots, num_nodes, num_deleted, max_depth, num_feature, size_leaf_vector,
reserved), the nodes (20 bytes: parent, left, right i32, split index u32 with default-left in bit 31, leaf
value or split condition f32) and node statistics (16 bytes each); then the tree -> output group table.

Evaluation is xgboost's, in float32: features are rounded to float32; a split goes left when
`x < condition`, a missing value (NaN) follows the node's default direction; the margin is
`base_margin + tree0 + tree1 + ...` added in float32 in tree order (per output group).
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.f32math import expit
from bundles.trees import Forest, Split, Tree
from jvm.vectors import SparseMatrix, SparseVector

LEARNER_PARAM = 136
GBTREE_PARAM = 160
TREE_PARAM = 148

# objective -> (margin of base_score, transform of the margin). Transforms run in float32 as xgboost does.
LOGISTIC = ("binary:logistic", "reg:logistic")
IDENTITY = ("reg:linear", "reg:squarederror", "reg:pseudohubererror", "reg:absoluteerror", "reg:quantileerror")
SOFTMAX = ("multi:softprob", "multi:softmax")
SUPPORTED_OBJECTIVES = LOGISTIC + IDENTITY + SOFTMAX + ("binary:logitraw",)


@dataclass
class XGBTree:
    """One booster tree in xgboost's node numbering."""

    left: list[int]
    right: list[int]
    feature: list[int]
    condition: list[float]  # split condition, or the leaf value at leaves
    default_left: list[bool]
    loss_change: list[float] = field(default_factory=list)
    sum_hessian: list[float] = field(default_factory=list)
    base_weight: list[float] = field(default_factory=list)

    def to_tree(self) -> Tree:
        """The same tree in pre-order with Spark-style splits: `x < c` on float32 values is `x <= c'` with c'
        the float32 just below c; leaves hold `[value]`."""
        splits: list[Split | None] = []
        values: list[list[float]] = []
        stack = [0]
        while stack:
            i = stack.pop()
            if self.left[i] < 0:
                splits.append(None)
                values.append([float(np.float32(self.condition[i]))])
                continue
            below = float(np.nextafter(np.float32(self.condition[i]), np.float32(-np.inf)))
            splits.append(Split(self.feature[i], below, nan_left=self.default_left[i]))
            values.append([])
            stack += [self.right[i], self.left[i]]
        return Tree(splits, values)


@dataclass
class Booster:
    objective: str
    base_score: float  # float32; in output space (a probability for logistic objectives) unless base_is_margin
    num_feature: int
    num_class: int  # 0 for one output group
    trees: list[XGBTree]
    tree_group: list[int]
    base_is_margin: bool = False  # files written before xgboost 1.0 (version 0) hold the margin

    @property
    def num_groups(self) -> int:
        return max(self.num_class, 1)

    @property
    def base_margin(self) -> np.float32:
        score = np.float32(self.base_score)
        if not self.base_is_margin and self.objective in LOGISTIC + ("binary:logitraw",):
            with np.errstate(divide="ignore"):
                return np.float32(-np.log(np.float32(1.0) / score - np.float32(1.0)))
        return score


# ---- the legacy binary format -----------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes, where: str):
        self.data, self.at, self.where = data, 0, where

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise BundleError(f"{self.where}: truncated xgboost model (needs {n} bytes at offset {self.at})")
        out = self.data[self.at:self.at + n]
        self.at += n
        return out

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def string(self) -> str:
        (size,) = self.unpack("Q")
        if size > len(self.data):
            raise BundleError(f"{self.where}: bad string length {size} at offset {self.at - 8}")
        return self.take(size).decode("utf-8", errors="replace")


def read_legacy(data: bytes, where: str = "xgboost.model") -> Booster:
    """Parse a booster saved in xgboost's legacy binary format."""
    if data[:1] == b"{" or data[:1] == b"\x7b":
        raise BundleError(f"{where}: a JSON xgboost model; expected the legacy binary format")
    r = _Reader(data, where)
    if data[:4] == b"binf":
        r.take(4)
    header = r.take(LEARNER_PARAM)
    base_score, num_feature, num_class = struct.unpack("<fIi", header[:12])
    (major_version,) = struct.unpack("<I", header[20:24])
    objective, gbm = r.string(), r.string()
    if gbm != "gbtree":
        raise BundleError(f"{where}: booster {gbm!r} is not supported (only gbtree)")
    if objective not in SUPPORTED_OBJECTIVES:
        raise BundleError(f"{where}: objective {objective!r} is not supported; supported: "
                          f"{', '.join(SUPPORTED_OBJECTIVES)}")
    param = r.take(GBTREE_PARAM)
    (num_trees,) = struct.unpack("<i", param[:4])
    if not 0 <= num_trees <= 1_000_000:
        raise BundleError(f"{where}: bad tree count {num_trees}")
    trees = [_read_tree(r, where) for _ in range(num_trees)]
    tree_group = list(r.unpack(f"{num_trees}i")) if num_trees else []
    return Booster(objective, base_score, num_feature, num_class, trees, tree_group, major_version < 1)


def _read_tree(r: _Reader, where: str) -> XGBTree:
    (num_roots, num_nodes, num_deleted, _, _, leaf_vector) = struct.unpack("<6i", r.take(TREE_PARAM)[:24])
    if num_roots != 1 or leaf_vector != 0 or not 0 < num_nodes <= 1 << 26:
        raise BundleError(f"{where}: unsupported tree (roots {num_roots}, nodes {num_nodes}, leaf vector "
                          f"{leaf_vector})")
    nodes = np.frombuffer(r.take(20 * num_nodes), dtype=np.dtype([("parent", "<i4"), ("left", "<i4"),
                                                                 ("right", "<i4"), ("index", "<u4"),
                                                                 ("value", "<f4")]))
    stats = np.frombuffer(r.take(16 * num_nodes), dtype=np.dtype([("loss", "<f4"), ("hess", "<f4"),
                                                                 ("weight", "<f4"), ("count", "<i4")]))
    tree = XGBTree(left=nodes["left"].tolist(), right=nodes["right"].tolist(),
                   feature=(nodes["index"] & 0x7FFFFFFF).astype(int).tolist(),
                   condition=nodes["value"].astype(np.float64).tolist(),
                   default_left=((nodes["index"] >> 31) == 1).tolist(), loss_change=stats["loss"].tolist(),
                   sum_hessian=stats["hess"].tolist(), base_weight=stats["weight"].tolist())
    for i, (a, b) in enumerate(zip(tree.left, tree.right, strict=True)):
        if (a < 0) != (b < 0) or max(a, b) >= num_nodes:
            raise BundleError(f"{where}: tree node {i} has children {a}, {b} of {num_nodes} nodes")
    return tree


def write_legacy(booster: Booster, margin_base: bool = False) -> bytes:
    """The booster in xgboost's legacy binary format (loadable by xgboost4j 0.7x-1.x, xgboost < 3.1).

    `margin_base`: write as xgboost < 1.0 did (version 0, base score as a margin; what xgboost4j 0.7x reads);
    else as 1.x did (version 1.5, base score in output space, turned into the margin at load time). A
    booster read from a version-0 file keeps its margin."""
    as_margin = margin_base or booster.base_is_margin
    base = float(booster.base_margin) if as_margin else booster.base_score
    out = bytearray()
    out += struct.pack("<fIiiiII", base, booster.num_feature, booster.num_class, 0, 0,
                       0 if as_margin else 1, 0 if as_margin else 5)
    out += bytes(LEARNER_PARAM - 28)
    for name in (booster.objective, "gbtree"):
        raw = name.encode()
        out += struct.pack("<Q", len(raw)) + raw
    out += struct.pack("<iiiiqii", len(booster.trees), 1, booster.num_feature, 0, 0, booster.num_groups, 0)
    out += bytes(GBTREE_PARAM - 32)
    for tree in booster.trees:
        n = len(tree.left)
        out += struct.pack("<6i", 1, n, 0, 0, booster.num_feature, 0) + bytes(TREE_PARAM - 24)
        parent = [-1] * n
        for i in range(n):
            if tree.left[i] >= 0:
                parent[tree.left[i]] = i | (1 << 31)
                parent[tree.right[i]] = i
        for i in range(n):
            index = tree.feature[i] | (1 << 31 if tree.default_left[i] else 0)
            out += struct.pack("<iiiIf", _signed(parent[i]), tree.left[i], tree.right[i], index, tree.condition[i])
        for i in range(n):
            stat = [s[i] if i < len(s) else 0.0 for s in (tree.loss_change, tree.sum_hessian, tree.base_weight)]
            out += struct.pack("<fffi", *stat, 0)
    out += struct.pack(f"<{len(booster.tree_group)}i", *booster.tree_group)
    return bytes(out)


def _signed(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


# ---- a live booster (xgboost >= 2) -------------------------------------------------------------------------


def from_json_dump(model: dict[str, Any]) -> Booster:
    """A Booster from `json.loads(booster.save_raw("json"))`."""
    learner = model["learner"]
    params = learner["learner_model_param"]
    objective = learner["objective"]["name"]
    if objective not in SUPPORTED_OBJECTIVES:
        raise BundleError(f"xgboost objective {objective!r} is not supported; supported: "
                          f"{', '.join(SUPPORTED_OBJECTIVES)}")
    json_trees, json_groups = trees_from_json(model)
    base = json_base_score(model)
    trees: list[XGBTree] = []
    groups: list[int] = []
    if len(set(base)) > 1:  # xgboost >= 3 fits one intercept per class; the legacy format holds one base
        if objective not in SOFTMAX:  # score, so each class margin starts with a one-leaf tree holding it
            raise BundleError(f"xgboost {objective!r} models with one base score per target are not supported")
        trees = [XGBTree([-1], [-1], [0], [b], [False]) for b in base]
        groups, base = list(range(len(base))), [0.0]
    return Booster(objective, base[0], int(params["num_feature"]), int(params["num_class"]), trees + json_trees,
                   groups + json_groups)


def json_base_score(model: dict[str, Any]) -> list[float]:
    """The intercept(s) of a JSON dump as float32 values, in output space (`"[5E-1]"` -> [0.5])."""
    text = str(model["learner"]["learner_model_param"]["base_score"])
    return [float(np.float32(b)) for b in text.strip("[]").split(",")]


def trees_from_json(model: dict[str, Any]) -> tuple[list[XGBTree], list[int]]:
    """The trees of a JSON dump's `gbtree` booster and each tree's output group.

    BundleError for another booster (gblinear, dart), categorical splits and vector leaves."""
    gbm = model["learner"]["gradient_booster"]
    if gbm.get("name") != "gbtree":
        raise BundleError(f"xgboost booster {gbm.get('name')!r} is not supported (only gbtree)")
    trees = []
    for t in gbm["model"]["trees"]:
        if any(int(s) != 0 for s in t.get("split_type", [])):
            raise BundleError("xgboost models with categorical splits are not supported")
        if int(t.get("tree_param", {}).get("size_leaf_vector", 1)) > 1:
            raise BundleError("xgboost models with vector leaves (multi_output_tree) are not supported")
        trees.append(XGBTree(left=[int(i) for i in t["left_children"]], right=[int(i) for i in t["right_children"]],
                             feature=[int(i) for i in t["split_indices"]],
                             condition=[float(np.float32(c)) for c in t["split_conditions"]],
                             default_left=[bool(int(d)) for d in t["default_left"]],
                             loss_change=t.get("loss_changes", []), sum_hessian=t.get("sum_hessian", []),
                             base_weight=t.get("base_weights", [])))
    return trees, [int(g) for g in gbm["model"]["tree_info"]]


MAX_COMPILED_DEPTH = 90  # Python's parser allows 100 nested blocks
MAX_LOCAL_FEATURES = 200  # features read once into locals at the top of the generated function (more: x[f])


def compile_margins(trees: list[XGBTree], groups: list[int]) -> Callable[[list[float], Any], None]:
    """The trees as one generated Python function `add(x, acc)`: walks every tree for the feature row `x`
    (float32 values as Python floats, NaN = missing) and adds its leaf to `acc[group]`, in tree order.

    With `acc` an `array("f")` each `+=` rounds to float32 (a double add rounded once more is exactly
    the float32 add), which is xgboost's CPU predictor: margins start at the base margin and every tree's
    leaf is added in float32 in tree order. A split goes left when `x < condition`; a missing value follows
    the node's default direction: `not x >= condition` sends NaN left, `x < condition` sends it right (and
    either is `x < condition` for a number). The features the trees read are locals (small bytecode: a
    request walks it cold). BundleError for a tree deeper than MAX_COMPILED_DEPTH."""
    used = sorted({f for tree in trees for f, left in zip(tree.feature, tree.left, strict=True) if left >= 0})
    local = len(used) <= MAX_LOCAL_FEATURES
    lines = ["def add(x, acc):", *(f" v{f} = x[{f}]" for f in (used if local else ()))]
    for tree, group in zip(trees, groups, strict=True):
        _emit_tree(tree, group, lines, "v{}" if local else "x[{}]")
    if len(lines) == 1:
        lines.append(" pass")
    namespace: dict[str, Any] = {"inf": math.inf, "nan": math.nan}
    exec(compile("\n".join(lines), "<xgboost trees>", "exec"), namespace)  # noqa: S102 - generated above
    return namespace["add"]


def _emit_tree(tree: XGBTree, group: int, lines: list[str], feature: str) -> None:
    stack = [(0, 1)]  # (node, indent); an else line is pushed as a node of -1 - indent
    while stack:
        node, indent = stack.pop()
        if indent > MAX_COMPILED_DEPTH:
            raise BundleError(f"an xgboost tree deeper than {MAX_COMPILED_DEPTH} levels is not compiled")
        pad = " " * indent
        if node < 0:
            lines.append(f"{pad}else:")
            continue
        if tree.left[node] < 0:
            lines.append(f"{pad}acc[{group}] += {tree.condition[node]!r}")
            continue
        x, condition = feature.format(tree.feature[node]), repr(tree.condition[node])
        lines.append(f"{pad}if not {x} >= {condition}:" if tree.default_left[node] else f"{pad}if {x} < {condition}:")
        stack += [(tree.right[node], indent + 1), (-1, indent), (tree.left[node], indent + 1)]


# ---- evaluation ---------------------------------------------------------------------------------------------


class BoosterModel:
    """Margins of a booster (float32, rows x groups) from float64 feature rows, columnar and single-row."""

    def __init__(self, booster: Booster, tree_limit: int = 0, missing: float = math.nan):
        self.booster = booster
        trees = booster.trees
        groups = booster.tree_group or [0] * len(trees)
        if tree_limit > 0:  # xgboost's ntree_limit: the first tree_limit rounds (one tree per group a round)
            trees, groups = trees[:tree_limit * booster.num_groups], groups[:tree_limit * booster.num_groups]
        if not trees:
            raise BundleError("the xgboost model has no trees")
        self.forest = Forest([t.to_tree() for t in trees])
        self.groups = np.asarray(groups, dtype=np.intp)
        self.num_groups = booster.num_groups
        self.missing = float(missing)
        self.leaf_value = np.zeros(len(self.forest.feature), dtype=np.float32)
        for tree, root in zip(self.forest.trees, self.forest.roots, strict=True):
            for i, split in enumerate(tree.splits):
                if split is None:
                    self.leaf_value[root + i] = tree.values[i][0]
        self._leaf_row = self.leaf_value.tolist()
        self._groups_row = self.groups.tolist()
        self.base_margin = booster.base_margin

    def _inputs(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        matrix = with_missing(matrix)
        x = matrix.astype(np.float32).astype(np.float64)
        if not math.isnan(self.missing):
            x[matrix == self.missing] = math.nan
        return x

    def margins(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        values = self.leaf_value[self.forest.leaves(self._inputs(matrix))]  # (rows, trees) float32
        out = np.full((len(matrix), self.num_groups), self.base_margin, dtype=np.float32)
        for t, g in enumerate(self.groups):
            out[:, g] += values[:, t]
        return out

    def margins_row(self, values: list[float] | SparseVector) -> np.ndarray:
        return self.margins(self.one_row(values))[0]

    @staticmethod
    def one_row(values: list[float] | SparseVector) -> np.ndarray | SparseMatrix:
        """One feature row (a list or a SparseVector) as a one-row matrix for `margins`."""
        if isinstance(values, SparseVector):
            return SparseMatrix.from_rows([values], values.size)
        return np.asarray([values], dtype=np.float64)


def with_missing(matrix: np.ndarray | SparseMatrix) -> np.ndarray:
    """Feature rows as a dense (rows, features) float64 matrix. A sparse row's absent entries are missing
    (NaN), as xgboost4j reads a sparse vector in MLeap's xgboost runtime (a `LabeledPoint` with indices);
    xgboost.spark instead densifies sparse vectors with zeros unless `enable_sparse_data_optim` (which needs
    missing = 0, where both agree)."""
    if not isinstance(matrix, SparseMatrix):
        return matrix
    out = np.full(matrix.shape, np.nan)
    out[matrix.row_ids(), matrix.indices] = matrix.values
    return out


# ---- the node files and attributes shared by xgboost.regression and xgboost.classifier ---------------------

MODEL_FILE = "xgboost.model"


def load_booster(attrs: v.Attributes, ctx: Context) -> tuple[Booster, int, float]:
    """The booster file and its evaluation options (`tree_limit`, `missing`) of an xgboost node."""
    path = ctx.file(MODEL_FILE)
    booster = read_legacy(path.read_bytes(), str(path))
    missing = attrs.raw.get("missing", {})
    value = missing.get("float", missing.get("double", math.nan)) if "missing" in attrs else math.nan
    return booster, attrs.integer("tree_limit", 0), math.nan if value is None else float(value)


def store_booster(model: BoosterModel, tree_limit: int, ctx: Context) -> dict[str, dict]:
    """`xgboost.model` in the legacy format the target's xgboost4j reads (0.9: 0.7x, version-0 files; 0.20:
    1.5.2) and the common attributes."""
    ctx.file(MODEL_FILE).write_bytes(write_legacy(model.booster, margin_base=ctx.target == "0.9"))
    attrs = {"num_features": v.integer(model.booster.num_feature), "tree_limit": v.integer(tree_limit)}
    attrs["missing"] = {"float": None if math.isnan(model.missing) else model.missing}
    return attrs


def spark_booster(stage: Any) -> tuple[Booster, float]:
    """The booster of a fitted xgboost.spark model and its `missing` value."""
    booster = from_json_dump(json.loads(bytes(stage.get_booster().save_raw("json"))))
    return booster, float(stage.getOrDefault("missing"))


def transform_margin(objective: str, margin: np.ndarray) -> np.ndarray:
    """xgboost's prediction from a float32 margin (as xgboost.spark computes it)."""
    if objective in LOGISTIC:
        return expit(margin)
    return margin
