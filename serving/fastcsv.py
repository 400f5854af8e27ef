"""Columnar CSV for the serving hot path: pyarrow reads and formats whole batches at C speed.

Every function here answers None when it cannot vouch for the result (a quote, a blank line, a null or
non-finite value, a width it did not expect, a parse error); the caller then takes its row-by-row path,
which gives the exact result or the exact error message. Text formats match the row-by-row path byte for
byte: `python_lines` is `str(float)` per value, `java_csv_lines` is `jvm.number_text.java_double`.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np

from jvm.number_text import java_double
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


def _joined(values: np.ndarray, width: int, low: float, high: float, slow: Callable[[float], str],
            final: bytes) -> bytes:
    """The values of a flat float64 array as text, `width` per line: comma-separated, each line ending in a
    newline except the last, which ends in `final`.

    Texts: Arrow's shortest round-trip digits (those of `repr`) where Arrow writes them without an exponent
    and low <= |v| < high, with ".0" after an integral one, and for zeros ("0.0", "-0.0"); `slow(v)` for every
    other value. The bytes are laid out with
    NumPy in one pass (no Python string per value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    count = len(values)
    if not count:
        return b""
    texts = pc.cast(pa.array(values), pa.string())
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(values)
        plain = (magnitude >= low) & (magnitude < high) | (values == 0)  # NaN compares False: slow
        plain &= ~pc.match_substring(texts, "e").to_numpy(zero_copy_only=False)  # Arrow's own exponent form
        whole = plain & (values == np.trunc(values))
    slow_at = np.flatnonzero(~plain)
    if len(slow_at):
        mask = np.zeros(count, dtype=bool)
        mask[slow_at] = True
        texts = pc.replace_with_mask(texts, pa.array(mask), pa.array([slow(v) for v in values[slow_at].tolist()]))
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    _, offsets_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32, count=count + 1, offset=texts.offset * 4)
    data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0]:offsets[-1]]
    lengths = np.diff(offsets).astype(np.int64)
    sizes = lengths + 2 * whole + 1  # the text, ".0" when integral, the separator
    ends = np.cumsum(sizes)
    starts = ends - sizes
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    out[np.arange(len(data)) + np.repeat(starts - (offsets[:-1] - offsets[0]), lengths)] = data
    suffix = starts[whole] + lengths[whole]
    out[suffix], out[suffix + 1] = ord("."), ord("0")
    out[ends - 1] = ord(",")
    out[ends[width - 1::width] - 1] = ord("\n")
    return out[:-1].tobytes() + final


def python_lines(values: np.ndarray) -> bytes:
    """`str(float(v))` of each value of a 1-D array, one per line, each line ending in a newline."""
    return _joined(np.ascontiguousarray(values, dtype=np.float64), 1, 1e-4, 1e16, str, b"\n")


def java_csv_lines(matrix: np.ndarray) -> bytes:
    """A (rows x k) float64 matrix as CSV lines of Java `Double.toString` values, joined by newlines."""
    rows, k = matrix.shape
    return _joined(np.ascontiguousarray(matrix, dtype=np.float64).ravel(), k, 1e-3, 1e7, java_double, b"")
