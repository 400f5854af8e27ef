"""SparkML container: a drop-in for AWS's sagemaker-sparkml-serving, several rows per request.

Requests: text/csv (one or many RFC 4180 rows), application/json (`{"schema"?, "data": row}` or
`{"data": [row, row]}`), application/jsonlines (one such object per line; a first line holding only
`{"schema": ...}` sets the schema); text columns may hold any text (CSV quoting, commas, unicode) and
`struct: array` columns take JSON lists. Responses by Accept: text/csv (one line per row), application/jsonlines
(`{"features": [...]}` per row), application/jsonlines;data=text (`{"source": "v1 v2"}`, BlazingText's input
form), for `vector` outputs (sparse ones written dense, as AWS's `toDense()`) and `array` outputs (strings
or numbers) alike; an array of vectors (LSH hashes, schema `"struct": "array", "type": "vector"`) keeps its
nesting in `{"features": [[h0], [h1]]}` and is laid end to end in CSV and text, as AWS's container writes the
[tables, 1] tensor MLeap holds (`"struct": "vector"` lays it end to end everywhere); `struct: map` inputs
(MapEntrySelector) are JSON objects, in CSV the object's JSON text. A basic output is written as its bare
text per row whatever the Accept, as the AWS container does. One deliberate difference: AWS joins CSV array
elements unquoted, so a token holding a comma would split; we quote such an element (RFC 4180).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from base.errors import InputError
from bundles import Bundle, BundleError, TransformError, load_bundle
from bundles.frame import Frame, SkipRow
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix
from serving import codecs, fastcsv
from serving.contract import Invocation, Model, Reply, default_accept, resolve_accept
from serving.errors import BadInput
from serving.http_app import create_app
from serving.schema import Column, SchemaError, ServingSchema, parse_schema, row_to_dict, rows_to_columns
from serving.settings import SCHEMA_ENV, Settings

FAST_MIN_ROWS = 8  # below this, the row path is as fast
NUMPY_VALUES = (np.ndarray, np.generic)
log = logging.getLogger("sparkleap.serving.sparkml")


class SparkMLModel(Model):
    batch_strategy = "MULTI_RECORD"
    no_content_for_empty_body = False  # AWS's SparkML container answers an empty body with 400

    def __init__(self, bundle: Bundle, schema: ServingSchema, default_accept: str = "", schema_source: str = "schema"):
        """`schema` must fit the bundle (see `check_schema`); SchemaError otherwise."""
        self.bundle = bundle
        self._pruned: dict[str, Bundle] = {}  # output column -> the bundle without ops it does not need
        self._produced = {col for op in bundle.ops for col in op.shape.output_cols}
        self.imputed = imputed_inputs(bundle)
        self.schema = self.check_schema(schema, schema_source)
        self.default_accept = default_accept or codecs.CSV

    def check_schema(self, schema: ServingSchema, source: str) -> ServingSchema:
        """`schema` if it gives every input column the bundle reads and names a column the bundle produces."""
        needed = [c["name"] for c in self.bundle.serving_schema(schema.output.name)["input"]]
        missing = [name for name in needed if name not in schema.names]
        if missing:
            raise SchemaError(f"{source}: the bundle needs input column(s) {', '.join(missing)}, "
                              "which the schema does not list")
        if schema.output.name not in self._produced:
            raise SchemaError(f"{source}: output column {schema.output.name!r} is not produced by the bundle "
                              f"(it produces {', '.join(sorted(self._produced))})")
        derived = self.bundle.serving_schema(schema.output.name)["output"]
        struct, name = derived["struct"], schema.output.name
        if (schema.output.struct == "basic") != (struct == "basic"):
            raise SchemaError(f"{source}: output column {name!r} is a {struct} column; "
                              f'give it "struct": "{struct}"' if struct != "basic" else
                              f"{source}: output column {name!r} is a basic column, not a {schema.output.struct}")
        vectors = derived["type"] == "vector"
        if vectors != (schema.output.type == "vector") and not (vectors and schema.output.struct == "vector"):
            raise SchemaError(f"{source}: output column {name!r} is an array of vectors; give it "
                              '"struct": "array", "type": "vector" (or "struct": "vector" for their values laid '
                              "end to end, as MLeap holds them)" if vectors else
                              f"{source}: output column {name!r} is not an array of vectors; "
                              f'give it "type": "{derived["type"]}"')
        return schema

    # ---- request decoding: one reader per media type read (READERS) --------------------------------
    def _csv_rows(self, body: bytes) -> tuple[ServingSchema, list[list[Any]]]:
        return self.schema, codecs.read_csv(body)

    def _json_body_rows(self, body: bytes) -> tuple[ServingSchema, list[list[Any]]]:
        return self._json_rows(codecs.read_json(body), self.schema, "request body")

    def _jsonlines_rows(self, body: bytes) -> tuple[ServingSchema, list[list[Any]]]:
        schema, rows = self.schema, []
        for i, obj in enumerate(codecs.read_jsonlines(body)):
            if isinstance(obj, dict) and "schema" in obj and "data" not in obj:
                schema = self._schema_of(obj, f"line {i + 1}")
                continue
            schema, more = self._json_rows(obj, schema, f"line {i + 1}")
            rows.extend(more)
        return schema, rows

    READERS = {codecs.CSV: _csv_rows, codecs.JSON: _json_body_rows, codecs.JSONLINES: _jsonlines_rows}

    def _schema_of(self, obj: dict, where: str) -> ServingSchema:
        try:
            return self.check_schema(parse_schema(obj["schema"], f"{where}: schema"), f"{where}: schema")
        except SchemaError as exc:
            raise BadInput(str(exc)) from None

    def _json_rows(self, obj: Any, schema: ServingSchema, where: str) -> tuple[ServingSchema, list[list[Any]]]:
        if not isinstance(obj, dict) or "data" not in obj:
            raise BadInput(f'{where}: expected an object {{"data": [...]}} (optionally with "schema")')
        if "schema" in obj:
            schema = self._schema_of(obj, where)
        data = obj["data"]
        if not isinstance(data, list):
            raise BadInput(f'{where}: "data" must be a list (one row, or a list of rows)')
        return schema, (data if _is_row_list(data, schema) else [data])

    # ---- transform and encode --------------------------------------------------------------------
    def _outputs(self, schema: ServingSchema, rows: list[list[Any]]) -> list[Any]:
        """One output value (a list for vectors) per row; a row the bundle drops (handle_invalid=skip) is a 400,
        since answering with fewer rows would misalign the caller's rows."""
        out = schema.output.name
        bundle = self.bundle_for(out)
        if len(rows) == 1:
            result = bundle.transform_row(row_to_dict(schema, rows[0], imputed=self.imputed))
            if result is None:
                raise BadInput(_DROPPED.format(row=1))
            return [self._value(result, out)]
        frame = bundle.transform(rows_to_columns(schema, rows, imputed=self.imputed))
        if len(frame) != len(rows):
            kept = set(frame.rows.tolist())
            raise BadInput(_DROPPED.format(row=next(i for i in range(len(rows)) if i not in kept) + 1))
        values = frame.column(out)
        if isinstance(values, SparseMatrix):
            return [row.dense() for row in values.tolist()]
        return values.tolist() if values.dtype != object else [_plain(v) for v in values]

    def bundle_for(self, output: str) -> Bundle:
        """The bundle without the ops `output` does not depend on (a label-only stage reads a column that
        requests do not carry)."""
        if output not in self._pruned:
            self._pruned[output] = self.bundle.for_output(output)
        return self._pruned[output]

    @staticmethod
    def _value(result: dict[str, Any], out: str) -> Any:
        if out not in result:
            raise TransformError(f"the bundle does not produce output column {out!r}")
        return _plain(result[out])

    def invoke(self, req: Invocation) -> Reply:
        if not req.body.strip():
            raise BadInput("the request body is empty (or only whitespace): send at least one row")
        accept = resolve_accept(req.accept, ACCEPTS, self.default_accept)
        kind = codecs.content_media(req.content_type)
        read = self.READERS.get(kind)
        if read is None:
            raise codecs.unsupported(req.content_type, self.READERS)
        if kind == codecs.CSV and accept == codecs.CSV and req.body.count(b"\n") >= FAST_MIN_ROWS:
            fast = self._fast_csv(req.body)
            if fast is not None:
                return fast
        schema, rows = read(self, req.body)
        if not rows:
            raise BadInput("the request holds no rows")
        try:
            outputs = self._outputs(schema, rows)
        except (SchemaError, TransformError) as exc:
            raise BadInput(str(exc)) from None
        encode, content_type = ANSWERS[accept]
        body = encode(outputs, schema.output) if schema.output.struct != "basic" else _basic_text(outputs, accept)
        return Reply(body.encode(), content_type, len(outputs))

    def _fast_csv(self, body: bytes) -> Reply | None:
        """Many plain CSV rows in, CSV vectors out (`csv_features`, then pyarrow formatting); None when anything
        is off the plain path, which then answers exactly."""
        values = self.csv_features(body)
        return None if values is None else Reply(fastcsv.java_csv_lines(values), codecs.CSV, len(values))

    def csv_features(self, body: bytes) -> np.ndarray | None:
        """Plain CSV rows' vector outputs as one float matrix (rows x values) in one columnar pass (pyarrow
        read, bundle transform); None when anything is off the plain path. An op failing on its own
        (OpFailure) is raised: the request path would fail the same way."""
        if self.schema.output.struct != "vector":
            return None
        columns = fastcsv.read_columns(body, self.schema)
        if columns is None:
            return None
        try:
            frame = self.bundle_for(self.schema.output.name).transform(columns)
            values = frame.column(self.schema.output.name)
        except (BundleError, TransformError, KeyError):
            return None
        if isinstance(values, SparseMatrix):
            values = dense_matrix(values)  # AWS writes sparse outputs dense
        elif values.ndim == 3:  # an array of vectors served as `struct: vector`: laid end to end
            values = values.reshape(len(values), -1)
        if len(frame) != len(values) or values.ndim != 2 or len(values) != len(next(iter(columns.values()))):
            return None
        return values

    def warm_up(self) -> None:
        """Run a row the model accepts (`warm_up_row`, numbers 0, else 1) through every op, alone and as a batch
        of two, then through every response encoder; WarmUpError naming the op (or the step) that cannot."""
        refused: WarmUpError | None = None
        for number in NEUTRAL_NUMBERS:
            row = warm_up_row(self.bundle, self.schema, number)
            if row is None:
                log.warning("no warm-up row: a vector input's size is unknown; /ping turns healthy without one")
                return
            try:
                return self._warm_up(row)
            except WarmUpError as exc:
                if not exc.refused:
                    raise  # the model cannot answer at all: another row will not help
                refused = refused or exc
        raise refused  # type: ignore[misc]

    def _warm_up(self, row: list[Any]) -> None:
        shown = ", ".join(f"{c.name}={v!r}" for c, v in zip(self.schema.inputs, row, strict=True))
        values = row_to_dict(self.schema, row, imputed=self.imputed)
        frame = Frame(rows_to_columns(self.schema, [row, row], imputed=self.imputed))
        for op in self.bundle.ops:
            for path, run in (("one row", op.transform_row), ("a batch", op.transform)):
                try:
                    run(values if path == "one row" else frame)
                except SkipRow:
                    raise WarmUpError(f"node {op.name!r} ({op.op_name}) drops the warm-up row ({shown})",
                                      refused=True) from None
                except Exception as exc:
                    raise WarmUpError(f"node {op.name!r} ({op.op_name}) cannot answer the warm-up row ({shown}), "
                                      f"{path}: {type(exc).__name__}: {exc}",
                                      refused=isinstance(exc, InputError)) from exc
        body = json.dumps({"data": [row, row]}).encode()
        for accept in ACCEPTS:
            try:
                self.invoke(Invocation(body, codecs.JSON, accept))
            except Exception as exc:
                raise WarmUpError(f"the warm-up row ({shown}) fails answered as {accept}: "
                                  f"{type(exc).__name__}: {exc}") from exc


