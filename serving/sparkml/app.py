"""SparkML container: a drop-in for AWS's sagemaker-sparkml-serving, several rows per request.

Requests: text/csv (one or many RFC 4180 rows), application/json (`{"schema"?, "data": row}` or
`{"data": [row, row]}`), application/jsonlines (one such object per line; a first line holding only
`{"schema": ...}` sets the schema). Responses by Accept: text/csv (one line per row, vectors dense),
application/jsonlines (`{"features": [...]}` per row), application/jsonlines;data=text (`{"source": "v1 v2"}`).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from bundles import Bundle, BundleError, TransformError, load_bundle
from serving import codecs
from serving.contract import HttpError, Invocation, Reply, create_app, media_type, resolve_accept
from serving.schema import SchemaError, ServingSchema, parse_schema, row_to_dict, rows_to_columns
from serving.settings import Settings

ACCEPTS = (codecs.CSV, codecs.JSONLINES, codecs.JSONLINES_TEXT)
CONTENT_TYPES = (codecs.CSV, codecs.JSON, codecs.JSONLINES)


class SparkMLModel:
    batch_strategy = "MULTI_RECORD"

    def __init__(self, bundle: Bundle, schema: ServingSchema, default_accept: str = ""):
        self.bundle = bundle
        self.schema = schema
        self.default_accept = default_accept or codecs.CSV

    # ---- request decoding ------------------------------------------------------------------------
    def _rows(self, req: Invocation) -> tuple[ServingSchema, list[list[Any]]]:
        kind = media_type(req.content_type)
        if kind in (codecs.CSV, "csv"):
            return self.schema, codecs.read_csv(req.body)
        if kind == codecs.JSON:
            return self._json_rows(codecs.read_json(req.body), self.schema, "request body")
        if kind in (codecs.JSONLINES, "application/x-jsonlines"):
            schema, rows = self.schema, []
            for i, obj in enumerate(codecs.read_jsonlines(req.body)):
                if isinstance(obj, dict) and "schema" in obj and "data" not in obj:
                    schema = self._schema_of(obj, f"line {i + 1}")
                    continue
                schema, more = self._json_rows(obj, schema, f"line {i + 1}")
                rows.extend(more)
            return schema, rows
        raise HttpError(415, f"Content-Type {req.content_type or '(none)'!r} is not supported; "
                             f"use one of {', '.join(CONTENT_TYPES)}")

    def _schema_of(self, obj: dict, where: str) -> ServingSchema:
        try:
            return parse_schema(obj["schema"], f"{where}: schema")
        except SchemaError as exc:
            raise HttpError(400, str(exc)) from None

    def _json_rows(self, obj: Any, schema: ServingSchema, where: str) -> tuple[ServingSchema, list[list[Any]]]:
        if not isinstance(obj, dict) or "data" not in obj:
            raise HttpError(400, f'{where}: expected an object {{"data": [...]}} (optionally with "schema")')
        if "schema" in obj:
            schema = self._schema_of(obj, where)
        data = obj["data"]
        if not isinstance(data, list):
            raise HttpError(400, f'{where}: "data" must be a list (one row, or a list of rows)')
        many = bool(data) and all(isinstance(r, list) for r in data) and schema.inputs[0].struct == "basic"
        return schema, (data if many else [data])

    # ---- transform and encode --------------------------------------------------------------------
    def _outputs(self, schema: ServingSchema, rows: list[list[Any]]) -> list[Any]:
        out = schema.output.name
        if len(rows) == 1:
            result = self.bundle.transform_row(row_to_dict(schema, rows[0]))
            return [] if result is None else [self._value(result, out)]
        frame = self.bundle.transform(rows_to_columns(schema, rows))
        values = frame.column(out)
        return values.tolist() if values.dtype != object else list(values)

    @staticmethod
    def _value(result: dict[str, Any], out: str) -> Any:
        if out not in result:
            raise TransformError(f"the bundle does not produce output column {out!r}")
        value = result[out]
        return value.tolist() if isinstance(value, np.ndarray) else value

    def invoke(self, req: Invocation) -> Reply:
        accept = resolve_accept(req.accept, ACCEPTS, self.default_accept)
        schema, rows = self._rows(req)
        if not rows:
            raise HttpError(400, "the request holds no rows")
        try:
            outputs = self._outputs(schema, rows)
        except (SchemaError, TransformError) as exc:
            raise HttpError(400, str(exc)) from None
        return Reply(self._encode(outputs, accept).encode(), self._content_type(accept), rows=len(outputs))

    @staticmethod
    def _content_type(accept: str) -> str:
        return codecs.CSV if accept == codecs.CSV else codecs.JSONLINES

    @staticmethod
    def _encode(outputs: list[Any], accept: str) -> str:
        if accept == codecs.CSV:
            return "\n".join(codecs.csv_line(v) if isinstance(v, list) else codecs.format_number(v) for v in outputs)
        if accept == codecs.JSONLINES:
            return codecs.jsonlines({"features": [codecs.json_number(x) for x in v]} if isinstance(v, list)
                                    else {"features": codecs.json_number(v)} for v in outputs)
        return codecs.jsonlines({"source": " ".join(map(codecs.format_number, v if isinstance(v, list) else [v]))}
                                for v in outputs)

    def warm_up(self) -> None:
        """Run one made-up row through the whole path so the first real request is not the slow one."""
        row = ["" if c.type == "string" else "0" for c in self.schema.inputs if c.struct == "basic"]
        if len(row) == len(self.schema.inputs):
            try:
                self._outputs(self.schema, [row])
            except (SchemaError, TransformError):
                pass


def load_model(settings: Settings) -> SparkMLModel:
    """Load the bundle from SM_MODEL_DIR and the schema from SAGEMAKER_SPARKML_SCHEMA (else derived)."""
    bundle = load_bundle(settings.model_dir)
    raw = os.environ.get("SAGEMAKER_SPARKML_SCHEMA", "").strip()
    if raw:
        schema = parse_schema(raw, "SAGEMAKER_SPARKML_SCHEMA")
    else:
        schema = parse_schema(bundle.serving_schema(), "schema derived from the bundle")
    return SparkMLModel(bundle, schema, settings.default_accept)


def check(settings: Settings) -> None:
    try:
        load_model(settings)
    except (BundleError, SchemaError) as exc:
        raise SystemExit(f"sparkml container: cannot start: {exc}") from None


def create(settings: Settings):
    return create_app("sparkml", load_model, settings)


__all__ = ["SparkMLModel", "check", "create", "load_model"]
