"""XGBoost hyper-parameters: the AWS abalone sample's defaults, overrides, and the SageMaker string form.

The same dict drives local training and the SageMaker `CreateTrainingJob` request, so both train the
same model. `num_round` and `early_stopping_rounds` travel with it (SageMaker takes them as
hyper-parameters; locally they are arguments of `xgboost.train`).
"""

from __future__ import annotations

import difflib
from typing import Any

DEFAULTS: dict[str, Any] = {
    "objective": "reg:squarederror",
    "eta": 0.2,
    "gamma": 4,
    "max_depth": 5,
    "min_child_weight": 6,
    "subsample": 0.7,
    "eval_metric": "rmse",
    "seed": 0,
}
DEFAULT_NUM_ROUND = 50
ROUND_KEYS = ("num_round", "early_stopping_rounds")
# XGBoost's own parameter names (general, tree booster, dart, gblinear, learning task) and their aliases
KNOWN = frozenset("""
booster verbosity nthread validate_parameters disable_default_eval_metric device
eta learning_rate gamma min_split_loss max_depth min_child_weight max_delta_step subsample sampling_method
colsample_bytree colsample_bylevel colsample_bynode lambda reg_lambda alpha reg_alpha tree_method
scale_pos_weight updater refresh_leaf process_type grow_policy max_leaves max_bin num_parallel_tree
monotone_constraints interaction_constraints multi_strategy max_cached_hist_node max_cat_to_onehot
max_cat_threshold sketch_eps sample_type normalize_type rate_drop one_drop skip_drop feature_selector top_k
lambda_bias objective base_score eval_metric seed seed_per_iteration random_state num_class
tweedie_variance_power huber_slope quantile_alpha aft_loss_distribution aft_loss_distribution_scale
lambdarank_pair_method lambdarank_num_pair_per_sample lambdarank_unbiased lambdarank_bias_norm ndcg_exp_gain
csv_weights
""".split())
CLASSIFICATION = {  # class count -> the objective and metrics (XGBoost stops early on the last metric)
    2: {"objective": "binary:logistic", "eval_metric": ["error", "auc", "logloss"]},
    3: {"objective": "multi:softprob", "eval_metric": ["merror", "mlogloss"]},
}
REJECTED = {
    "silent": "'silent' is rejected by SageMaker XGBoost containers >= 1.3-1; use 'verbosity' (0-3)",
}


def resolve(num_round: int = DEFAULT_NUM_ROUND, early_stopping_rounds: int | None = None,
            classes: int | None = None, **overrides: Any) -> dict[str, Any]:
    """DEFAULTS updated with `overrides`, plus num_round (and early_stopping_rounds when set).

    `classes` (a classification run's class count): binary:logistic for 2, multi:softprob with num_class
    for more, each with its metrics; an `objective` override wins, its metrics following its kind.
    Raises ValueError for a rejected or unknown name (naming the close valid one) or a round count below 1.
    """
    for name in overrides:
        if name in REJECTED:
            raise ValueError(REJECTED[name])
        if name in ROUND_KEYS:
            raise ValueError(f"pass {name} as its own argument, not as a hyper-parameter")
        if name not in KNOWN:
            close = difflib.get_close_matches(name, sorted(KNOWN), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else " (see XGBoost's parameter list)"
            raise ValueError(f"unknown hyper-parameter {name!r}{hint}")
    if int(num_round) < 1:
        raise ValueError(f"num_round must be at least 1, got {num_round}")
    if early_stopping_rounds is not None and int(early_stopping_rounds) < 1:
        raise ValueError(f"early_stopping_rounds must be at least 1, got {early_stopping_rounds}")
    params = {**DEFAULTS, **task_defaults(classes, overrides.get("objective")), **overrides,
              "num_round": int(num_round)}
    if early_stopping_rounds is not None:
        params["early_stopping_rounds"] = int(early_stopping_rounds)
    return params


def task_defaults(classes: int | None, objective: str | None) -> dict[str, Any]:
    """Objective, num_class and metrics for a run of `classes` classes (None: a regression run)."""
    if classes is None:
        return {}
    kind = (objective or "").split(":")[0]
    chosen = CLASSIFICATION[2 if classes == 2 else 3]
    if objective and kind in ("binary", "multi"):
        chosen = {**CLASSIFICATION[2 if kind == "binary" else 3], "objective": objective}
    elif objective:
        return {}  # e.g. a regression objective on the class index: the user's choice, regression metrics
    return {**chosen, **({"num_class": classes} if chosen["objective"].startswith("multi:") else {})}


def booster_params(params: dict[str, Any]) -> dict[str, Any]:
    """The subset `xgboost.train(params=...)` takes (round counts removed)."""
    return {k: v for k, v in params.items() if k not in ROUND_KEYS}


def as_strings(params: dict[str, Any]) -> dict[str, str]:
    """SageMaker HyperParameters: every value a string (bools lower-case, as the container parses them)."""
    def text(value: Any) -> str:
        if isinstance(value, list | tuple):
            return ",".join(map(str, value))  # eval_metric: the container splits it on commas
        return str(value).lower() if isinstance(value, bool) else str(value)

    return {k: text(v) for k, v in params.items()}


def parse_assignment(text: str) -> tuple[str, Any]:
    """`name=value` from the command line -> (name, int | float | str)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"expected NAME=VALUE, got {text!r}")
    for cast in (int, float):
        try:
            return name.strip(), cast(raw)
        except ValueError:
            pass
    return name.strip(), raw
