"""The SAGEMAKER_SPARKML_SCHEMA: parsing, validation against schema/serving-schema.schema.json, and
turning request rows into typed columns for the bundle runtime.

Values are parsed the way the Java container does: numbers from their text in `Double.parseDouble`'s
grammar (surrounding spaces and control characters, a sign, NaN, Infinity, hexadecimal `0x1.8p1`, a
trailing d/f after a number; integers must be plain integers), `float` columns rounded once to float32 as
`Float.parseFloat` does (a StringIndexer reads them as Java's `Float.toString`), booleans true iff the
text is "true" (any case). Integer columns stay int64 (a StringIndexer over an int column reads "3").
`struct: vector` columns are dense lists of doubles; `struct: array` columns are lists of strings or
numbers of any length (tokens), held as one list per row; `struct: map` columns (MLeap's MapType, string keys,
values of the column's `type`) are JSON objects (in CSV, a field holding the object's JSON text), held as one
dict per row. An output `array` of `type: vector` is an array of vectors (LSH hashes).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np

from bundles.frame import object_column
from jvm.number_text import java_double

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "serving-schema.schema.json"
DTYPES = {"string": object, "boolean": np.bool_, "float": np.float32, "double": np.float64}
INT_RANGES = {"byte": 2**7, "short": 2**15, "int": 2**31, "long": 2**63}
_JAVA_FLOAT = re.compile(r"[+-]?(NaN|Infinity|([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[fFdD]?)")
_JAVA_HEX = re.compile(r"([+-]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP]([+-]?[0-9]+)[fFdD]?")
_JAVA_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_JAVA_TRIM = "".join(map(chr, range(33)))  # String.trim(): every char <= U+0020
_DECIMAL_CHARS = "0123456789.eE+-"


class SchemaError(ValueError):
    """A serving schema or a request value that does not fit it; the message names the column/row."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    struct: str = "basic"