# ---- response encoding: one encoder per media type answered (ANSWERS) -----------------------------------------
# Vector/array outputs: a CSV line, `{"features": [...]}` or `{"source": "v1 v2"}` per row. An array of vectors
# keeps its nesting in `features` only when the schema says `"type": "vector"`; CSV and text lay the vectors end
# to end, as AWS's container writes a tensor's values.
def _csv_answer(outputs: list[list[Any]], column: Column) -> str:
    return "\n".join([codecs.csv_line(v) for v in codecs.end_to_end(outputs)])


def _features_answer(outputs: list[list[Any]], column: Column) -> str:
    return codecs.java_jsonlines("features", outputs if column.type == "vector" else codecs.end_to_end(outputs))


def _text_answer(outputs: list[list[Any]], column: Column) -> str:
    return codecs.java_jsonlines("source", (" ".join(map(codecs.format_number, v))
                                            for v in codecs.end_to_end(outputs)))


ANSWERS = {  # Accept -> (encoder of vector/array outputs, the reply's Content-Type)
    codecs.CSV: (_csv_answer, codecs.CSV),
    codecs.JSONLINES: (_features_answer, codecs.JSONLINES),
    codecs.JSONLINES_TEXT: (_text_answer, codecs.JSONLINES),
}
ACCEPTS = tuple(ANSWERS)


