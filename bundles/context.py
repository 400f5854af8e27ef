"""The context every op reads, writes and converts itself in (as MLeap's `GraphSerializer(context)`).

An op never imports the node reader, writer or Spark converter: it asks its context for child nodes
(pipeline stages, ensemble trees, one-vs-rest models), which are stored in sub-folders of its node
folder. `bundles.graph` builds contexts and does the work; this module imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bundles.ops.base import Op, Shape

TARGETS = ("0.20", "0.9")  # MLeap runtime a written bundle must load in: 0.20 (AWS image 3.3), 0.9.6 (image 2.2)
DEFAULT_TARGET = "0.20"


class Graph(Protocol):
    """What a context delegates to (implemented by `bundles.graph`)."""

    def load_node(self, folder: Path, shape: Shape | None = None, parent: Context | None = None) -> Op: ...

    def save_node(self, op: Op, ctx: Context) -> None: ...

    def ops_from_spark(self, stage: Any, ctx: Context) -> list[Op]: ...


@dataclass(frozen=True)
class Context:
    """`folder`: the node's folder (reading, writing); `target`: MLeap version written; `schema`: the Spark
    StructType of the transformed sample (converting from Spark); `vector_lanes`: the summation order of the
    Spark the bundle came from, for ops that reproduce its BLAS (`jvm.linalg`: 0 = Java11BLAS, Spark 3.5's;
    else VectorBLAS's lane count, Spark 4's); `spark_version`: that Spark's version ("" when not recorded: 3.5),
    for ops whose Spark 4 semantics changed (see `bundles.provenance`)."""

    graph: Graph
    folder: Path = Path(".")
    target: str = DEFAULT_TARGET
    schema: Any = None
    vector_lanes: int = 0
    spark_version: str = ""

    def at(self, folder: Path) -> Context:
        return replace(self, folder=folder)

    def file(self, name: str) -> Path:
        """A file of this node besides model.json/node.json (e.g. `tree.json`)."""
        return self.folder / name

    def load_child(self, folder_name: str, shape: Shape | None = None) -> Op:
        """The child node stored in `folder_name` (`<name>.node`, `tree0`, `model0`) below this node.

        `shape`: the ports to give a child written as a bare model (MLeap's ModelSerializer writes
        one-vs-rest models and ensemble trees as `model.json` alone, with no `node.json`)."""
        return self.graph.load_node(self.folder / folder_name, shape, self)

    def store_child(self, op: Op, folder_name: str) -> None:
        self.graph.save_node(op, self.at(self.folder / folder_name))

    def from_spark(self, stage: Any) -> list[Op]:
        """The ops of a fitted PySpark stage (a child of a PipelineModel, an ensemble, a one-vs-rest model)."""
        return self.graph.ops_from_spark(stage, self)
