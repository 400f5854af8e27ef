"""Checks run before Spark starts: arguments, paths, the header against the schema, missing values.

Every problem found is reported together (one InputError listing them all), in a second or two, so a
new user fixes a command once instead of waiting for the JVM to start for each mistake. The data check
reads at most SCAN_BYTES of local input with pyarrow; Spark's own pass (glue_jobs.reader) still checks
every row, so what is not seen here is caught there.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from base import storage
from glue_jobs import labels
from glue_jobs.features import HANDLE_INVALID, IMPUTE, SCALE
from glue_jobs.reader import missing_value_problems
from glue_jobs.table_schema import InputError, TableSchema, load_schema

SCAN_BYTES = 64 * 1024 * 1024  # the data check reads at most this much of the input


def check(input: str, output: str, schema_uri: str | None, opts: dict[str, Any]) -> TableSchema | None:
    """Raise InputError listing every problem found before Spark starts; returns the loaded schema file."""
    problems: list[str] = []
    problems += _option_problems(opts)
    problems += output_problems(output, bool(opts.get("overwrite")))
    schema = None
    if schema_uri:
        try:
            schema = load_schema(schema_uri, opts.get("label"))
        except InputError as exc:
            problems += exc.problems
    try:
        files = storage.list_files(input)
    except storage.StorageError as exc:
        problems.append(str(exc))
        raise InputError.of(problems) from None
    if not (schema_uri and schema is None):
        problems += _data_problems(files, schema, opts)
    if problems:
        raise InputError.of(problems)
    return schema


def _option_problems(opts: dict[str, Any]) -> list[str]:
    problems = []
    ratio = float(opts["train_ratio"])
    if not 0.0 < ratio < 1.0:
        problems.append(f"--train-ratio must be between 0 and 1 (exclusive), got {ratio:g}")
    for key, allowed in (("impute", IMPUTE), ("scale", SCALE), ("handle_invalid", HANDLE_INVALID),
                         ("task", labels.TASKS)):
        if opts[key] not in allowed:
            problems.append(f"--{key.replace('_', '-')} must be one of {', '.join(allowed)}, got {opts[key]!r}")
    if int(opts["parity_rows"]) < 0:
        problems.append(f"--parity-rows must be >= 0, got {opts['parity_rows']}")
    both = sorted(set(opts.get("categorical") or []) & set(opts.get("numeric") or []))
    if both:
        problems.append(f"column(s) {', '.join(both)} listed as both categorical and numeric")
    return problems


def output_problems(output: str, overwrite: bool) -> list[str]:
    """An --output that already holds files is refused unless --overwrite (a re-run must not silently
    delete the model trained on the old run)."""
    if overwrite:
        return []
    if storage.is_s3(output):
        try:
            base = str(output).rstrip("/")
            names = sorted({f[len(base):].lstrip("/").split("/")[0] for f in storage.list_files(output)})
        except storage.StorageError:
            return []
    else:
        path = Path(output)
        if path.exists() and not path.is_dir():
            return [f"--output {output}: exists and is not a folder"]
        names = sorted(p.name for p in path.iterdir() if not p.name.startswith(".")) if path.is_dir() else []
    if not names:
        return []
    model = " including a trained model (xgboost/)" if "xgboost" in names else ""
    return [f"--output {output} already holds a run ({', '.join(names[:6])}{', ...' if len(names) > 6 else ''})"
            f"{model}; pass --overwrite to replace all of it, or choose another --output"]


def _head(uri: str, limit: int) -> bytes:
    """The first `limit` bytes of a file or S3 object, cut after the last complete line."""
    if storage.is_s3(uri):
        bucket, key = storage.split_s3(uri)
        client = storage.s3_client()
        data = client.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{limit - 1}")["Body"].read()
    else:
        with open(uri, "rb") as f:
            data = f.read(limit)
    if len(data) >= limit and b"\n" in data:
        data = data[:data.rfind(b"\n") + 1]
    return data


def _data_problems(files: list[str], schema: TableSchema | None, opts: dict[str, Any]) -> list[str]:
    """The header against the schema and options, then missing values against --impute/--handle-invalid."""
    first = files[0]
    try:
        head = _head(first, SCAN_BYTES)
    except (OSError, storage.StorageError) as exc:
        return [f"{first}: cannot read it ({exc})"]
    header = schema is None or schema.header
    first_line = next(csv.reader(io.StringIO(head.decode("utf-8", "replace"))), None)
    if first_line is None:
        return [f"{first}: the input is empty (no columns, no rows)"]
    if header:
        names = [c.strip() for c in first_line]
        if schema is not None:
            missing = [n for n in schema.names if n not in names]
            if missing:
                return [f"{first}: column(s) {', '.join(map(repr, missing))} missing from the header "
                        f"(found: {', '.join(names)})"]
    else:
        names = schema.names
        if len(first_line) != len(names):
            detail = (f"missing: {', '.join(names[len(first_line):])}" if len(first_line) < len(names)
                      else "extra columns at the end")
            return [f"{first}: rows have {len(first_line)} fields but the schema lists {len(names)} columns "
                    f"({detail})"]
    label = opts.get("label") or (schema.label if schema else None)
    problems = []
    if not label:
        problems.append(f"{first}: without a schema file, name the label column with --label "
                        f"(columns: {', '.join(names)})")
    elif label not in names:
        problems.append(f"--label {label!r} is not a column of {first} (columns: {', '.join(names)})")
    for key in ("categorical", "numeric"):
        unknown = [n for n in opts.get(key) or [] if n not in names]
        if unknown:
            problems.append(f"--{key} {', '.join(unknown)}: not a column of {first} (columns: {', '.join(names)})")
        if label and label in (opts.get(key) or []):
            problems.append(f"label column {label!r} cannot also be a feature (--{key})")
    if problems and label:
        return problems  # the columns' roles are unclear until these are fixed
    stats = _scan(head, names, header)
    if stats is None:
        return problems
    rows = stats.pop("")
    types = ({n: ("double" if schema.column(n).numeric else "string") for n in names} if schema
             else {n: "double" if s["bad"] == 0 and s["missing"] < rows else "string" for n, s in stats.items()})
    cats = opts.get("categorical") or [n for n in names if n != label and types[n] == "string"
                                       and n not in (opts.get("numeric") or [])]
    nums = opts.get("numeric") or [n for n in names if n != label and types[n] == "double" and n not in cats]
    cats, nums = [n for n in cats if n in stats], [n for n in nums if n in stats]
    task = opts.get("task", "auto")
    if label and rows and types[label] != "double" and task == "regression":
        problems.append(f"label column {label!r} in {first} has non-numeric values, e.g. {stats[label]['example']!r}"
                        "; --task regression needs numbers")
    elif label and rows and labels.is_classification(task, types[label] == "double"):
        problems += labels.class_problems(labels.ordered_classes(stats[label]["values"]), label, first)
    return problems + missing_value_problems(
        {n: (stats[n]["missing"], first) for n in nums}, {n: (stats[n]["nulls"], first) for n in cats},
        opts["impute"], opts["handle_invalid"], rows)


def _scan(data: bytes, names: list[str], header: bool) -> dict[str, Any] | None:
    """Per column: missing (empty or NaN) and non-numeric counts over the rows in `data`; "" -> row count.
    None when pyarrow cannot parse it (Spark's pass reports the details)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1 if header else 0),
            parse_options=pacsv.ParseOptions(double_quote=True),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=True, null_values=[""]))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    stats: dict[str, Any] = {"": table.num_rows}
    for name in names:
        column = table[name]
        values = pc.unique(column.drop_null()).to_pylist()
        bad = [v for v in values if not labels.is_number(v)]
        nan = sum(1 for v in values if labels.is_number(v) and v.strip().lower() == "nan")
        missing = column.null_count
        if nan:
            missing += pc.sum(pc.equal(pc.utf8_lower(pc.utf8_trim_whitespace(column)), "nan")).as_py() or 0
        stats[name] = {"missing": missing, "nulls": column.null_count, "bad": len(bad),
                       "example": bad[0] if bad else None, "values": values}
    return stats