def _basic_text(outputs: list[Any], accept: str) -> str:
    """Basic outputs: the value's text per row (CSV-quoted only for CSV), whatever the Accept."""
    if accept == codecs.CSV:
        return "\n".join(codecs.csv_line([v]) for v in outputs)
    return "\n".join(map(codecs.format_number, outputs))


class WarmUpError(BundleError):
    """The model cannot answer the warm-up row: the container does not start. `refused`: the row was refused
    as bad input (another row may pass)."""

    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused


def warm_up_row(bundle: Bundle, schema: ServingSchema, number: int = 0) -> list[Any] | None:
    """A row the model accepts, in schema order, as a JSON request holds it: per input the value the first
    op reading it asks for (`Op.warm_up_input`: a StringIndexer's first known label, a Bucketizer's first
    finite split, a VectorAssembler's zero vector), else a neutral one (`number`, "", false, [], {}); None
    when a vector input's size is unknown."""
    ops = bundle.ops
    row: list[Any] = []
    for column in schema.inputs:
        asked = next((v for op in ops if column.name in op.shape.input_cols
                      for v in [op.warm_up_input(column.name)] if v is not None), None)
        if asked is not None:
            row.append(asked)
        elif column.struct == "vector":
            return None
        else:
            row.append(NEUTRAL.get(column.struct, NEUTRAL.get(column.type, number)))
    return row


