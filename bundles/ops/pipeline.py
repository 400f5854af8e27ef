"""pipeline: an ordered list of child nodes (`nodes`), each stored in `<name>.node/`; nests freely."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape


class Pipeline(Op):
    op_name = "pipeline"
    spark_classes = ("PipelineModel",)

    def __init__(self, name: str, stages: list[Op]):
        super().__init__(name, Shape([], []))
        self.stages = stages

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Pipeline:
        return cls(name, [ctx.load_child(f"{child}.node") for child in attrs.strings("nodes", [])])

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        names = [s.name for s in self.stages]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:  # each child is the folder `<name>.node`: a repeated name would overwrite the first
            raise BundleError(f"pipeline {self.name!r}: node names must be unique, repeated: {', '.join(twice)}")
        for stage in self.stages:
            ctx.store_child(stage, f"{stage.name}.node")
        return {"nodes": v.strings([s.name for s in self.stages])}, Shape([], [])

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, [op for s in stage.stages for op in ctx.from_spark(s)])]

    def transform(self, frame: Frame) -> None:
        for stage in self.stages:
            stage.transform(frame)

    def transform_row(self, row: dict[str, Any]) -> None:
        for stage in self.stages:
            stage.transform_row(row)

    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """Every leaf op's row function, called in order (nested pipelines flattened), as one generated function."""
        steps = {f"step{i}": op.row_function() for i, op in enumerate(self.flatten())}
        source = "def run(row):\n" + "".join(f"    {name}(row)\n" for name in steps) + "    return None\n"
        exec(compile(source, f"<pipeline {self.name}>", "exec"), steps)  # noqa: S102 - one call per leaf op
        return steps["run"]

    def flatten(self) -> list[Op]:
        return [op for s in self.stages for op in s.flatten()]
