"""bundles.f32math: the float32 logistic and softmax of xgboost.spark's predictions without SciPy, bit for bit
SciPy's (what xgboost.spark calls) and XGBoost's own binary:logistic probabilities (what the booster returns).
Oracles: scipy.special (present in the development environment, absent from the sparkml image), libm's expf
through ctypes, and a trained Booster."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit as scipy_expit
from scipy.special import softmax as scipy_softmax

from bundles.f32math import expf, expit, libm_expf, softmax

pytestmark = pytest.mark.unit

EDGES = np.array([0.0, -0.0, 1e-30, -1e-30, 16.635532, -16.635532, 88.7, -88.7, 88.72283, -88.72284, 89.0,
                  -89.0, 103.97, -103.97, 104.0, -104.0, 3e38, -3e38, np.inf, -np.inf, np.nan], dtype=np.float32)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def sample(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(0, 5, n), rng.uniform(-110, 110, n), EDGES]).astype(np.float32)


def test_expf_is_libm_expf_on_every_value_also_near_rounding_midpoints():
    x = sample(20_000)
    assert same_bits(expf(x), np.array([libm_expf(v) for v in x.tolist()], dtype=np.float32))


def test_expit_is_scipy_expit_bit_for_bit():
    x = sample(300_000, seed=1)
    assert same_bits(expit(x), scipy_expit(x))
    assert same_bits(expit(x.reshape(-1, 3)), scipy_expit(x.reshape(-1, 3)))


def test_softmax_is_scipy_softmax_bit_for_bit():
    x = sample(30_000, seed=2)[:60_000].reshape(-1, 4)
    assert same_bits(softmax(x, axis=1), scipy_softmax(x, axis=1))
    assert same_bits(softmax(x[:, :2], axis=1), scipy_softmax(x[:, :2], axis=1))


def test_expit_of_the_margins_is_what_the_booster_returns_for_binary_logistic():
    import xgboost as xgb

    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] + 0.3 * x[:, 1] + rng.normal(scale=0.5, size=400) > 0).astype(float)
    booster = xgb.train({"objective": "binary:logistic", "max_depth": 4, "eta": 0.8, "nthread": 1},
                        xgb.DMatrix(x, label=y), num_boost_round=12)
    margins = booster.inplace_predict(x, predict_type="margin")
    assert margins.dtype == np.float32 and np.ptp(margins) > 10
    assert same_bits(expit(margins), booster.inplace_predict(x))
