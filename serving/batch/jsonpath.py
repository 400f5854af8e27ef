"""The JSONPath subset of SageMaker's InputFilter/OutputFilter: `$`, `.name`, `.*`, `[*]`,
`['a','b']`, `[n,m]` (negative n counts from the end) and `[a:b]` slices, mixed in one bracket (`$[0,5:]`).

Slices are INCLUSIVE of their end, unlike Python: `$[1:4]` is the 2nd through 5th element and `$[:5]`
the 1st through 6th. That is what the SageMaker developer guide states in its own examples; we follow the
documentation so a job tested here means what the docs say (it is not confirmed against the service).

Steps apply in turn to the value the previous step produced. One name or one index selects that value;
several names give an object with those keys (in the order asked); several indexes or any slice give a list.
An index or slice end outside the value is an error, as SageMaker's is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MAX_LENGTH = 63
_NAME = r"[A-Za-z_][A-Za-z0-9_\-]*"
_STEP = re.compile(rf"\.(?P<dot>{_NAME}|\*)|\[(?P<bracket>[^\]]*)\]")
_QUOTED = re.compile(r"\s*'([^']*)'\s*")
_INDEX = re.compile(r"\s*(-?\d+)\s*")
_SLICE = re.compile(r"\s*(-?\d+)?\s*:\s*(-?\d+)?\s*")


class JsonPathError(ValueError):
    """A path outside the subset, or a path that does not fit the record it is applied to."""


@dataclass(frozen=True)
class Step:
    kind: str  # "names" | "indexes" | "all"
    items: tuple[Any, ...] = ()  # names, or ints and (start, end) slices

    @property
    def single(self) -> bool:
        return len(self.items) == 1 and not isinstance(self.items[0], tuple)


@dataclass(frozen=True)
class JsonPath:
    text: str
    steps: tuple[Step, ...]

    @property
    def index_only(self) -> bool:
        """True for paths CSV rows accept: `$` and index/slice brackets only."""
        return all(s.kind == "indexes" for s in self.steps)

    @property
    def identity(self) -> bool:
        return not self.steps

    def apply(self, value: Any) -> Any:
        for step in self.steps:
            value = _apply(step, value, self.text)
        return value


@lru_cache(maxsize=64)
def parse(text: str) -> JsonPath:
    """The parsed path; JsonPathError naming the part that is not in the subset."""
    if len(text) > MAX_LENGTH:
        raise JsonPathError(f"{text[:20]!r}...: longer than {MAX_LENGTH} characters")
    if not text.startswith("$"):
        raise JsonPathError(f"{text!r}: must start with $")
    steps, pos = [], 1
    while pos < len(text):
        match = _STEP.match(text, pos)
        if not match:
            raise JsonPathError(f"{text!r}: unsupported syntax at position {pos} ({text[pos:]!r})")
        if match.group("dot") is not None:
            dot = match.group("dot")
            steps.append(Step("all") if dot == "*" else Step("names", (dot,)))
        else:
            steps.append(_bracket(match.group("bracket"), text))
        pos = match.end()
    return JsonPath(text, tuple(steps))


def _bracket(inner: str, text: str) -> Step:
    if inner.strip() == "*":
        return Step("all")
    parts = inner.split(",")
    if all(_QUOTED.fullmatch(p) for p in parts):
        return Step("names", tuple(_QUOTED.fullmatch(p).group(1) for p in parts))
    items: list[Any] = []
    for part in parts:
        if m := _INDEX.fullmatch(part):
            items.append(int(m.group(1)))
        elif m := _SLICE.fullmatch(part):
            items.append((_int_or_none(m.group(1)), _int_or_none(m.group(2))))
        else:
            raise JsonPathError(f"{text!r}: [{inner}] is neither quoted names nor indexes/slices")
    return Step("indexes", tuple(items))


def _int_or_none(text: str | None) -> int | None:
    return None if text is None else int(text)


def _apply(step: Step, value: Any, text: str) -> Any:
    if step.kind == "all":
        if isinstance(value, dict):
            return list(value.values())
        if isinstance(value, list):
            return list(value)
        raise JsonPathError(f"{text}: * applied to a {type(value).__name__}, not an object or array")
    if step.kind == "names":
        if not isinstance(value, dict):
            raise JsonPathError(f"{text}: names applied to a {type(value).__name__}, not an object")
        missing = [n for n in step.items if n not in value]
        if missing:
            raise JsonPathError(f"{text}: the record has no attribute {missing[0]!r}")
        return value[step.items[0]] if step.single else {n: value[n] for n in step.items}
    if not isinstance(value, list):
        raise JsonPathError(f"{text}: indexes applied to a {type(value).__name__}, not an array")
    positions = [p for item in step.items for p in _positions(item, len(value), text)]
    return value[positions[0]] if step.single else [value[p] for p in positions]


def _positions(item: int | tuple[int | None, int | None], size: int, text: str) -> range | list[int]:
    """The 0-based positions an index or an inclusive slice selects in a value of `size` elements."""
    if isinstance(item, int):
        return [_normalised(item, size, text)]
    start, end = item
    first = 0 if start is None else _normalised(start, size, text)
    last = size - 1 if end is None else _normalised(end, size, text)
    return range(first, last + 1)


def _normalised(index: int, size: int, text: str) -> int:
    position = index + size if index < 0 else index
    if not 0 <= position < size:
        raise JsonPathError(f"{text}: index {index} is outside the record's {size} elements")
    return position
