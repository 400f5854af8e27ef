"""math_binary: a Java arithmetic of two double columns (or a column and a constant), MLeap's `MathBinary`
(an MLeap extension op).

Attributes `operation` (string: add, sub, mul, div, rem, log_n, pow, min, max) and the optional
constants `da` / `db` (doubles) used when port `input_a` / `input_b` is absent; output port `output`.
Note a constant of 0.0 is written as `{}` and still present. Numerics as `jvm.java_math`
(`log_n` is log(a) / log(b); `rem` is Java's `%`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape
from bundles.ops.math_ops import BINARY, check_target
from bundles.ops.row_map import number_value

PORTS = ("input_a", "input_b")


class MathBinary(Op):
    op_name = "math_binary"
    input_struct = "basic"
    output_struct = "basic"

    def __init__(self, name: str, shape: Shape, operation: str, da: float | None = None, db: float | None = None):
        if operation not in BINARY:
            raise BundleError(f"node {name!r}: unknown math_binary operation {operation!r}; one of {sorted(BINARY)}")
        ports = dict(shape.inputs)
        if any(p not in PORTS for p in ports) or len(shape.outputs) != 1:
            raise BundleError(f"node {name!r}: math_binary takes ports {PORTS} and one output")
        self.columns = {p: ports.get(p) for p in PORTS}
        self.constants = {"input_a": da, "input_b": db}
        for port, column in self.columns.items():
            if column is None and self.constants[port] is None:
                raise BundleError(f"node {name!r}: math_binary has neither port {port!r} nor its constant")
        super().__init__(name, Shape([(p, c) for p, c in self.columns.items() if c is not None],
                                     [("output", shape.output_cols[0])]))
        self.operation = operation
        self.function = BINARY[operation]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MathBinary:
        return cls(name, shape, attrs.string("operation"), attrs.double("da", None), attrs.double("db", None))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        check_target(self.name, self.operation, ctx.target)
        attrs = {"operation": v.string(self.operation)}
        for key, port in (("da", "input_a"), ("db", "input_b")):
            if self.constants[port] is not None:
                attrs[key] = v.double(self.constants[port])
        return attrs, self.shape

    def _operands(self, get) -> list[Any]:
        return [get(c) if c is not None else self.constants[p] for p, c in self.columns.items()]

    def transform_row(self, row: dict[str, Any]) -> None:
        a, b = self._operands(lambda c: number_value(row[c], c))
        try:
            row[self.shape.output_cols[0]] = self.function(float(a), float(b))
        except ValueError as exc:
            raise TransformError(str(exc), column=",".join(self.shape.input_cols)) from None

    def transform(self, frame: Frame) -> None:
        def column(name: str) -> list[float]:
            values = frame.column(name)
            if isinstance(values, np.ndarray) and values.dtype != object and values.ndim == 1:
                return values.astype(np.float64).tolist()
            out = []
            for i, value in enumerate(values):
                try:
                    out.append(number_value(value, name))
                except TransformError as exc:
                    raise frame.error(i, name, exc.reason) from None
            return out

        a, b = self._operands(column)
        n = len(frame)
        a = a if isinstance(a, list) else [float(a)] * n
        b = b if isinstance(b, list) else [float(b)] * n
        frame.columns[self.shape.output_cols[0]] = np.fromiter(map(self.function, a, b), dtype=np.float64, count=n)
