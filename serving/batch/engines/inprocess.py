"""The inprocess engine: the pipeline containers' own model code called directly, no HTTP.

Each request goes through every container's `invoke` in turn (models loaded by `serving.loader`, in batch
mode, as SageMaker sets SAGEMAKER_BATCH), so outputs match the http engine byte for byte; a refused request
is reported with the domain error as the container raised it (`sparkml: row 1: ...`), with no HTTP in
between; a failure that is not the request's fault is logged naming the container (and, for a bundle, the
node and op) and fails the request as internal. Models are reached through the `contract.Model` protocol
only. A two-container pipeline whose first model answers plain CSV in bulk (`csv_features`: one pyarrow read,
one columnar transform) and whose last scores that in bulk (`csv_scores`: one multi-threaded predict) takes
that fast path for a CSV file without filters or join; anything the fast path cannot vouch for (an empty or
non-finite number, a blank line, a non-double column, a record over the payload limit, a bundle error) falls
back to the request-by-request path, which gives the exact error.
The 5 MB limit between containers holds here too (an answer over it is refused as the front end refuses it),
so every engine packs and re-packs the same requests.
"""

from __future__ import annotations

import logging
from typing import Any

from serving import fastcsv
from serving.batch import fingerprint
from serving.batch.engines import InvocationError
from serving.batch.options import CSV, TransformOptions
from serving.batch.records import Request
from serving.contract import MULTI_RECORD, Invocation, execution_parameters
from serving.errors import OversizedHop, ServingError, shorten
from serving.inference_pipeline.description import Pipeline
from serving.loader import container_environment, load_model
from serving.settings import Settings

log = logging.getLogger("sparkleap.batch")


class InprocessEngine:
    name = "inprocess"

    def __init__(self, pipeline: Pipeline, model: dict[str, Any] | None = None):
        self.model = model or fingerprint.of_pipeline(pipeline)  # what the manifest records
        self.models = [(c.name, load_model(c.kind, Settings.from_env(
            container_environment(c.model, c.environment, batch=True)))) for c in pipeline.containers]

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
                log.error("%s: internal error on the request from record %d: %s: %s", stage, request.first + 1,
                          type(exc).__name__, exc, exc_info=exc)
                raise InvocationError(request.first, f"{stage}: internal error ({type(exc).__name__}: "
                                                     f"{shorten(str(exc))})", transient=True) from None
            body, content_type = reply.body, reply.content_type
            if i < len(self.models) - 1 and len(body) > OversizedHop.LIMIT:  # the front end's rule, kept here
                hop = OversizedHop(stage, self.models[i + 1][0], len(body))
                raise InvocationError(request.first, hop.message, hop=hop)
        return body

    def transform_file(self, data: bytes, options: TransformOptions) -> bytes | None:
        """The whole file's output in one bulk pass (`csv_features` then `csv_scores`), or None when the fast
        path does not apply."""
        if (len(self.models) != 2 or options.content_media != CSV or options.split_type != "Line"
                or options.data_processing or not fastcsv.plain_lines(data, options.payload_limit)):
            return None
        (_, first), (_, last) = self.models
        try:
            features = first.csv_features(data)
            return None if features is None else last.csv_scores(features)
        except Exception:  # noqa: BLE001 - the request path reports the error exactly
            return None
