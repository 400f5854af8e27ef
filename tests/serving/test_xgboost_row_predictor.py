"""The XGBoost container's row predictor (`serving.xgboost.rows`) is XGBoost itself, bit for bit.

Random small boosters (objective, depth, rounds, parallel trees, missing values, base score) are fitted with
xgboost; on their training rows, rows of missing values, rows at the split conditions and infinities, the row
predictor's scores equal `Booster.inplace_predict`'s float32 scores exactly, and the container answers the
same bytes in CSV, JSON and JSON Lines either way. Boosters it cannot reproduce get no row predictor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest
import xgboost as xgb
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from bundles.xgboost_model import trees_from_json
from serving import codecs
from serving.contract import Invocation
from serving.xgboost import rows
from serving.xgboost.app import XGBoostModel
from serving.xgboost.rows import row_predictor

CLASSES = 3
LOGISTIC = ("binary:logistic", "reg:logistic", "binary:logitraw")
LOG_LINK = ("count:poisson", "reg:gamma", "reg:tweedie")
ADAPTIVE = ("reg:absoluteerror", "reg:quantileerror")  # leaves refit after each round: one tree a round
OBJECTIVES = ("reg:squarederror", "reg:squaredlogerror", "reg:pseudohubererror", "reg:absoluteerror",
              "reg:quantileerror", "survival:cox", "multi:softprob", "multi:softmax", *LOGISTIC, *LOG_LINK)


@dataclass
class Case:
    objective: str
    x: np.ndarray  # rows x features, NaN = missing
    label: np.ndarray
    params: dict
    rounds: int


def labels(rng: np.random.Generator, objective: str, n: int) -> np.ndarray:
    if objective in ("binary:logistic", "binary:logitraw"):
        return (np.arange(n) % 2).astype(float)
    if objective == "reg:logistic":
        return rng.random(n)
    if objective.startswith("multi:"):
        return (np.arange(n) % CLASSES).astype(float)
    if objective == "count:poisson":
        return rng.poisson(3.0, n).astype(float)
    if objective in ("reg:gamma", "reg:tweedie", "reg:squaredlogerror"):
        return rng.gamma(2.0, 2.0, n) + 0.01
    return rng.normal(0.0, 10.0, n)


def base_scores(objective: str) -> st.SearchStrategy:
    if objective in LOGISTIC[:2]:
        return st.floats(0.01, 0.99)
    if objective in LOG_LINK or objective == "survival:cox":
        return st.floats(0.05, 20.0)
    return st.floats(-50.0, 50.0)


@st.composite
def cases(draw) -> Case:
    objective = draw(st.sampled_from(OBJECTIVES))
    n, features = draw(st.integers(12, 60)), draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(0.0, draw(st.sampled_from([1.0, 1e3])), (n, features))
    x = np.round(x, draw(st.integers(0, 3)))  # ties at split conditions
    x[rng.random(x.shape) < draw(st.sampled_from([0.0, 0.1, 0.4]))] = np.nan
    params = {"objective": objective, "max_depth": draw(st.integers(1, 6)),
              "eta": draw(st.sampled_from([0.1, 0.3, 1.0])), "subsample": draw(st.sampled_from([0.7, 1.0])),
              "num_parallel_tree": 1 if objective in ADAPTIVE else draw(st.integers(1, 2)),
              "min_child_weight": 0, "seed": draw(st.integers(0, 99)), "nthread": 1}
    if objective.startswith("multi:"):
        params["num_class"] = CLASSES
    elif draw(st.booleans()):
        params["base_score"] = draw(base_scores(objective))
    if objective == "reg:quantileerror":
        params["quantile_alpha"] = draw(st.sampled_from([0.1, 0.5, 0.9]))
    return Case(objective, x, labels(rng, objective, n), params, draw(st.integers(1, 12)))


def fit(case: Case) -> xgb.Booster:
    booster = xgb.train(case.params, xgb.DMatrix(case.x, label=case.label), num_boost_round=case.rounds)
    booster.set_param({"nthread": 1})
    return booster


def rows_to_score(case: Case, booster: xgb.Booster) -> np.ndarray:
    """The training rows, all missing, +-inf, every feature at one of its split conditions and just below."""
    trees, _ = trees_from_json(json.loads(bytes(booster.save_raw("json"))))
    edges = rows.probe_rows(trees, case.x.shape[1])
    return np.vstack([case.x, edges, np.where(np.isnan(case.x), 1e39, -case.x)])


def check(case: Case) -> None:
    note(f"params {case.params}, rounds {case.rounds}")
    booster = fit(case)
    predictor = row_predictor(booster)
    assert predictor is not None, f"{case.objective}: no row predictor"
    x = rows_to_score(case, booster)
    want = booster.inplace_predict(x, validate_features=False)
    got = np.asarray(predictor.predict(x.tolist()), dtype=np.float32).reshape(want.shape)
    assert got.tobytes() == want.tobytes(), f"{case.objective}: {got} != {want}"


SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(SETTINGS, max_examples=40)
@given(case=cases())
def test_row_predictor_equals_inplace_predict_bit_for_bit(case):
    check(case)


@pytest.mark.soak
@settings(SETTINGS, max_examples=1500)
@given(case=cases())
def test_row_predictor_equals_inplace_predict_on_many_random_boosters(case):
    check(case)


@pytest.mark.parametrize("objective", ["reg:squarederror", "binary:logistic", "multi:softprob", "multi:softmax"])
@pytest.mark.parametrize("accept", [codecs.CSV, codecs.JSON, codecs.JSONLINES])
def test_the_container_answers_the_same_bytes_with_and_without_the_row_predictor(objective, accept):
    rng = np.random.default_rng(7)
    case = Case(objective, rng.normal(size=(40, 3)), labels(rng, objective, 40),
                {"objective": objective, "max_depth": 4, "nthread": 1} | ({"num_class": CLASSES}
                                                                          if objective.startswith("multi:") else {}), 8)
    booster = fit(case)
    fast, slow = XGBoostModel(booster, rows=row_predictor(booster)), XGBoostModel(booster)
    assert fast.rows is not None and fast.rows.max_rows >= 3
    body = b"0.5,,-1.25\n3,0.125,7\n,,\n"
    answers = [m.invoke(Invocation(body, "text/csv", accept)).body for m in (fast, slow)]
    assert answers[0] == answers[1]


def unsupported_boosters() -> dict[str, xgb.Booster]:
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(60, 3)), (np.arange(60) % 2).astype(float)
    plain = {"max_depth": 3, "nthread": 1}
    categorical = x.copy()
    categorical[:, 0] = np.arange(60) % 4
    two_targets = np.column_stack([y, -y])
    return {
        "gblinear": xgb.train({"booster": "gblinear", "nthread": 1}, xgb.DMatrix(x, label=y), 3),
        "dart": xgb.train({**plain, "booster": "dart", "rate_drop": 0.5}, xgb.DMatrix(x, label=y), 3),
        "categorical splits": xgb.train(plain, xgb.DMatrix(categorical, label=y, feature_types=["c", "q", "q"],
                                                           enable_categorical=True), 3),
        "vector leaves": xgb.train({**plain, "multi_strategy": "multi_output_tree", "tree_method": "hist"},
                                   xgb.DMatrix(x, label=two_targets), 3),
        "two targets, a tree each": xgb.train(plain, xgb.DMatrix(x, label=two_targets), 3),
        "objective binary:hinge": xgb.train({**plain, "objective": "binary:hinge"}, xgb.DMatrix(x, label=y), 3),
    }


@pytest.mark.parametrize("kind", list(unsupported_boosters()))
def test_a_booster_the_row_predictor_cannot_reproduce_gets_none(kind):
    booster = unsupported_boosters()[kind]
    assert row_predictor(booster) is None


@pytest.mark.parametrize("kind", [k for k in unsupported_boosters() if k != "gblinear"])  # no inplace_predict
def test_a_booster_without_row_predictor_is_served_by_inplace_predict(kind):
    booster = unsupported_boosters()[kind]
    booster.set_param({"nthread": 1})
    model = XGBoostModel(booster, rows=row_predictor(booster))
    x = np.array([[0.5, np.nan, 2.0], [1.0, 1.0, -3.0]])
    want = np.asarray(booster.inplace_predict(x, validate_features=False)).reshape(2, -1)
    assert np.asarray(model.predict(x), dtype=np.float32).reshape(2, -1).tobytes() == want.tobytes()


def regression_booster(seed: int, depth: int, rounds: int) -> xgb.Booster:
    rng = np.random.default_rng(seed)
    data = xgb.DMatrix(rng.normal(size=(80, 3)), label=rng.normal(size=80))
    return xgb.train({"max_depth": depth, "nthread": 1}, data, rounds)


def test_a_row_predictor_that_disagrees_with_xgboost_on_the_probe_rows_is_dropped(monkeypatch):
    booster = regression_booster(seed=5, depth=3, rounds=4)
    assert row_predictor(booster) is not None
    link, transform = rows.OBJECTIVES["reg:squarederror"]
    monkeypatch.setitem(rows.OBJECTIVES, "reg:squarederror", (lambda b: rows.f32(b + 1e-3), transform))
    assert row_predictor(booster) is None


def test_a_booster_too_large_for_python_rows_keeps_inplace_predict(monkeypatch):
    booster = regression_booster(seed=6, depth=4, rounds=10)
    small = row_predictor(booster)
    assert small is not None and 1 <= small.max_rows <= rows.MAX_ROWS
    monkeypatch.setattr(rows, "ROW_BUDGET_NODES", 5)
    assert row_predictor(booster) is None


def test_a_booster_too_large_to_compile_at_start_up_keeps_inplace_predict(monkeypatch):
    booster = regression_booster(seed=6, depth=4, rounds=10)
    monkeypatch.setattr(rows, "MAX_COMPILED_NODES", 20)
    assert row_predictor(booster) is None
