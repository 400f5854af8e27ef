"""The `xgboost-model` file: XGBoost's own JSON model format, readable by every SageMaker XGBoost image >= 1.3-1.

Why not `Booster.save_model(path)` as is: without a file extension xgboost >= 2 writes UBJSON, which
xgboost 1.3/1.5 (images 1.3-1, 1.5-1) cannot read; xgboost >= 3.1 stores `base_score` as a vector
string (`"[9.93E0]"`), which xgboost 1.7 (image 1.7-1) loads *silently* with the wrong intercept
(predictions off by the label mean); and trees' `default_left` are integers, which xgboost 1.3
refuses ("Invalid cast, from Integer to Boolean"). So we write JSON text, which every reader sniffs by
its leading `{"`, with a single-target `base_score` as a scalar and `default_left` as booleans, forms
all versions parse (checked: xgboost 1.3.3, 1.7.6 and 3.1.3 predict identically from it). The file
loads with `xgboost.Booster().load_model(path)`, as the containers do.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path

VECTOR_OF_ONE = re.compile(r"^\[([^,\[\]]+)\]$")


def portable_json(booster) -> bytes:
    """The booster as JSON model bytes: scalar `base_score` for a single target, boolean `default_left`."""
    model = json.loads(bytes(booster.save_raw(raw_format="json")))
    learner = model["learner"]
    params = learner["learner_model_param"]
    match = VECTOR_OF_ONE.match(params.get("base_score", ""))
    if match:
        params["base_score"] = match.group(1)
    for tree in learner["gradient_booster"].get("model", {}).get("trees", []):
        tree["default_left"] = [bool(flag) for flag in tree["default_left"]]
    return json.dumps(model, separators=(",", ":")).encode("utf-8")


def save(booster, path: str | os.PathLike) -> Path:
    """Write `booster` to `path` (no extension needed) in the portable JSON form."""
    path = Path(path)
    path.write_bytes(portable_json(booster))
    return path


def load(path: str | os.PathLike):
    """A Booster from a model file, the way the SageMaker container loads it."""
    import xgboost as xgb

    booster = xgb.Booster()
    with warnings.catch_warnings():  # xgboost >= 2 notes that it sniffs the format of a file without extension
        warnings.filterwarnings("ignore", message=".*Unknown file format", category=UserWarning)
        booster.load_model(str(path))
    return booster
