"""XGBoost container: the SageMaker XGBoost (algorithm mode) serving contract.

Requests: text/csv (delimiter sniffed, empty field = missing, one row per line), text/libsvm.
Responses: text/csv (one prediction per line), application/json (`{"predictions": [{"score": x}]}`),
application/jsonlines (`{"score": x}` per line); with SAGEMAKER_BATCH set, newline-separated
predictions whatever the Accept. Unlike AWS, a row with fewer columns than the model has is a 400, and
pickled models are refused unless SPARKLEAP_ALLOW_PICKLE=1 (unpickling runs arbitrary code).
"""

from __future__ import annotations

import csv
import json
import os
import pickle
import warnings
from pathlib import Path

import numpy as np
import xgboost as xgb

from serving import codecs
from serving.contract import HttpError, Invocation, Reply, create_app, media_type, resolve_accept
from serving.model_files import model_folder
from serving.settings import Settings

ACCEPTS = (codecs.CSV, codecs.JSON, codecs.JSONLINES)
LIBSVM = ("text/libsvm", "text/x-libsvm", "libsvm")
MODEL_FILE = "xgboost-model"


class ModelLoadError(Exception):
    pass


def _is_pickle(head: bytes) -> bool:
    return head[:1] == b"\x80" or head.startswith((b"ccopy_reg", b"cxgboost", b"(dp", b"(i", b"(lp", b"ccopyreg"))


def model_file(model_dir: str, allow_pickle: bool = False) -> Path:
    """The model file in `model_dir` (dir or tar.gz): `xgboost-model`, else the only file there.

    A pickle is refused unless `allow_pickle`: unpickling runs arbitrary code.
    """
    folder = model_folder(model_dir)
    path = folder / MODEL_FILE
    if not path.is_file():
        files = [p for p in folder.rglob("*") if p.is_file()]
        if len(files) != 1:
            raise ModelLoadError(f"{model_dir}: expected a file named {MODEL_FILE!r} "
                                 f"(found {', '.join(p.name for p in files) or 'nothing'})")
        path = files[0]
    if _is_pickle(path.read_bytes()[:16]) and not allow_pickle:
        raise ModelLoadError(
            f"{path.name} is a Python pickle; unpickling can run arbitrary code, so it is refused. "
            "Save the model with Booster.save_model, or set SPARKLEAP_ALLOW_PICKLE=1 if you trust it"
        )
    return path


def load_booster(model_dir: str, allow_pickle: bool = False) -> xgb.Booster:
    """The Booster stored in `model_dir` (see `model_file`)."""
    path = model_file(model_dir, allow_pickle)
    if _is_pickle(path.read_bytes()[:16]):
        with open(path, "rb") as f:
            booster = pickle.load(f)  # noqa: S301 - explicitly allowed by the operator
        if not isinstance(booster, xgb.Booster):
            raise ModelLoadError(f"{path.name}: the pickle holds a {type(booster).__name__}, not an xgboost Booster")
        return booster
    booster = xgb.Booster()
    try:
        with warnings.catch_warnings():  # a file name without extension makes xgboost guess the format aloud
            warnings.simplefilter("ignore", UserWarning)
            booster.load_model(str(path))
    except xgb.core.XGBoostError as exc:
        raise ModelLoadError(f"{path.name}: not an XGBoost model ({str(exc).splitlines()[0]})") from None
    return booster


def parse_csv(body: bytes) -> np.ndarray:
    """Rows of floats (shape rows x columns); empty fields are NaN. Unparsable -> 415, as AWS does."""
    text = codecs.decode_text(body).strip()
    first = text.split("\n", 1)[0][:512]
    try:
        delimiter = csv.Sniffer().sniff(first).delimiter
        delimiter = "," if delimiter.isalnum() else delimiter
    except csv.Error:
        delimiter = ","
    rows = [line.rstrip("\r").split(delimiter) for line in text.split("\n") if line.strip()]
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        raise HttpError(415, f"Loading csv data failed: rows have different numbers of columns {sorted(widths)}")
    try:
        return np.array([[f if f.strip() else "nan" for f in r] for r in rows], dtype=np.float64)
    except ValueError as exc:
        raise HttpError(415, f"Loading csv data failed, please ensure data is in csv format: {exc}") from None


