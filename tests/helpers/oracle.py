"""What the abalone pipeline must answer, computed without it: the bundle runtime and the Booster in-process."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bundles import load_bundle
from serving.schema import parse_schema, rows_to_columns
from serving.xgboost.app import load_booster


def direct_predictions(run: Path, rows: list[str]) -> np.ndarray:
    """One prediction per raw CSV row (label removed) of a preprocessed and trained run."""
    bundle = load_bundle(str(run / "sparkml" / "model.tar.gz"))
    schema = parse_schema(json.loads((run / "schema.json").read_text()), "schema.json")
    columns = rows_to_columns(schema, [r.split(",") for r in rows])
    features = bundle.transform(columns).columns["features"]
    booster = load_booster(str(run / "xgboost" / "model.tar.gz"))
    return booster.inplace_predict(features)


def expected_reply(run: Path, row: str) -> str:
    """The pipeline's text/csv answer to one row: the score as Python prints the float, then a newline."""
    return f"{direct_predictions(run, [row]).tolist()[0]}\n"
