"""XGBoost container: the SageMaker XGBoost (algorithm mode) serving contract.

Requests: text/csv (delimiter sniffed, empty field = missing, one row per line), text/libsvm (also when
Content-Type is absent, as AWS does). Responses: text/csv (one prediction per line), application/json
(`{"predictions": [{"score": x}]}`), application/jsonlines (`{"score": x}` per line); with SAGEMAKER_BATCH set,
newline-separated predictions whatever the Accept. Unlike AWS, a row with fewer columns than the model has
is a 400, and pickled models are refused unless SPARKLEAP_ALLOW_PICKLE=1 (unpickling runs arbitrary code).

Classifiers, per objective, as AWS's container (algorithm mode, no SAGEMAKER_INFERENCE_OUTPUT): binary:logistic
answers P(class 1) per row like a regression score; multi:softprob a vector per row: CSV `p0,p1,p2` per line,
JSON `{"predictions": [{"score": [p0, p1, p2]}]}`; multi:softmax the class index as a float. One deliberate
difference: with SAGEMAKER_BATCH, AWS writes a multi:softprob row as Python's list text `[p0, p1, p2]`, which
no next container can read; we write `p0,p1,p2` as in real time, so a classifier's post-processing container
(see training/postprocess.py) reads it in Batch Transform too.

The Booster is loaded in each server worker, never in the master: XGBoost's OpenMP pool does not
survive a fork. `check` (run in the master) only reads files, and tries the load in a throw-away child.
"""

from __future__ import annotations

import csv
import json
import math
import multiprocessing
import os
import pickle
import pickletools
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import xgboost as xgb

from bundles import BundleError
from serving import codecs, fastcsv
from serving.contract import Invocation, Model, Reply, default_accept, resolve_accept
from serving.errors import BadInput, NotAcceptable, UnsupportedMediaType
from serving.http_app import create_app
from serving.model_files import model_folder
from serving.settings import ALLOW_PICKLE_ENV, Settings
from serving.xgboost.rows import RowPredictor, row_predictor

MODEL_FILE = "xgboost-model"
DELIMITERS = ",;\t| "
FAST_MIN_ROWS = 8  # from this many rows on, pyarrow parses and formats
CHECK_TIMEOUT_S = 120


class ModelLoadError(Exception):
    """The model file is missing, refused or unreadable; the message says which and why."""


def _is_pickle(data: bytes) -> bool:
    """True when `data` is a complete pickle stream (checked opcode by opcode; nothing is executed)."""
    if data[:1] == b"\x80":
        return True
    try:
        opcodes = [op.name for op, _, _ in pickletools.genops(data)]
    except Exception:  # any parse failure simply means "not a pickle"
        return False
    return bool(opcodes) and opcodes[-1] == "STOP"


def model_file(model_dir: str, allow_pickle: bool = False) -> Path:
    """The model file in `model_dir` (dir or tar.gz): `xgboost-model`, else the only file there.

    A pickle is refused unless `allow_pickle`: unpickling runs arbitrary code. Reads files only.
    """
    try:
        folder = model_folder(model_dir)
    except BundleError as exc:
        raise ModelLoadError(str(exc)) from None
    path = folder / MODEL_FILE
    if not path.is_file():
        files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
        if len(files) != 1:
            raise ModelLoadError(f"{model_dir}: expected a file named {MODEL_FILE!r} "
                                 f"(found {', '.join(p.name for p in files) or 'nothing'})")
        path = files[0]
    if not allow_pickle and _is_pickle(path.read_bytes()):
        raise ModelLoadError(
            f"{path.name} is a Python pickle; unpickling can run arbitrary code, so it is refused. "
            f"Save the model with Booster.save_model, or set {ALLOW_PICKLE_ENV}=1 if you trust the file"
        )
    return path


def read_booster(path: Path) -> xgb.Booster:
    """The Booster in `path`: XGBoost's own format (UBJSON/JSON), or a pickle (the caller allowed it)."""
    data = path.read_bytes()
    if _is_pickle(data):
        return _unpickle_booster(path.name, data)
    booster = xgb.Booster()
    try:
        with warnings.catch_warnings():  # a file name without extension makes xgboost guess the format aloud
            warnings.simplefilter("ignore", UserWarning)
            booster.load_model(bytearray(data))
    except xgb.core.XGBoostError as exc:
        raise ModelLoadError(f"{path.name}: not an XGBoost model file ({_first_line(exc)})") from None
    return booster