NEUTRAL = {"array": [], "map": {}, "string": "", "boolean": False}
NEUTRAL_NUMBERS = (0, 1)  # 0 first; 1 where a zero is refused (MinHashLSH needs a non-zero entry)


def _plain(value: Any) -> Any:
    """One output value as JSON-ready Python: a sparse vector dense (as AWS writes it), arrays as lists."""
    if value.__class__ is list:
        return value
    if isinstance(value, SparseVector):
        return value.dense()
    return value.tolist() if isinstance(value, NUMPY_VALUES) else value


def imputed_inputs(bundle: Bundle) -> frozenset[str]:
    """Raw input columns an imputer reads directly: an empty or null value there is imputed, not an error."""
    from bundles.ops.imputer import Imputer

    produced: set[str] = set()
    imputed: set[str] = set()
    for op in bundle.ops:
        if isinstance(op, Imputer):
            imputed.update(c for c in op.shape.input_cols if c not in produced)
        produced.update(op.shape.output_cols)
    return frozenset(imputed)


_DROPPED = "row {row}: the bundle dropped this row (handle_invalid=skip), so there is no output for it"


def _is_row_list(data: list, schema: ServingSchema) -> bool:
    """True for `[[row], [row]]`, False for one row `[v1, v2]` (whose first value is a list only for a
    vector/array first column, and then its own first element is a number, not a list; a map is an object)."""
    if not data or not all(isinstance(r, list) for r in data):
        return False
    return schema.inputs[0].struct in ("basic", "map") or any(isinstance(x, list) for x in data[0][:1])


def load_model(settings: Settings) -> SparkMLModel:
    """Load the bundle from SM_MODEL_DIR and the schema from SAGEMAKER_SPARKML_SCHEMA (else derived).

    Raises BundleError/SchemaError/OSError/ValueError with a message naming the bad setting."""
    if not Path(settings.model_dir).exists():
        raise FileNotFoundError(f"no model at {settings.model_dir} (no such file or directory): set SM_MODEL_DIR "
                                "(or pass --model-dir) to the bundle's folder or model.tar.gz")
    bundle = load_bundle(settings.model_dir)
    source = schema_source(settings)
    schema = parse_schema(settings.sparkml_schema or bundle.serving_schema(), source)
    accept = default_accept(settings.default_accept, ACCEPTS, codecs.CSV)
    return SparkMLModel(bundle, schema, accept, source)


def check(settings: Settings) -> None:
    """Load everything once and answer the warm-up row before serving; a bad bundle, schema or setting, or a
    model that cannot answer (naming the op), exits with one line."""
    try:
        model = load_model(settings)
        model.warm_up()
    except (BundleError, SchemaError, OSError, ValueError) as exc:
        raise SystemExit("sparkml container: cannot start: " + " ".join(str(exc).split())) from None
    log.info("serving with %s: %s", schema_source(settings), model.schema.to_json())


def schema_source(settings: Settings) -> str:
    return SCHEMA_ENV if settings.sparkml_schema else "schema derived from the bundle"


def create(settings: Settings):
    return create_app("sparkml", load_model, settings)


__all__ = ["SparkMLModel", "WarmUpError", "check", "create", "load_model", "warm_up_row"]
