"""Columnar CSV for the serving hot path: pyarrow reads and formats whole batches at C speed.

Every function here answers None when it cannot vouch for the result (a quote, a blank line, a null or
non-finite value, a width it did not expect, a parse error); the caller then takes its row-by-row path,
which gives the exact result or the exact error message. Text formats match the row-by-row path byte for
byte: `python_lines` is `str(float)` per value, `java_csv_lines` is `bundles.javafmt.java_double`.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np

from bundles.javafmt import java_double
from serving.schema import ServingSchema

FAST_TYPES = {"string", "double"}  # serving-schema types whose CSV parse is the same in pyarrow and ours


def plain_lines(data: bytes, limit: int | None = None) -> bool:
    """True when every line is non-blank, none holds a quote or CR, and none is over `limit` bytes."""
    if not data or b'"' in data or b"\r" in data:
        return False
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(data)]))
    lengths = stops - starts
    if lengths[-1] == 0:
        lengths = lengths[:-1]
    return bool(len(lengths)) and bool((lengths > 0).all()) and (limit is None or int(lengths.max()) < limit)


def fits(schema: ServingSchema) -> bool:
    """True when every input column is a basic string or double (what `read_columns` parses)."""
    return all(c.struct == "basic" and c.type in FAST_TYPES for c in schema.inputs)


def read_columns(data: bytes, schema: ServingSchema) -> dict[str, np.ndarray] | None:
    """Plain CSV rows in schema order as columns (strings object arrays, doubles float64, all finite)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not fits(schema) or not plain_lines(data):
        return None
    types = {c.name: pa.string() if c.type == "string" else pa.float64() for c in schema.inputs}
    try:
        table = pacsv.read_csv(io.BytesIO(data), read_options=pacsv.ReadOptions(column_names=schema.names),
                               parse_options=pacsv.ParseOptions(quote_char=False),
                               convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    columns = {}
    for c in schema.inputs:
        column = table[c.name]
        if column.null_count:
            return None
        values = column.to_numpy(zero_copy_only=False)
        if c.type == "double" and not np.isfinite(values).all():
            return None
        columns[c.name] = values
    return columns


def read_matrix(data: bytes, width: int) -> np.ndarray | None:
    """Plain comma-separated numbers as a (rows x width) float64 matrix; empty fields are NaN."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first = data[:data.find(b"\n")] if b"\n" in data else data
    if any(d in first for d in (b";", b"\t", b"|", b" ")) or not plain_lines(data):
        return None
    names = [f"f{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(io.BytesIO(data), read_options=pacsv.ReadOptions(column_names=names),
                               parse_options=pacsv.ParseOptions(quote_char=False),
                               convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.float64())))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    return np.column_stack([table[n].to_numpy(zero_copy_only=False) for n in names]).astype(np.float64)


def _texts(values: np.ndarray, low: float, high: float, slow: Callable[[float], str]) -> list[str]:
    """Each value's text: Arrow's shortest round-trip digits where they equal `slow`'s (plain notation,
    low <= |v| < high), "<int>.0" for integral values below `high`, `slow(v)` for the rest."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pc.cast(pa.array(values), pa.string())
    plain = pc.and_(pc.match_substring(texts, "."), pc.invert(pc.match_substring(texts, "e")))
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(values)
        finite = np.isfinite(values)
        integral = finite & (values == np.trunc(values)) & (magnitude < high) & ~((values == 0) & np.signbit(values))
        arrow_ok = finite & (magnitude >= low) & (magnitude < high) & plain.to_numpy(zero_copy_only=False)
    lines = texts.to_pylist()
    whole = np.flatnonzero(integral)
    for i, n in zip(whole.tolist(), values[whole].astype(np.int64).tolist(), strict=True):
        lines[i] = f"{n}.0"
    for i in np.flatnonzero(~(arrow_ok | integral)).tolist():
        lines[i] = slow(float(values[i]))
    return lines


def python_lines(values: np.ndarray) -> bytes:
    """`str(float(v))` of each value of a 1-D array, one per line, each line ending in a newline."""
    if not len(values):
        return b""
    return ("\n".join(_texts(np.asarray(values, dtype=np.float64), 1e-4, 1e16, str)) + "\n").encode()


def java_csv_lines(matrix: np.ndarray) -> str:
    """A (rows x k) float64 matrix as CSV lines of Java `Double.toString` values, joined by newlines."""
    rows, k = matrix.shape
    texts = _texts(np.ascontiguousarray(matrix, dtype=np.float64).ravel(), 1e-3, 1e7, java_double)
    return "\n".join(",".join(texts[i * k:(i + 1) * k]) for i in range(rows))
