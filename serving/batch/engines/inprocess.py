"""The inprocess engine: the pipeline containers' own model code called directly, no HTTP.

Each request goes through every container's `invoke` in turn (models loaded by `serving.loader`, in batch
mode, as SageMaker sets SAGEMAKER_BATCH), so outputs match the http engine byte for byte; a refused request
is reported with the domain error as the container raised it (`sparkml: row 1: ...`), with no HTTP in
between. For a SparkML -> XGBoost pipeline, a CSV file without filters or join takes the fast path: one
pyarrow read of the whole file, one columnar bundle transform, one multi-threaded predict; anything the
fast path cannot vouch for (an empty or non-finite number, a blank line, a non-double column, a record over
the payload limit, a bundle error) falls back to the request-by-request path, which gives the exact error.
The 5 MB limit between containers holds here too (an answer over it is refused as the front end refuses it),
so every engine packs and re-packs the same requests.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from serving import fastcsv
from serving.batch import fingerprint
from serving.batch.engines import InvocationError
from serving.batch.options import CSV, TransformOptions
from serving.batch.records import Request
from serving.contract import MULTI_RECORD, Invocation, execution_parameters
from serving.errors import OversizedHop, ServingError, shorten
from serving.loader import container_environment, load_model
from serving.pipeline.description import Pipeline
from serving.settings import Settings


class InprocessEngine:
    name = "inprocess"

    def __init__(self, pipeline: Pipeline, model: dict[str, Any] | None = None):
        self.model = model or fingerprint.of_pipeline(pipeline)  # what the manifest records
        self.models = [(c.name, load_model(c.kind, Settings.from_env(
            container_environment(c.model, c.environment, batch=True)))) for c in pipeline.containers]
        kinds = [c.kind for c in pipeline.containers]
        self.sparkml, self.xgboost = (m for _, m in self.models) if kinds == ["sparkml", "xgboost"] else (None, None)
        if self.xgboost is not None:
            self.fast_booster = self.xgboost.booster.copy()
            self.fast_booster.set_param({"nthread": os.cpu_count() or 1})

    @staticmethod
    def execution_parameters() -> dict[str, Any]:
        """One request at a time (no HTTP, no workers), multi-record, the containers' default payload limit."""
        return execution_parameters(1, MULTI_RECORD, Settings.from_env({}).max_payload_mb)

    def invoke(self, requests: list[Request], options: TransformOptions) -> list[bytes]:
        return [self.call(r, options) for r in requests]

    def call(self, request: Request, options: TransformOptions) -> bytes:
        """Each container's answer feeds the next, as the pipeline front end passes them; the last one's body."""
        body, content_type = request.payload, options.content_type
        for i, (stage, model) in enumerate(self.models):
            if not body.strip():
                return b""  # the container answers 204: nothing to pass on
            accept = options.accept if i == len(self.models) - 1 else ""
            try:
                reply = model.invoke(Invocation(body, content_type, accept))
            except ServingError as exc:
                raise InvocationError(request.first, f"{stage}: {shorten(exc.message)}") from None
            except Exception as exc:  # noqa: BLE001 - an unexpected failure is reported, never raised through the job
                raise InvocationError(request.first, f"{stage}: internal error ({type(exc).__name__}: "
                                                     f"{shorten(str(exc))})", transient=True) from None
            body, content_type = reply.body, reply.content_type
            if i < len(self.models) - 1 and len(body) > OversizedHop.LIMIT:  # the front end's rule, kept here
                hop = OversizedHop(stage, self.models[i + 1][0], len(body))
                raise InvocationError(request.first, hop.message, hop=hop)
        return body

    def transform_file(self, data: bytes, options: TransformOptions) -> bytes | None:
        """The whole file's output in one columnar pass, or None when the fast path does not apply."""
        if self.sparkml is None:
            return None
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
