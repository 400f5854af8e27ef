"""XGBoost hyper-parameters: the AWS abalone sample's defaults, overrides, and the SageMaker string form.

The same dict drives local training and the SageMaker `CreateTrainingJob` request, so both train the
same model. `num_round` and `early_stopping_rounds` travel with it (SageMaker takes them as
hyper-parameters; locally they are arguments of `xgboost.train`).
"""

from __future__ import annotations

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
REJECTED = {
    "silent": "'silent' is rejected by SageMaker XGBoost containers >= 1.3-1; use 'verbosity' (0-3)",
}


def resolve(num_round: int = DEFAULT_NUM_ROUND, early_stopping_rounds: int | None = None,
            **overrides: Any) -> dict[str, Any]:
    """DEFAULTS updated with `overrides`, plus num_round (and early_stopping_rounds when set).

    Raises ValueError for a rejected name or a round count below 1.
    """
    for name in overrides:
        if name in REJECTED:
            raise ValueError(REJECTED[name])
        if name in ROUND_KEYS:
            raise ValueError(f"pass {name} as its own argument, not as a hyper-parameter")
    if int(num_round) < 1:
        raise ValueError(f"num_round must be at least 1, got {num_round}")
    if early_stopping_rounds is not None and int(early_stopping_rounds) < 1:
        raise ValueError(f"early_stopping_rounds must be at least 1, got {early_stopping_rounds}")
    params = {**DEFAULTS, **overrides, "num_round": int(num_round)}
    if early_stopping_rounds is not None:
        params["early_stopping_rounds"] = int(early_stopping_rounds)
    return params


def booster_params(params: dict[str, Any]) -> dict[str, Any]:
    """The subset `xgboost.train(params=...)` takes (round counts removed)."""
    return {k: v for k, v in params.items() if k not in ROUND_KEYS}


def as_strings(params: dict[str, Any]) -> dict[str, str]:
    """SageMaker HyperParameters: every value a string (bools lower-case, as the container parses them)."""
    return {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in params.items()}


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
