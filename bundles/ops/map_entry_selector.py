"""map_entry_selector: the value of a map column at a key column, else a default, MLeap's
`MapEntrySelector` (an MLeap extension op).

Attributes `key_type` and `value_type` (basic types; keys are strings, values one of double, float,
long, int, short, byte, boolean, string) and `default_value` (a value of `value_type`); ports `input`
(the map: a Python dict per row), `key` (a string) and `output`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame, object_column
from bundles.ops.base import Op, Shape

VALUE_TYPES = {"double": ("double", float), "float": ("float", float), "long": ("long", int), "int": ("int", int),
               "short": ("int", int), "byte": ("int", int), "boolean": ("boolean", bool), "string": ("string", str)}
DTYPES = {"double": np.float64, "float": np.float32, "long": np.int64, "int": np.int32, "short": np.int16,
          "byte": np.int8, "boolean": np.bool_}


class MapEntrySelector(Op):
    op_name = "map_entry_selector"
    input_struct = "map"

    def __init__(self, name: str, shape: Shape, value_type: str, default: Any, key_type: str = "string"):
        if key_type != "string" or value_type not in VALUE_TYPES:
            raise BundleError(f"node {name!r}: map_entry_selector supports string keys and values of "
                              f"{sorted(VALUE_TYPES)}, got {key_type} -> {value_type}")
        ports = dict(shape.inputs)
        if set(ports) != {"input", "key"}:
            raise BundleError(f"node {name!r}: map_entry_selector takes ports 'input' and 'key'")
        super().__init__(name, Shape([("input", ports["input"]), ("key", ports["key"])],
                                     [("output", shape.output_cols[0])]))
        self.key_type, self.value_type = key_type, value_type
        self.default = VALUE_TYPES[value_type][1](default)
        self.output_struct = "basic"
        self.output_type = value_type  # a serving-schema type too

    def input_struct_of(self, column: str) -> str:
        return "map" if column == self.shape.input_cols[0] else "basic"

    def input_type_of(self, column: str) -> str:
        """The key column is a string; the map column's schema type is its values' type (keys are strings)."""
        return "string" if column == self.shape.input_cols[1] else self.value_type

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MapEntrySelector:
        value_type = attrs.raw.get("value_type", {}).get("basic_type", "double")
        key_type = attrs.raw.get("key_type", {}).get("basic_type", "string")
        raw = attrs.raw.get("default_value", {})
        key, cast = VALUE_TYPES.get(value_type, ("double", float))
        default = raw.get(key, cast())
        return cls(name, shape, value_type, default, key_type)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9":
            raise BundleError(f"node {self.name!r}: MLeap 0.9 has no map_entry_selector op; write target 0.20")
        key, _ = VALUE_TYPES[self.value_type]
        encode = {"double": v.double, "float": v.double, "long": v.long, "int": v.integer, "boolean": v.boolean,
                  "string": v.string}[key]
        default = encode(self.default)
        if key == "float" and default:
            default = {"float": default["double"]}
        return {"key_type": {"basic_type": self.key_type}, "value_type": {"basic_type": self.value_type},
                "default_value": default}, self.shape

    def select(self, mapping: Any, key: Any) -> Any:
        if mapping is None or not hasattr(mapping, "get"):
            raise InputError("expected a map" if mapping is not None else "null map")
        value = mapping.get(key, self.default)
        return self.default if value is None else value

    def transform_row(self, row: dict[str, Any]) -> None:
        map_col, key_col = self.shape.input_cols
        try:
            row[self.shape.output_cols[0]] = self.select(row[map_col], row[key_col])
        except ValueError as exc:
            raise TransformError(str(exc), column=map_col) from None

    def transform(self, frame: Frame) -> None:
        map_col, key_col = self.shape.input_cols
        maps, keys = frame.column(map_col), frame.column(key_col)
        out = []
        for i in range(len(frame)):
            try:
                out.append(self.select(maps[i], keys[i]))
            except ValueError as exc:
                raise frame.error(i, map_col, str(exc)) from None
        dtype = DTYPES.get(self.value_type)
        frame.columns[self.shape.output_cols[0]] = np.array(out, dtype=dtype) if dtype else object_column(out)
