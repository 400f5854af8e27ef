"""Content-type codecs shared by the containers, the pipeline and batch transform, and the one registry of
the media types they speak (`MEDIA_TYPES`: adding a type is one `register` line, then the containers that
read or write it list it).

CSV follows RFC 4180 (quoted fields may hold commas, quotes and newlines); numbers are written with
Java's `Double.toString` rules (`jvm.number_text`), in CSV and in the SparkML container's JSON Lines
(`java_json`, as Jackson writes them), and always parse back to the same double.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jvm.number_text import java_double
from serving.errors import BadInput, UnsupportedMediaType


@dataclass(frozen=True)
class MediaType:
    """A media type the servers, the batch job and `predict` speak: its `name` (lower case, `;` parameters
    without spaces), the other names clients send for it, and how a body of it splits into records: "csv"
    (RFC 4180 records, which may span lines), "lines" (one per line) or "document" (the body is one whole)."""

    name: str
    aliases: tuple[str, ...] = ()
    records: str = "lines"

    @property
    def per_record(self) -> bool:
        """True when an answer of this type holds one line per record (not one document)."""
        return self.records != "document"


MEDIA_TYPES: dict[str, MediaType] = {}  # every name and alias -> its media type


def register(media: MediaType) -> str:
    """Add `media` to the registry (its name and aliases); its name."""
    for name in (media.name, *media.aliases):
        MEDIA_TYPES[name] = media
    return media.name


CSV = register(MediaType("text/csv", ("csv",), records="csv"))
JSON = register(MediaType("application/json", records="document"))
JSONLINES = register(MediaType("application/jsonlines", ("application/x-jsonlines",)))
JSONLINES_TEXT = register(MediaType("application/jsonlines;data=text"))
LIBSVM = register(MediaType("text/libsvm", ("text/x-libsvm", "libsvm")))


def normalise(header: str) -> str:
    """`Text/CSV; charset=utf-8` -> `text/csv`: lower case, spaces around `;` and the charset and q
    parameters dropped (`application/jsonlines; data=text` keeps its data parameter)."""
    parts = [part.strip() for part in header.lower().split(";")]
    return ";".join(p for p in parts if p and not p.startswith(("q=", "charset=")))


def media_of(header: str) -> MediaType | None:
    """The registered media type a Content-Type or Accept value names (aliases resolved; an unknown parameter
    falls back to the bare type), None when it names none."""
    norm = normalise(header)
    return MEDIA_TYPES.get(norm) or MEDIA_TYPES.get(norm.split(";", 1)[0])


def canonical(header: str) -> str:
    """The registered name of `header`'s media type, else `header` normalised (for messages and lookups)."""
    media = media_of(header)
    return media.name if media else normalise(header)


@lru_cache(maxsize=256)  # a client sends the same few headers again and again
def content_media(header: str) -> str:
    """A Content-Type's registered name, its parameters left out: they never change how a body is read
    (`application/jsonlines; data=text` is read as JSON Lines)."""
    return canonical(header.split(";", 1)[0])


def unsupported(content_type: str, supported: Iterable[str]) -> UnsupportedMediaType:
    """The one 415 wording: the type sent and the ones a model reads."""
    return UnsupportedMediaType(f"Content-Type {content_type or '(none)'!r} is not supported; "
                                f"use one of {', '.join(supported)}")


def decode_text(body: bytes) -> str:
    """UTF-8 text, a leading byte order mark dropped (as the utf-8-sig codec does, without its Python-level code)."""
    try:
        text = body.decode()
    except UnicodeDecodeError as exc:
        raise BadInput(f"request body is not valid UTF-8 (byte {exc.start})") from None
    return text[1:] if text[:1] == "\ufeff" else text


def read_csv(body: bytes) -> list[list[str]]:
    """All records of a CSV body (RFC 4180); blank lines are skipped."""
    text = decode_text(body)
    if '"' not in text and "\r" not in text and len(text) <= csv.field_size_limit():
        # no quoting, one line ending and no field over the csv module's limit: its answer, sooner
        return [line.split(",") for line in text.split("\n") if line]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return [rec for rec in reader if rec]
    except csv.Error as exc:
        raise BadInput(f"malformed CSV at line {reader.line_num}: {exc}") from None


def read_json(body: bytes | str, what: str = "request body") -> Any:
    text = decode_text(body) if isinstance(body, bytes) else body
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise BadInput(f"{what}: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal longer than Python's 4300-digit limit
        raise BadInput(f"{what} is not usable JSON: {exc}") from None


def read_jsonlines(body: bytes) -> list[Any]:
    """One JSON value per non-blank line (lines end with \n or \r\n only: U+2028 may sit inside a string)."""
    lines = decode_text(body).split("\n")
    return [read_json(line, f"line {i + 1}") for i, line in enumerate(lines) if line.strip()]


def format_number(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    return str(value)


def csv_line(values: Sequence[Any]) -> str:
    """One CSV record; numbers in Java form, text fields quoted only when needed."""
    if all(v.__class__ is float for v in values):  # the common case: a vector of doubles
        return ",".join(map(java_double, values))
    out = []
    for v in values:
        text = format_number(v)
        if isinstance(v, str) and any(ch in text for ch in ',"\r\n'):
            text = '"' + text.replace('"', '""') + '"'
        out.append(text)
    return ",".join(out)


_JACKSON_ESCAPES = {c: f"\\u{c:04X}" for c in range(32)} | {8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r",
                                                           34: '\\"', 92: "\\\\"}


def java_json(value: Any) -> str:
    """A JSON value as Jackson writes it in AWS's SparkML container: doubles in Java's `Double.toString`
    layout (`1.0E-4`, `1.0E7`; NaN and the infinities as the strings `"NaN"`, `"Infinity"`), text
    unescaped but for quotes, backslashes and control characters (upper-case hex), no spaces."""
    if isinstance(value, float):
        text = java_double(value)
        return text if text[-1].isdigit() else f'"{text}"'
    if isinstance(value, list):
        return f"[{','.join(map(java_json, value))}]"
    if isinstance(value, str):
        return f'"{value.translate(_JACKSON_ESCAPES)}"'
    if isinstance(value, dict):
        return "{" + ",".join(f"{java_json(str(k))}:{java_json(v)}" for k, v in value.items()) + "}"
    return format_number(value)  # booleans, integers


def java_jsonlines(key: str, values: Iterable[Any]) -> str:
    """`{"<key>":<value>}` per value, one per line, as AWS's SparkML container writes JSON Lines."""
    head = f"{{{java_json(key)}:"
    return "\n".join([f"{head}{java_json(v)}}}" for v in values])


def end_to_end(rows: list[list[Any]]) -> list[list[Any]]:
    """Output rows whose elements are vectors (Spark's Array[Vector], e.g. LSH hashes) with each row's vectors
    laid end to end, as AWS's container writes a tensor (its values in order); other rows as they are."""
    first = next((row for row in rows if row), None)
    if first is None or not isinstance(first[0], list):
        return rows
    return [[x for vector in row for x in vector] for row in rows]


def jsonlines(objects: Iterable[Any]) -> str:
    return "\n".join(json.dumps(o, separators=(",", ":")) for o in objects)