@dataclass(frozen=True)
class ServingSchema:
    inputs: tuple[Column, ...]
    output: Column

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.inputs]

    @cached_property
    def float_columns(self) -> tuple[str, ...]:
        """Basic `float` inputs (float32 values in a row)."""
        return tuple(c.name for c in self.inputs if c.type == "float" and c.struct == "basic")

    def to_json(self) -> dict:
        def col(c: Column) -> dict:
            return {"name": c.name, "type": c.type, **({"struct": c.struct} if c.struct != "basic" else {})}

        return {"input": [col(c) for c in self.inputs], "output": col(self.output)}


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def parse_schema(raw: str | dict, source: str = "schema") -> ServingSchema:
    """Validate and parse a serving schema given as JSON text or an already-decoded object."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SchemaError(f"{source}: not valid JSON ({exc.msg} at position {exc.pos})") from None
    errors = sorted(_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise SchemaError(f"{source}: invalid at {where}: {err.message}")
    inputs = tuple(Column(c["name"], c["type"], c.get("struct", "basic")) for c in raw["input"])
    out = raw["output"]
    names = [c.name for c in inputs]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise SchemaError(f"{source}: input column {dup!r} is listed twice")
    return ServingSchema(inputs, Column(out["name"], out["type"], out.get("struct", "basic")))


def parse_value(value: Any, column: Column, row: int, imputed: frozenset[str] = frozenset()) -> Any:
    """One basic value (text from CSV or a JSON scalar) as the Python value of the column's type.

    JSON null is an empty CSV cell: an empty or null number is NaN for a column the bundle imputes (in
    `imputed`), else an error saying so; an empty or null string is "" (the bundle's handle-invalid decides)."""
    blank = value is None or (isinstance(value, str) and not value.strip(_JAVA_TRIM))
    if blank and column.type not in ("string", "boolean"):
        if column.name in imputed:
            return math.nan
        shown = "null" if value is None else "empty"
        raise SchemaError(f"row {row + 1}, column {column.name!r}: {shown} value, and the model does not impute "
                          f"{column.name!r} (its run was preprocessed without --impute); send a {column.type}")
    text = "" if value is None else value if isinstance(value, str) else _json_scalar_text(value, column, row)
    if column.type == "string":
        return text
    if column.type == "boolean":
        return text.lower() == "true"
    if column.type in ("float", "double"):
        exact = _java_number(text.strip(_JAVA_TRIM))
        if exact is None:
            raise SchemaError(f"row {row + 1}, column {column.name!r}: {_shown(text)} is not a {column.type}")
        number = _to_double(exact)
        return _to_float32(number, exact) if column.type == "float" else number
    if not _JAVA_INT.fullmatch(text):
        raise SchemaError(f"row {row + 1}, column {column.name!r}: {_shown(text)} is not an integer ({column.type})")
    number = int(text)
    limit = INT_RANGES[column.type]
    if not -limit <= number < limit:
        raise SchemaError(f"row {row + 1}, column {column.name!r}: {_shown(text)} is out of range for {column.type}")
    return number


def _java_number(text: str) -> str | Fraction | None:
    """A trimmed number text in `Double.parseDouble`'s grammar: the decimal text Python's float() reads
    alike ("NaN", "inf" and suffix-free digits), or a hexadecimal number's exact value; None if not a number."""
    if _JAVA_FLOAT.fullmatch(text):
        return text.rstrip("fFdD").replace("Infinity", "inf")
    hexadecimal = _JAVA_HEX.fullmatch(text)
    if hexadecimal is None:
        return None
    sign, digits, exponent = hexadecimal.groups()
    whole, _, fraction = digits.partition(".")
    value = Fraction(int(whole + fraction, 16) * (-1 if sign == "-" else 1), 16 ** len(fraction))
    power = int(exponent)
    if abs(power) > 2000:  # far beyond any double: the value is 0 or infinite, so keep the arithmetic small
        power = 2000 if power > 0 else -2000
    return value * Fraction(2) ** power


def _to_double(exact: str | Fraction) -> float:
    """The double nearest to the number (round half to even, beyond the range +-Infinity), as Java rounds."""
    if isinstance(exact, str):
        return float(exact)
    try:
        return float(exact)  # Fraction -> float rounds correctly
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def _to_float32(number: float, exact: str | Fraction | None = None) -> float:
    """`Float.parseFloat` then widening: the text rounded once to float32 (beyond its range +-Infinity).
    Rounding through the double `number` first differs only when `number` lands exactly on a float32
    midpoint; then the exact value (`exact`: the text or a Fraction) decides."""
    with np.errstate(over="ignore"):
        single = float(np.float32(number))
    if not math.isfinite(number) or single == number or exact is None:
        return single
    toward = float(np.nextafter(np.float32(single), np.float32(math.copysign(math.inf, number - single))))
    near, other = (math.copysign(2.0**128, number) if math.isinf(v) else v for v in (single, toward))
    if (near + other) / 2 != number:
        return single
    value = Fraction(exact) if isinstance(exact, str) else exact
    if value == Fraction(number):
        return single  # a true tie: round half to even, as np.float32 did
    return toward if (value > Fraction(number)) == (other > number) else single


def _json_scalar_text(value: Any, column: Column, row: int) -> str:
    """A JSON scalar as the text Java's `toString()` gives it; objects and lists are errors for basic columns."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, int):
        return str(value)
    raise SchemaError(f"row {row + 1}, column {column.name!r}: expected a {column.type} value, "
                      f"got {_shown(json.dumps(value), quote=False)}")


def _shown(text: str, quote: bool = True, limit: int = 40) -> str:
    """A value for an error message: quoted, and cut short when long."""
    cut = text if len(text) <= limit else text[: limit - 3] + "..."
    return repr(cut) if quote else cut


def _width_error(schema: ServingSchema, row: int, got: int) -> SchemaError:
    names = schema.names if len(schema.names) <= 12 else [*schema.names[:10], "...", schema.names[-1]]
    return SchemaError(f"row {row + 1}: expected {len(schema.names)} columns ({', '.join(names)}), got {got}")


def parse_vector(value: Any, column: Column, row: int) -> list[float]:
    if not isinstance(value, list):
        raise SchemaError(f"row {row + 1}, column {column.name!r}: expected a list for a {column.struct} column")
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in value):
        raise SchemaError(f"row {row + 1}, column {column.name!r}: every element must be a number")
    return [float(x) for x in value]


def parse_array(value: Any, column: Column, row: int) -> list[Any]:
    """An `array` column's value: a JSON list whose elements are values of the column's type."""
    if column.type in ("float", "double"):
        return parse_vector(value, column, row)
    if not isinstance(value, list):
        raise SchemaError(f"row {row + 1}, column {column.name!r}: expected a list for an array column")
    if column.type == "string":
        if not all(isinstance(x, str) for x in value):
            raise SchemaError(f"row {row + 1}, column {column.name!r}: every element must be a string")
        return value
    return [parse_value(x, Column(column.name, column.type), row) for x in value]


def parse_map(value: Any, column: Column, row: int) -> dict[str, Any]:
    """A `map` column's value: a JSON object (or, from CSV, its JSON text) of string keys to values of the
    column's type, each parsed as a basic value."""
    where = f"row {row + 1}, column {column.name!r}"
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise SchemaError(f"{where}: expected a map (a JSON object of {column.type} values), got "
                              f"{_shown(value)}") from None
    if not isinstance(value, dict):
        raise SchemaError(f"{where}: expected a map (a JSON object of {column.type} values), got "
                          f"{_shown(json.dumps(value), quote=False)}")
    out = {}
    for key, item in value.items():
        if item is None:
            raise SchemaError(f"{where}: map key {_shown(key)} has a null value")
        try:
            out[key] = parse_value(item, Column(column.name, column.type), row)
        except SchemaError as exc:
            raise SchemaError(f"{exc} (map key {_shown(key)})") from None
    return out


def _parse(value: Any, column: Column, row: int, imputed: frozenset[str] = frozenset()) -> Any:
    if column.struct == "basic":
        if type(value) is str and value:  # the common cases first, with the same answers as parse_value
            if column.type == "string":
                return value
            if column.type == "double" and not value.strip(_DECIMAL_CHARS):
                try:  # over these characters Python's float() and Java's parseDouble accept the same texts
                    return float(value)
                except ValueError:  # "+", "1e", ".": parse_value names the problem
                    pass
        return parse_value(value, column, row, imputed)
    if column.struct == "map":
        return parse_map(value, column, row)
    return parse_vector(value, column, row) if column.struct == "vector" else parse_array(value, column, row)


def rows_to_columns(schema: ServingSchema, rows: list[list[Any]], first_row: int = 0,
                    imputed: frozenset[str] = frozenset()) -> dict[str, np.ndarray]:
    """Typed columns for the bundle runtime from rows in schema order (strings -> object arrays,
    numbers -> float64/float32/int64, vector columns -> 2-D float64, array/map columns -> object arrays of
    lists/dicts).
    Raises SchemaError naming row and column. `imputed`: numeric columns whose empty/null values become NaN
    (the bundle imputes them)."""
    width = len(schema.inputs)
    for i, r in enumerate(rows):
        if len(r) != width:
            raise _width_error(schema, first_row + i, len(r))
    columns: dict[str, np.ndarray] = {}
    for j, col in enumerate(schema.inputs):
        values = [_parse(r[j], col, first_row + i, imputed) for i, r in enumerate(rows)]
        if col.struct == "basic":
            columns[col.name] = np.array(values, dtype=DTYPES.get(col.type, np.int64))
        elif col.struct in ("array", "map"):
            columns[col.name] = object_column(values)
        else:
            sizes = {len(v) for v in values}
            if len(sizes) > 1:
                raise SchemaError(f"column {col.name!r}: vectors of different lengths {sorted(sizes)} in one request")
            columns[col.name] = np.array(values, dtype=np.float64).reshape(len(rows), -1)
    return columns


def row_to_dict(schema: ServingSchema, values: list[Any], row: int = 0,
                imputed: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One row as a dict of plain Python values for the bundle's single-row path (float columns as
    `numpy.float32`, so that their text is Java's `Float.toString`)."""
    if len(values) != len(schema.inputs):
        raise _width_error(schema, row, len(values))
    out = {col.name: _parse(v, col, row, imputed) for col, v in zip(schema.inputs, values, strict=True)}
    for name in schema.float_columns:
        out[name] = np.float32(out[name])
    return out
