"""pipeline: an ordered list of child nodes (`nodes`), each stored in `<name>.node/`; nests freely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bundles import values as v
from bundles.frame import Frame
from bundles.ops.base import Op, Shape


class Pipeline(Op):
    op_name = "pipeline"
    spark_classes = ("PipelineModel",)

    def __init__(self, name: str, stages: list[Op]):
        super().__init__(name, Shape([], []))
        self.stages = stages

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, folder: Path) -> Pipeline:
        from bundles.graph import load_node

        return cls(name, [load_node(folder / f"{child}.node") for child in attrs.strings("nodes", [])])

    def store(self, target: str) -> tuple[dict[str, dict], Shape]:
        return {"nodes": v.strings([s.name for s in self.stages])}, Shape([], [])

    @classmethod
    def from_spark(cls, stage: Any, schema: Any, target: str) -> list[Op]:
        from bundles.spark import ops_from_spark

        return [cls(stage.uid, [op for s in stage.stages for op in ops_from_spark(s, schema, target)])]

    def transform(self, frame: Frame) -> None:
        for stage in self.stages:
            stage.transform(frame)

    def transform_row(self, row: dict[str, Any]) -> None:
        for stage in self.stages:
            stage.transform_row(row)

    def flatten(self) -> list[Op]:
        return [op for s in self.stages for op in s.flatten()]
