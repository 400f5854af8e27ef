"""Small requests without XGBoost's fixed per-call cost: an exact per-row predictor for a live Booster.

`Booster.inplace_predict` costs about 0.2 ms per call even for one row (C++ set-up: a proxy DMatrix, thread
buffers, the objective's transform); walking a few dozen trees in Python takes tens of microseconds. So the
container answers requests of at most `RowPredictor.max_rows` rows here and larger ones with
`inplace_predict`. The answer is bit for bit XGBoost's (3.1, CPU predictor), as its sources compute it:

- features become float32; NaN is missing; a split goes left when `x < condition`, a missing value follows
  the node's default direction (`bundles.xgboost_model.compile_margins`, one generated function per booster);
- each output group's margin starts at the base score through the objective's link (`ProbToMargin`, in
  float32 with libm's `logf`) and adds every tree's leaf in float32, in tree order;
- the objective's transform runs in float32 with libm's `expf`: `common::Sigmoid` (`1 / (expf(min(-x, 88.7))
  + 1 + 1e-16)`), `common::Softmax` (max by `fmaxf`, `expf(x - max)` summed in double, each divided by the
  float32 sum), `FindMaxIndex` for multi:softmax (the first largest margin), `expf` for the log-link
  objectives.

`row_predictor` returns None (the container keeps `inplace_predict` for everything) when the booster has
what this does not reproduce: another booster than gbtree (gblinear, dart), categorical splits, vector
leaves or several targets, an objective outside `OBJECTIVES`; when its trees are too deep or have too many
nodes to compile at start-up (MAX_COMPILED_NODES), or are so many that Python is slower even for one row;
or when the predictor disagrees with `inplace_predict` on the probe rows it is checked against at load.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import struct
from array import array
from collections.abc import Callable
from typing import Any

import numpy as np
import xgboost as xgb

from bundles import BundleError
from bundles.xgboost_model import compile_margins, json_base_score, trees_from_json

log = logging.getLogger("sparkleap.serving")

# Python walks about 20 tree nodes a microsecond and a row costs ~3 µs more; inplace_predict's fixed cost is
# ~0.2 ms (measured on the bench model, 50 trees of depth 5: 1 row 9.5 µs here against 289 µs, 16 rows 244 µs
# against 325 µs). So a request goes through Python while its rows x (sum of the trees' mean depths) stays
# under this budget, and at most MAX_ROWS rows.
ROW_BUDGET_NODES = 3000
MAX_ROWS = 32
MAX_COMPILED_NODES = 30_000  # compiling costs ~17 µs a node at load (0.6 s for 36,000): bounded for cold starts
_F32 = struct.Struct("<f")
SIGMOID_CAP = 88.7  # xgboost's 88.7f, as float32
EPSILON = 1e-16  # xgboost's kEps, as float32


def _libm(name: str) -> Callable[[float], float]:
    """libm's float function `name` (float -> float): the very `expf`/`logf` XGBoost's library calls."""
    function = getattr(ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6"), name)
    function.argtypes, function.restype = [ctypes.c_float], ctypes.c_float
    return function


expf, logf = _libm("expf"), _libm("logf")


def f32(value: float) -> float:
    """`value` rounded to float32 (one float32 operation on float32 inputs: done in double, then rounded)."""
    return _F32.unpack(_F32.pack(value))[0]


SIGMOID_CAP, EPSILON = f32(SIGMOID_CAP), f32(EPSILON)


def sigmoid(x: float) -> float:
    """xgboost's `common::Sigmoid(float)`."""
    x = min(-x, SIGMOID_CAP)
    return f32(1.0 / f32(f32(expf(x) + 1.0) + EPSILON))


def softmax(margins: list[float]) -> list[float]:
    """xgboost's `common::Softmax` over one row's float32 margins."""
    top = margins[0]
    for m in margins[1:]:
        top = top if m != m else m if top != top or m > top else top  # fmaxf: NaN loses
    exps = [expf(f32(m - top)) for m in margins]
    total = 0.0
    for e in exps:
        total += e
    total = f32(total)
    return [f32(e / total) for e in exps]


def argmax(margins: list[float]) -> float:
    """xgboost's multi:softmax output: the index (as a float) of the first largest margin."""
    best = 0
    for i, m in enumerate(margins):
        if m > margins[best]:
            best = i
    return float(best)


def logit(base: float) -> float:
    """`LogisticRegression::ProbToMargin`: -logf(1/b - 1) in float32."""
    return -logf(f32(f32(1.0 / base) - 1.0))


def _same(x: float) -> float:
    return x


