"""The inprocess engine: the SparkML and XGBoost containers' own model code called directly, no HTTP.

Each request goes through `SparkMLModel.invoke` then `XGBoostModel.invoke` (batch mode, as SageMaker sets
SAGEMAKER_BATCH), so outputs match the http engine byte for byte; a failure names the model that refused the
record and its reason (there is no HTTP here, so no status codes).
A CSV file without filters or join takes the fast path: one pyarrow read of the whole file, one columnar
bundle transform, one multi-threaded predict; anything the fast path cannot vouch for (an empty or non-finite
number, a blank line, a non-double column, a record over the payload limit, a bundle error) falls back to the
request-by-request path, which gives the exact error.
Difference from http: no 5 MB limit between containers (there is no hop).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from serving import fastcsv
from serving.batch.engines import InvocationError
from serving.batch.options import CSV, TransformOptions
from serving.batch.records import Request
from serving.contract import HttpError, Invocation
from serving.pipeline.description import Pipeline


class InprocessEngine:
    name = "inprocess"

    def __init__(self, pipeline: Pipeline):
        from serving.sparkml.app import SparkMLModel
        from serving.xgboost.app import XGBoostModel

        self.sparkml, self.xgboost = _models(pipeline, SparkMLModel, XGBoostModel)
        self.fast_booster = self.xgboost.booster.copy()
        self.fast_booster.set_param({"nthread": os.cpu_count() or 1})

    @staticmethod
    def execution_parameters() -> dict[str, Any]:
        """What the pipeline front end answers for these two containers with default settings."""
        return {"MaxConcurrentTransforms": 1, "BatchStrategy": "MULTI_RECORD", "MaxPayloadInMB": 6}

    def invoke(self, requests: list[Request], options: TransformOptions) -> list[bytes]:
        return [self.call(r, options) for r in requests]

    def call(self, request: Request, options: TransformOptions) -> bytes:
        if not request.payload.strip():
            return b""
        stage = "sparkml"
        try:
            first = self.sparkml.invoke(Invocation(request.payload, options.content_type, ""))
            stage = "xgboost"
            return self.xgboost.invoke(Invocation(first.body, first.content_type, options.accept)).body
        except HttpError as exc:
            raise InvocationError(request.first, f"{stage}: {_shorten(exc.message)}", exc.status) from None
        except Exception as exc:  # the container answers 500 to anything unexpected
            raise InvocationError(request.first, f"{stage}: internal error ({type(exc).__name__})", 500) from None

    def transform_file(self, data: bytes, options: TransformOptions) -> bytes | None:
        """The whole file's output in one columnar pass, or None when the fast path does not apply."""
        schema = self.sparkml.schema
        if (options.content_type != CSV or options.split_type != "Line" or options.data_processing
                or not fastcsv.fits(schema)
                or not fastcsv.plain_lines(data, options.payload_limit)):
            return None
        columns = fastcsv.read_columns(data, schema)
        if columns is None:
            return None
        try:
            frame = self.sparkml.bundle.transform(columns)
            if len(frame) != len(next(iter(columns.values()))) or schema.output.struct == "basic":
                return None
            features = np.asarray(frame.column(schema.output.name), dtype=np.float64)
        except Exception:  # noqa: BLE001 - the request path reports the error exactly
            return None
        if features.ndim != 2 or features.shape[1] != self.xgboost.num_features or not np.isfinite(features).all():
            return None
        scores = np.asarray(self.fast_booster.inplace_predict(features, validate_features=False))
        scores = scores.reshape(len(features), -1)
        if scores.shape[1] != 1:
            return self.xgboost.encode(scores.tolist(), CSV)
        return fastcsv.python_lines(scores[:, 0].astype(np.float64))


def _models(pipeline: Pipeline, sparkml_cls, xgboost_cls):
    from bundles import load_bundle
    from serving.schema import parse_schema
    from serving.xgboost.app import allow_pickle_from_env, load_booster

    kinds = [c.kind for c in pipeline.containers]
    if kinds != ["sparkml", "xgboost"]:
        raise ValueError(f"the inprocess engine runs a sparkml -> xgboost pipeline, this one is "
                         f"{' -> '.join(kinds)}; use --engine http")
    sparkml, xgb = pipeline.containers
    bundle = load_bundle(sparkml.model)
    raw = sparkml.environment.get("SAGEMAKER_SPARKML_SCHEMA", "").strip()
    source = "SAGEMAKER_SPARKML_SCHEMA" if raw else "schema derived from the bundle"
    first = sparkml_cls(bundle, parse_schema(raw or bundle.serving_schema(), source), CSV, source)
    booster = load_booster(xgb.model, allow_pickle=allow_pickle_from_env())
    return first, xgboost_cls(booster, CSV, batch_mode=True)


def _shorten(message: str, limit: int = 1000) -> str:
    return message if len(message) <= limit else message[: limit - 20] + f"... ({len(message)} chars)"
