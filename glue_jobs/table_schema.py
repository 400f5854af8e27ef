"""The raw CSV's description: column names and types, which one is the label, whether there is a header.

JSON form (see `schema/abalone.json`):
`{"columns": [{"name": "sex", "type": "string"}, ...], "label": "rings", "header": false}`.
String columns are categorical; numeric ones (double, float, int, long) are passed through as doubles.
A string label makes the run a classification (see glue_jobs.labels).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

NUMERIC_TYPES = ("double", "float", "int", "integer", "long", "short")
TYPES = ("string", *NUMERIC_TYPES)


class InputError(Exception):
    """Bad input (schema, data or arguments): the message names the column and the file.

    `problems` lists every problem found in one pass (the message joins them, one per line)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]

    @classmethod
    def of(cls, problems: list[str]) -> InputError:
        if len(problems) == 1:
            return cls(problems[0])
        return cls(f"{len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems), problems)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "string" or one of NUMERIC_TYPES

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass(frozen=True)
class TableSchema:
    columns: tuple[Column, ...]
    label: str
    header: bool = False

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise InputError(f"column {name!r} is not in the schema (columns: {', '.join(self.names)})")

    def features(self) -> tuple[list[str], list[str]]:
        """(categorical, numeric) feature columns in schema order, label excluded."""
        cats = [c.name for c in self.columns if c.name != self.label and not c.numeric]
        nums = [c.name for c in self.columns if c.name != self.label and c.numeric]
        return cats, nums


def parse_schema(doc: dict, source: str, label: str | None = None) -> TableSchema:
    """Validate a schema document; `label` overrides the document's label."""
    if not isinstance(doc, dict) or not isinstance(doc.get("columns"), list) or not doc["columns"]:
        raise InputError(f"{source}: a schema needs a non-empty \"columns\" list")
    columns = []
    for i, col in enumerate(doc["columns"]):
        if not isinstance(col, dict) or not isinstance(col.get("name"), str) or not col["name"]:
            raise InputError(f"{source}: columns[{i}] needs a \"name\"")
        ctype = str(col.get("type", "string")).lower()
        if ctype not in TYPES:
            raise InputError(f"{source}: column {col['name']!r} has type {ctype!r}; use one of {', '.join(TYPES)}")
        columns.append(Column(col["name"], ctype))
    names = [c.name for c in columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"{source}: column names appear twice: {', '.join(dupes)}")
    label = label or doc.get("label")
    if not label:
        raise InputError(f"{source}: no label column (set \"label\" in the schema or pass --label)")
    if label not in names:
        raise InputError(f"{source}: label column {label!r} is not in the schema (columns: {', '.join(names)})")
    return TableSchema(tuple(columns), label, bool(doc.get("header", False)))


def load_schema(uri: str, label: str | None = None) -> TableSchema:
    """Read a schema JSON file from a local path or S3."""
    from base import storage

    try:
        doc = json.loads(storage.read_text(uri))
    except storage.StorageError as exc:
        raise InputError(f"schema file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{uri}: not valid JSON ({exc})") from None
    return parse_schema(doc, uri, label)