def _unpickle_booster(name: str, data: bytes) -> xgb.Booster:
    try:
        booster = pickle.loads(data)  # noqa: S301 - the operator allowed pickles explicitly
    except xgb.core.XGBoostError:
        raise ModelLoadError(
            f"{name}: the pickle holds a Booster in an old XGBoost binary format that XGBoost {xgb.__version__} "
            "cannot read; load it with the XGBoost version that wrote it and re-save it with Booster.save_model"
        ) from None
    except Exception as exc:  # unpickling foreign data can raise anything; report it, never crash
        raise ModelLoadError(f"{name}: the pickle could not be loaded ({type(exc).__name__}: "
                             f"{_first_line(exc)})") from None
    if not isinstance(booster, xgb.Booster):
        raise ModelLoadError(f"{name}: the pickle holds a {type(booster).__name__}, not an xgboost Booster")
    return booster


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


def load_booster(model_dir: str, allow_pickle: bool = False) -> xgb.Booster:
    """The Booster stored in `model_dir` (see `model_file`), with one prediction thread."""
    booster = read_booster(model_file(model_dir, allow_pickle))
    booster.set_param({"nthread": 1})
    return booster


def sniff_delimiter(first_line: str) -> str:
    """The CSV delimiter of the first line (`,` `;` tab `|` or space); `,` when it cannot be told."""
    present = [d for d in DELIMITERS if d in first_line]
    if len(present) <= 1:  # nothing to choose between: skip the (slow) sniffer
        return present[0] if present else ","
    try:
        return csv.Sniffer().sniff(first_line[:512], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def parse_csv(body: bytes, num_features: int | None = None) -> np.ndarray:
    """Rows of floats (shape rows x columns); empty fields are NaN.

    A row whose width differs from `num_features` -> 400 naming it; unparsable text -> 415 (as AWS).
    """
    if num_features is not None and body.count(b"\n") >= FAST_MIN_ROWS:
        matrix = fastcsv.read_matrix(body, num_features)
        if matrix is not None:
            return matrix
    return np.array(csv_rows(body, num_features), dtype=np.float64)


def csv_rows(body: bytes, num_features: int | None = None) -> list[list[float]]:
    """`parse_csv` row by row in Python, as lists of floats (small requests: no NumPy on their path)."""
    text = codecs.decode_text(body).strip()
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    rows = [line.rstrip("\r").split(delimiter) for line in text.split("\n") if line.strip()]
    if not rows:  # AWS's container fails to sniff a delimiter in nothing: 415
        raise UnsupportedMediaType("Loading csv data failed: the payload holds no rows (only whitespace)")
    try:  # numbers first: text that does not parse is a 415 whatever its width, as AWS's container answers
        parsed = [_floats(row) for row in rows]
    except ValueError:
        raise UnsupportedMediaType(_bad_cell(rows)) from None
    expected = len(rows[0]) if num_features is None else num_features
    for i, row in enumerate(rows):
        if len(row) != expected:
            if num_features is None:
                raise UnsupportedMediaType(f"Loading csv data failed: row {i + 1} has {len(row)} columns, "
                                     f"row 1 has {expected}")
            raise BadInput(_width_message(len(row), num_features, i if len(rows) > 1 else None))
    return parsed


def _floats(fields: list[str]) -> list[float]:
    """A row's numbers; empty (or blank) fields are NaN. ValueError for text that is not a number."""
    try:
        return list(map(float, fields))
    except ValueError:  # blank fields (missing values), or text that is not a number
        return [float(field) if field.strip() else math.nan for field in fields]


def _width_message(got: int, expected: int, row: int | None) -> str:
    where = f"row {row + 1}: " if row is not None else ""
    hint = {1: " (one column too many: is the label column included?)",
            -1: " (one column too few; we refuse it rather than treat the last feature as missing)"}
    return (f"{where}Feature size of csv inference data {got} is not consistent with feature size of trained "
            f"model {expected}.{hint.get(got - expected, '')}")


def _bad_cell(rows: list[list[str]]) -> str:
    for i, row in enumerate(rows):
        for j, field in enumerate(row):
            try:
                if field.strip():
                    float(field)
            except ValueError:
                shown = field if len(field) <= 40 else field[:37] + "..."
                return (f"Loading csv data failed: row {i + 1}, column {j + 1}: {shown!r} is not a number "
                        "(the payload must be headerless numeric CSV)")
    return "Loading csv data failed: not numeric CSV"


def parse_libsvm(body: bytes, num_features: int) -> np.ndarray:
    """LIBSVM lines `[label] [qid:n] index:value ...` as a dense float matrix with NaN for absent features."""
    lines = [ln for ln in codecs.decode_text(body).strip().splitlines() if ln.strip()]
    if not lines:  # AWS's container cannot build a matrix from nothing: 415
        raise UnsupportedMediaType("Loading libsvm data failed: the payload holds no rows (only whitespace)")
    out = np.full((len(lines), num_features), np.nan)
    for i, line in enumerate(lines):
        for k, token in enumerate(line.split()):
            key, colon, value = token.partition(":")
            try:
                if not colon and k == 0:
                    float(key)  # the optional leading label: a number, unused
                    continue
                if key == "qid":
                    continue  # a ranking group id
                j, x = int(key), float(value)
            except ValueError:
                shown = token if len(token) <= 40 else token[:37] + "..."
                raise UnsupportedMediaType(
                    f"line {i + 1}: {shown!r} is not a label or index:value (text/libsvm)") from None
            if not 0 <= j < num_features:
                raise BadInput(f"line {i + 1}: feature index {j} is outside the model's "
                                     f"{num_features} features (0..{num_features - 1})")
            out[i, j] = x
    return out


class XGBoostModel(Model):
    """The served booster: small requests through its exact row predictor (`serving.xgboost.rows`, when it
    has one), the rest through `inplace_predict`."""

    batch_strategy = "MULTI_RECORD"
    no_content_for_empty_body = True  # as AWS's container: a 0-byte body -> 204; only whitespace -> 415

    def __init__(self, booster: xgb.Booster, default_accept: str = "", batch_mode: bool = False,
                 rows: RowPredictor | None = None):
        self.booster = booster
        self.num_features = booster.num_features()
        self.default_accept = default_accept or codecs.CSV
        self.batch_mode = batch_mode
        self.rows = rows
        self._bulk_booster: xgb.Booster | None = None

    def predict(self, features: np.ndarray | list[list[float]]) -> list[Any]:
        """One score per row (a list of scores per row for multi-output objectives); `features` is rows x
        features, an array or (small CSV requests) lists of floats."""
        is_array = isinstance(features, np.ndarray)
        width = features.shape[1] if is_array else len(features[0])
        if width != self.num_features:
            raise BadInput(_width_message(width, self.num_features, None))
        if self.rows is not None and len(features) <= self.rows.max_rows:
            return self.rows.predict(features.tolist() if is_array else features)
        features = np.asarray(features, dtype=np.float64)
        try:
            scores = self.booster.inplace_predict(features, validate_features=False)
        except xgb.core.XGBoostError as exc:
            raise BadInput(f"Unable to evaluate payload provided: {_first_line(exc)}") from None
        scores = np.asarray(scores).reshape(len(features), -1)
        return (scores[:, 0] if scores.shape[1] == 1 else scores).tolist()

    def features(self, req: Invocation) -> np.ndarray | list[list[float]]:
        """The request's rows x features; no Content-Type reads as LIBSVM, as AWS's container does."""
        read = READERS.get(codecs.content_media(req.content_type) or codecs.LIBSVM)
        if read is None:
            raise codecs.unsupported(req.content_type, READERS)
        return read(req.body, self.num_features)

    def invoke(self, req: Invocation) -> Reply:
        accept = self._accept(req.accept)
        scores = self.predict(self.features(req))
        return Reply(self.encode(scores, accept), accept, rows=len(scores))

    def _accept(self, header: str) -> str:
        """The response type; in batch mode the body ignores Accept, so an unsupported one is no error."""
        try:
            return resolve_accept(header, ACCEPTS, self.default_accept)
        except NotAcceptable:
            if self.batch_mode:
                return codecs.CSV
            raise

    def encode(self, scores: list[Any], accept: str) -> bytes:
        return ANSWERS[codecs.CSV if self.batch_mode else accept](scores)

    def warm_up(self) -> None:
        self.booster.inplace_predict(np.zeros((1, self.num_features)), validate_features=False)

    def csv_scores(self, features: np.ndarray) -> bytes | None:
        """All rows in one `inplace_predict` on every core (a copy of the booster, made on first use: the
        served one keeps one thread); None unless `features` is finite and as wide as the model."""
        if features.ndim != 2 or features.shape[1] != self.num_features or not np.isfinite(features).all():
            return None
        if self._bulk_booster is None:
            self._bulk_booster = self.booster.copy()
            self._bulk_booster.set_param({"nthread": os.cpu_count() or 1})
        scores = np.asarray(self._bulk_booster.inplace_predict(features, validate_features=False))
        scores = scores.reshape(len(features), -1)
        if scores.shape[1] != 1:
            return _csv_answer(scores.tolist())
        return fastcsv.python_lines(scores[:, 0].astype(np.float64))


def _csv_rows_or_matrix(body: bytes, num_features: int) -> np.ndarray | list[list[float]]:
    """Small CSV requests as lists of floats (no NumPy on their path), larger ones through `parse_csv`."""
    if body.count(b"\n") < FAST_MIN_ROWS:
        return csv_rows(body, num_features)
    return parse_csv(body, num_features)


READERS = {codecs.CSV: _csv_rows_or_matrix, codecs.LIBSVM: parse_libsvm}  # Content-Type -> rows x features


def _csv_answer(scores: list[Any]) -> bytes:
    if len(scores) >= FAST_MIN_ROWS and type(scores[0]) is float:
        return fastcsv.python_lines(np.asarray(scores))
    return "".join([f"{_text(s)}\n" for s in scores]).encode()


ANSWERS = {  # Accept -> the body of the scores (with SAGEMAKER_BATCH: CSV, whatever the Accept)
    codecs.CSV: _csv_answer,
    codecs.JSON: lambda scores: json.dumps({"predictions": [{"score": s} for s in scores]}).encode(),
    codecs.JSONLINES: lambda scores: codecs.jsonlines({"score": s} for s in scores).encode(),
}
ACCEPTS = tuple(ANSWERS)


def _text(score: Any) -> str:
    """A prediction as Python prints it (`str(float)`, shortest round-trip digits); vectors comma-joined."""
    return ",".join(map(str, score)) if isinstance(score, list) else str(score)


def load_model(settings: Settings) -> XGBoostModel:
    """The served model (call in a server worker, never in the master)."""
    booster = load_booster(settings.model_dir, allow_pickle=settings.allow_pickle)
    accept = default_accept(settings.default_accept, ACCEPTS, codecs.CSV)
    return XGBoostModel(booster, accept, settings.batch_mode, row_predictor(booster))


def check(settings: Settings) -> None:
    """Fail fast, with one line, on a missing, refused or unreadable model or a bad setting.

    Runs in the server's master: it reads files here and tries the Booster in a forked child, so the
    master itself never starts XGBoost's OpenMP pool before it forks the workers.
    """
    try:
        default_accept(settings.default_accept, ACCEPTS, codecs.CSV)
        path = model_file(settings.model_dir, settings.allow_pickle)
        problem = _try_in_child(path)
    except (ModelLoadError, OSError, ValueError) as exc:
        problem = str(exc)
    if problem:
        raise SystemExit("xgboost container: cannot start: " + " ".join(problem.split()))


def _try_in_child(path: Path) -> str | None:
    """Load `path` and predict one row in a forked child; its error message, or None when it worked."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_probe, args=(path, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(CHECK_TIMEOUT_S):
            return f"loading {path.name} took longer than {CHECK_TIMEOUT_S} s"
        return receive.recv()
    except EOFError:
        return f"the process loading {path.name} died (exit code {child.exitcode})"
    finally:
        child.join(5)
        if child.is_alive():
            child.kill()


def _probe(path: Path, send) -> None:
    try:
        booster = read_booster(path)
        booster.set_param({"nthread": 1})
        booster.inplace_predict(np.zeros((1, booster.num_features())), validate_features=False)
        send.send(None)
    except ModelLoadError as exc:
        send.send(str(exc))
    except Exception as exc:  # the child exists to catch whatever loading throws
        send.send(f"{path.name}: {type(exc).__name__}: {_first_line(exc)}")


def create(settings: Settings):
    return create_app("xgboost", load_model, settings)


__all__ = ["XGBoostModel", "check", "create", "load_booster", "load_model", "model_file", "parse_csv",
           "parse_libsvm", "read_booster"]
