"""bisecting_k_means: Spark `BisectingKMeansModel`: descend the cluster tree to a leaf (its index).

No attributes: the tree is in the node's `tree.json` (one JSON object a line, pre-order:
{"index", "norm", "values", "numChildren"}; internal nodes have negative indices) or `tree.pb` (each node
a 4-byte big-endian length then an `ml.bundle.ctree.Node`: uint32 index = 1, double norm = 2, repeated
double values = 3, uint32 num_children = 4). We write `tree.json`. `distance_measure` is our addition
("cosine" only; absent: "euclidean"). Ports `features` -> `prediction` (an integer column).
Exact, as Spark: at each node the child at the smallest distance (`k_means.Centers`, the stored norms)
wins, the first on ties. Spark picks it with Scala's `minBy`: Spark 3.5 (Scala 2.12) compares with IEEE `<`, so a
NaN distance of the first child keeps it; Spark 4 (Scala 2.13) with `java.lang.Double.compare`, where NaN is the
largest value and -0.0 < 0.0. The bundle's Spark record (`Context.spark_version`) picks the order.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles import protobuf as pb
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.k_means import Centers
from bundles.ops.model_op import PREDICTION, ModelOp, spark_shape
from bundles.provenance import spark_major
from jvm.linalg import JAVA11, norm_row, norms


@dataclass
class ClusterNode:
    index: int
    norm: float
    values: list[float]
    children: list[ClusterNode] = field(default_factory=list)


def parse_pb_node(data: bytes) -> tuple[int, float, list[float], int]:
    """(index, norm, values, num_children) of one serialized `ml.bundle.ctree.Node` (the index a uint32
    holding a negative int for internal nodes)."""
    node = pb.fields(data)
    return pb.int32(node, 1), pb.double(node, 2), pb.doubles(node, 3), int(pb.first(node, 4, 0))


def read_tree(folder: Path) -> ClusterNode:
    """The cluster tree of a node folder, from `tree.json` or `tree.pb`."""
    if (folder / "tree.json").is_file():
        lines = (folder / "tree.json").read_text(encoding="utf-8").splitlines()
        records = []
        for line in lines:
            if line.strip():
                node = json.loads(line)
                records.append((int(node["index"]), float(node.get("norm", 0.0)),
                                [float(x) for x in node.get("values", [])], int(node.get("numChildren", 0))))
    elif (folder / "tree.pb").is_file():
        records = []
        for message in pb.length_prefixed(folder / "tree.pb"):
            try:
                records.append(parse_pb_node(message))
            except (ValueError, struct.error) as exc:
                raise BundleError(f"{folder / 'tree.pb'}: node {len(records)}: {exc}") from None
    else:
        raise BundleError(f"{folder}: bisecting_k_means needs tree.json or tree.pb")
    nodes = iter(records)

    def build() -> ClusterNode:
        try:
            index, norm, values, count = next(nodes)
        except StopIteration:
            raise BundleError(f"{folder}: the cluster tree ends early") from None
        return ClusterNode(index, norm, values, [build() for _ in range(count)])

    return build()


def write_tree(root: ClusterNode, path: Path) -> None:
    lines = []

    def visit(node: ClusterNode) -> None:
        lines.append(json.dumps({"index": node.index, "norm": node.norm, "values": node.values,
                                 "numChildren": len(node.children)}, separators=(",", ":")))
        for child in node.children:
            visit(child)

    visit(root)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def from_spark_node(node: Any) -> ClusterNode:
    """A ClusterNode from Spark's (JVM) `ClusteringTreeNode`."""
    center = node.centerWithNorm()
    return ClusterNode(int(node.index()), float(center.norm()), list(center.vector().toArray()),
                       [from_spark_node(c) for c in node.children()])


class BisectingKMeans(ModelOp):
    op_name = "bisecting_k_means"
    spark_classes = ("BisectingKMeansModel",)
    output_ports: ClassVar[tuple[str, ...]] = (PREDICTION,)
    sparse_features = True  # Spark measures a sparse point on its own branch of fastSquaredDistance

    def __init__(self, name: str, shape: Shape, root: ClusterNode, measure: str = "euclidean",
                 vector_lanes: int = JAVA11, total_order: bool = False):
        super().__init__(name, shape, len(root.values) or None)
        self.root, self.measure, self.total_order = root, measure, total_order
        self.nodes: list[ClusterNode] = []
        self._collect(root)
        self.centers = Centers([np.array(n.values) for n in self.nodes], measure, [n.norm for n in self.nodes],
                               vector_lanes)
        self.position = {id(n): i for i, n in enumerate(self.nodes)}

    def _collect(self, node: ClusterNode) -> None:
        self.nodes.append(node)
        for child in node.children:
            self._collect(child)

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> BisectingKMeans:
        return cls(name, shape, read_tree(ctx.folder), attrs.string("distance_measure", "euclidean"), ctx.vector_lanes,
                   spark_major(ctx.spark_version) >= 4)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        write_tree(self.root, ctx.file("tree.json"))
        return ({"distance_measure": v.string(self.measure)} if self.measure != "euclidean" else {}), self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        java = stage._java_obj
        holder = java.getClass().getDeclaredField("org$apache$spark$ml$clustering$BisectingKMeansModel$$parentModel")
        holder.setAccessible(True)
        root = from_spark_node(holder.get(java).root())
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), root, stage.getDistanceMeasure(),
                    ctx.vector_lanes, spark_major(ctx.spark_version) >= 4)]

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        row_norms = norms(matrix)
        result = np.zeros(len(matrix), dtype=np.int64)
        pending = [(self.root, np.arange(len(matrix)))]
        while pending:
            node, rows = pending.pop()
            if not node.children or not len(rows):
                result[rows] = node.index
                continue
            choice = self._closest(matrix[rows], node, row_norms[rows])
            pending.extend((child, rows[choice == k]) for k, child in enumerate(node.children))
        return {PREDICTION: result}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        norm, node = norm_row(values), self.root
        while node.children:
            distances = [self.centers.distance_row(values, norm, self.position[id(c)]) for c in node.children]
            best = 0
            for k in range(1, len(distances)):
                if self._less_row(distances[k], distances[best]):
                    best = k
            node = node.children[best]
        return {PREDICTION: node.index}

    def _closest(self, matrix: np.ndarray, node: ClusterNode, row_norms: np.ndarray) -> np.ndarray:
        """Per row, the position of the child `minBy` picks: the first, replaced by each later one that is less."""
        best = np.zeros(len(matrix), dtype=np.int64)
        best_distance = self.centers.distances(matrix, row_norms, self.position[id(node.children[0])])
        for k, child in enumerate(node.children[1:], start=1):
            d = self.centers.distances(matrix, row_norms, self.position[id(child)])
            less = d < best_distance
            if self.total_order:  # java.lang.Double.compare: NaN above everything, -0.0 below 0.0
                less |= (~np.isnan(d) & np.isnan(best_distance)) | (
                    (d == 0.0) & (best_distance == 0.0) & np.signbit(d) & ~np.signbit(best_distance))
            best = np.where(less, k, best)
            best_distance = np.where(less, d, best_distance)
        return best

    def _less_row(self, a: float, b: float) -> bool:
        if not self.total_order:
            return a < b
        if a != a:
            return False
        if b != b or a < b:
            return True
        return a == b == 0.0 and math.copysign(1.0, a) < 0 < math.copysign(1.0, b)
