"""string_map: string -> double from a fixed table, MLeap's `StringMap` (an MLeap extension op).

Attributes `labels` (string list), `values` (double list, parallel), `handle_invalid` ("error" or
"keep") and `default_value` (double, the answer for a missing label with keep). Error text as MLeap's.
MLeap 0.9.6 reads neither (a missing label is always an error): `--target 0.9` refuses keep.
"""

from __future__ import annotations

from typing import Any

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Shape
from bundles.ops.row_map import RowMapOp


class StringMap(RowMapOp):
    op_name = "string_map"
    input_kind = "text"
    input_struct = "basic"
    output_kind = "number"

    def __init__(self, name: str, shape: Shape, labels: list[str], values: list[float],
                 handle_invalid: str = "error", default_value: float = 0.0):
        super().__init__(name, shape)
        if len(labels) != len(values) or handle_invalid not in ("error", "skip", "keep"):
            raise BundleError(f"node {name!r}: string_map needs as many values as labels and a valid handle_invalid")
        self.labels, self.values = list(labels), [float(x) for x in values]
        self.handle_invalid, self.default_value = handle_invalid, float(default_value)
        self._table = dict(zip(self.labels, self.values, strict=True))

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> StringMap:
        return cls(name, shape, attrs.strings("labels"), attrs.doubles("values"),
                   attrs.string("handle_invalid", "error"), attrs.double("default_value", 0.0))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9" and self.handle_invalid != "error":
            raise BundleError(f"node {self.name!r}: MLeap 0.9's string_map has no handle_invalid (a missing label "
                              f"is always an error), so handle_invalid={self.handle_invalid!r} cannot be written "
                              "for target 0.9; write target 0.20")
        attrs = {"labels": v.strings(self.labels), "values": v.doubles(self.values),
                 "handle_invalid": v.string(self.handle_invalid), "default_value": v.double(self.default_value)}
        return attrs, self.shape

    def warm_up_input(self, column: str) -> Any:
        return self.labels[0] if self.labels else None

    def apply(self, value: str) -> float:
        out = self._table.get(value)
        if out is not None:
            return out
        if self.handle_invalid == "keep":
            return self.default_value
        raise InputError(f"Missing label: {value}. To handle unseen labels, set handleInvalid to keep "
                         "and optionally set a custom defaultValue")
