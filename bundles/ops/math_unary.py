"""math_unary: one Java `Math` function of a double column, MLeap's `MathUnary` (an MLeap extension op).

Attribute `operation` (string: log, exp, sqrt, sin, cos, tan, abs, logit, floor, ceil, round); ports
`input`/`output`, both non-nullable doubles. Numerics as `jvm.java_math` (round gives
`Math.round` as a double; logit is an error outside [0, 1], as commons-math's `Logit`).
"""

from __future__ import annotations

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Shape
from bundles.ops.math_ops import UNARY, check_target
from bundles.ops.row_map import RowMapOp


class MathUnary(RowMapOp):
    op_name = "math_unary"
    input_kind = "number"
    input_struct = "basic"
    input_type = "double"
    output_kind = "number"

    def __init__(self, name: str, shape: Shape, operation: str):
        if operation not in UNARY:
            raise BundleError(f"node {name!r}: unknown math_unary operation {operation!r}; one of {sorted(UNARY)}")
        super().__init__(name, shape)
        self.operation = operation
        self.apply = UNARY[operation]  # type: ignore[method-assign]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MathUnary:
        return cls(name, shape, attrs.string("operation"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        check_target(self.name, self.operation, ctx.target)
        return {"operation": v.string(self.operation)}, self.shape