def parse_libsvm(body: bytes, num_features: int) -> np.ndarray:
    """LIBSVM lines `[label] index:value ...` as a dense float matrix with NaN for absent features."""
    lines = [ln for ln in codecs.decode_text(body).strip().splitlines() if ln.strip()]
    out = np.full((len(lines), num_features), np.nan)
    for i, line in enumerate(lines):
        for token in line.split():
            if ":" not in token:
                continue  # the optional leading label
            key, _, value = token.partition(":")
            try:
                j, x = int(key), float(value)
            except ValueError:
                raise HttpError(415, f"line {i + 1}: {token!r} is not index:value") from None
            if not 0 <= j < num_features:
                raise HttpError(400, f"line {i + 1}: feature index {j} is outside the model's "
                                     f"{num_features} features")
            out[i, j] = x
    return out


class XGBoostModel:
    batch_strategy = "MULTI_RECORD"

    def __init__(self, booster: xgb.Booster, default_accept: str = "", batch_mode: bool = False):
        self.booster = booster
        self.num_features = booster.num_features()
        self.default_accept = default_accept or codecs.CSV
        self.batch_mode = batch_mode

    def predict(self, features: np.ndarray) -> np.ndarray:
        if features.shape[1] != self.num_features:
            raise HttpError(400, f"Feature size of csv inference data {features.shape[1]} is not consistent with "
                                 f"feature size of trained model {self.num_features}.")
        return self.booster.inplace_predict(features, validate_features=False)

    def invoke(self, req: Invocation) -> Reply:
        accept = resolve_accept(req.accept, ACCEPTS, self.default_accept)
        kind = media_type(req.content_type)
        if kind in (codecs.CSV, "csv"):
            features = parse_csv(req.body)
        elif kind in LIBSVM or not kind:
            features = parse_libsvm(req.body, self.num_features)
        else:
            raise HttpError(415, f"Content-Type {req.content_type!r} is not supported. Supported content types: "
                                 "text/csv, text/libsvm")
        scores = [float(x) for x in np.asarray(self.predict(features)).reshape(len(features), -1)[:, 0]]
        return Reply(self.encode(scores, accept), accept, rows=len(scores))

    def encode(self, scores: list[float], accept: str) -> bytes:
        if self.batch_mode:
            return ("\n".join(map(str, scores)) + "\n").encode()
        if accept == codecs.CSV:
            return "".join(f"{s}\n" for s in scores).encode()
        if accept == codecs.JSON:
            return json.dumps({"predictions": [{"score": s} for s in scores]}).encode()
        return codecs.jsonlines({"score": s} for s in scores).encode()

    def warm_up(self) -> None:
        self.booster.inplace_predict(np.zeros((1, self.num_features)), validate_features=False)


def load_model(settings: Settings) -> XGBoostModel:
    allow = os.environ.get("SPARKLEAP_ALLOW_PICKLE", "") == "1"
    booster = load_booster(settings.model_dir, allow_pickle=allow)
    booster.set_param({"nthread": 1})
    return XGBoostModel(booster, settings.default_accept, settings.batch_mode)


def check(settings: Settings) -> None:
    """Fail fast on a missing or refused model file; the Booster itself loads in each worker
    (XGBoost's OpenMP pool must not be started before gunicorn forks)."""
    try:
        model_file(settings.model_dir, os.environ.get("SPARKLEAP_ALLOW_PICKLE", "") == "1")
    except (ModelLoadError, OSError) as exc:
        raise SystemExit(f"xgboost container: cannot start: {exc}") from None


def create(settings: Settings):
    return create_app("xgboost", load_model, settings)


__all__ = ["XGBoostModel", "check", "create", "load_booster", "load_model"]