# objective -> (link: base score -> margin, transform of one row's margins: array("f") -> score)
Transform = Callable[[Any], Any]
_LINEAR: tuple[Callable[[float], float], Transform] = (_same, lambda m: m[0])
OBJECTIVES: dict[str, tuple[Callable[[float], float], Transform]] = {
    **dict.fromkeys(("reg:squarederror", "reg:linear", "reg:squaredlogerror", "reg:pseudohubererror",
                     "reg:absoluteerror", "reg:quantileerror", "binary:logitraw"), _LINEAR),
    **dict.fromkeys(("binary:logistic", "reg:logistic"), (logit, lambda m: sigmoid(m[0]))),
    **dict.fromkeys(("count:poisson", "reg:gamma", "reg:tweedie", "survival:cox"), (logf, lambda m: expf(m[0]))),
    "multi:softprob": (_same, lambda m: softmax(m.tolist())),
    "multi:softmax": (_same, lambda m: argmax(m.tolist())),
}


class RowPredictor:
    """A booster's predictions row by row in Python: the list `inplace_predict(...).tolist()` would give
    (a float per row, or a list of class probabilities per row for multi:softprob)."""

    def __init__(self, trees: Any, groups: list[int], base_margins: list[float], transform: Transform,
                 max_rows: int):
        self._add = compile_margins(trees, groups)
        self._start = array("f", base_margins)
        self._transform = transform
        self.max_rows = max_rows

    def predict(self, rows: list[list[float]]) -> list[Any]:
        """Scores of `rows` (lists of floats, NaN = missing). As in XGBoost, each value is rounded to
        float32, one beyond float32's range becomes infinite, and infinity is a value (never missing)."""
        add, start, transform = self._add, self._start, self._transform
        out = []
        for row in rows:
            margins = array("f", start)
            add(array("f", row).tolist(), margins)
            out.append(transform(margins))
        return out


def _mean_depth(tree: Any) -> float:
    """Mean depth of a tree's leaves (its nodes walked per row, near enough)."""
    depth, total, leaves = {0: 0}, 0, 0
    for node in range(len(tree.left)):
        if tree.left[node] < 0:
            total, leaves = total + depth[node], leaves + 1
        else:
            depth[tree.left[node]] = depth[tree.right[node]] = depth[node] + 1
    return total / max(leaves, 1)


def row_predictor(booster: xgb.Booster) -> RowPredictor | None:
    """The exact row predictor of `booster`, or None when it cannot have one (see the module docstring)."""
    model = json.loads(bytes(booster.save_raw("json")))
    learner = model["learner"]
    objective = learner["objective"]["name"]
    params = learner["learner_model_param"]
    if objective not in OBJECTIVES or int(params.get("num_target", 1)) > 1:
        return _without(f"objective {objective!r}, {params.get('num_target', 1)} target(s)")
    groups = max(int(params["num_class"]), 1)
    base = json_base_score(model)
    base = base * groups if len(base) == 1 else base
    if len(base) != groups:
        return _without(f"{len(base)} base scores for {groups} output groups")
    link, transform = OBJECTIVES[objective]
    try:
        trees, tree_groups = trees_from_json(model)
        max_rows = min(MAX_ROWS, int(ROW_BUDGET_NODES / max(sum(map(_mean_depth, trees)), 1.0)))
        if max_rows < 1:
            return _without(f"{len(trees)} trees cost more in Python than inplace_predict's call, even for one row")
        nodes = sum(len(t.left) for t in trees)
        if nodes > MAX_COMPILED_NODES:
            return _without(f"{nodes} tree nodes would take too long to compile at start-up")
        predictor = RowPredictor(trees, tree_groups, [link(b) for b in base], transform, max_rows)
    except BundleError as exc:
        return _without(str(exc))
    probes = probe_rows(trees, booster.num_features())
    if not agrees(predictor.predict(probes.tolist()), booster.inplace_predict(probes, validate_features=False)):
        return _without("it disagrees with inplace_predict on the probe rows")
    return predictor


def _without(reason: str) -> None:
    log.debug("xgboost container: no row predictor (%s); every request goes to inplace_predict", reason)
    return None


def probe_rows(trees: Any, num_features: int) -> np.ndarray:
    """Rows checked at load: zeros, all missing, every feature at a split condition it meets and just
    below it (the `<` edge), a few seeded random rows with missing values, all +inf and all -inf."""
    at = np.zeros(num_features)
    for tree in trees:
        for node, feature in enumerate(tree.feature):
            if tree.left[node] >= 0:
                at[feature] = tree.condition[node]
    below = np.nextafter(at.astype(np.float32), np.float32(-np.inf)).astype(np.float64)
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(4, num_features)) * (np.abs(at) + 1.0)
    noise[rng.random(noise.shape) < 0.2] = np.nan
    edges = np.full((2, num_features), np.inf)
    edges[1] = -np.inf
    return np.vstack([np.zeros(num_features), np.full(num_features, np.nan), at, below, noise, edges])


def agrees(rows: list[Any], scores: np.ndarray) -> bool:
    """True when the row predictor's `rows` are bit for bit the float32 `scores` of inplace_predict."""
    ours = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)
    return ours.shape == scores.reshape(len(rows), -1).shape and ours.tobytes() == scores.tobytes()
