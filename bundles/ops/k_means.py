"""k_means: Spark `KMeansModel`: the index of the closest cluster center (an integer column).

Attributes `cluster_centers` (list of tensors), `num_features`, `distance_measure` (our addition, written
only for "cosine"; absent: "euclidean"). Ports `features` -> `prediction`.
Exact, as Spark: Euclidean distances are `fastSquaredDistance` (|c|^2 + |x|^2 - 2 c.x with Spark's dot
product, or the plain squared distance when that bound is too loose), cosine distance is
1 - c.x / |c| / |x|; the first center with the smallest distance wins.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import PREDICTION, ModelOp, spark_shape
from jvm.linalg import JAVA11, DotWeights, fast_squared_distance, fast_squared_distance_row, norm_row, norms

MEASURES = ("euclidean", "cosine")


class Centers:
    """Cluster centers with Spark's distance to a batch or a row (`measure`: euclidean or cosine)."""

    def __init__(self, centers: list[np.ndarray], measure: str = "euclidean", center_norms: list[float] | None = None,
                 vector_lanes: int = JAVA11):
        if measure not in MEASURES:
            raise BundleError(f"distance measure must be one of {MEASURES}, not {measure!r}")
        self.measure = measure
        self.centers = [DotWeights(np.asarray(c, dtype=np.float64), vector_lanes=vector_lanes) for c in centers]
        self.norms = center_norms or [norm_row(c.row) for c in self.centers]

    def distances(self, matrix: np.ndarray, row_norms: np.ndarray, index: int) -> np.ndarray:
        center, norm = self.centers[index], self.norms[index]
        if self.measure == "cosine":
            with np.errstate(divide="ignore", invalid="ignore"):
                return 1 - center.dot(matrix) / norm / row_norms
        return fast_squared_distance(center, norm, matrix, row_norms)

    def distance_row(self, values: list[float], norm: float, index: int) -> float:
        center, center_norm = self.centers[index], self.norms[index]
        if self.measure == "cosine":
            if norm == 0.0 or center_norm == 0.0:
                raise TransformError("cosine distance is not defined for zero-length vectors")
            return 1 - center.dot_row(values) / center_norm / norm
        return fast_squared_distance_row(center, center_norm, values, norm)

    def closest(self, matrix: np.ndarray, candidates: list[int], row_norms: np.ndarray) -> np.ndarray:
        """Index (into `candidates`) of the first candidate at the smallest distance, per row."""
        best = np.zeros(len(matrix), dtype=np.int64)
        best_distance = np.full(len(matrix), np.inf)
        for position, index in enumerate(candidates):
            d = self.distances(matrix, row_norms, index)
            better = d < best_distance
            best = np.where(better, position, best)
            best_distance = np.where(better, d, best_distance)
        return best

    def closest_row(self, values: list[float], candidates: list[int], norm: float) -> int:
        best, best_distance = 0, float("inf")
        for position, index in enumerate(candidates):
            d = self.distance_row(values, norm, index)
            if d < best_distance:
                best, best_distance = position, d
        return best


class KMeans(ModelOp):
    op_name = "k_means"
    spark_classes = ("KMeansModel",)
    output_ports: ClassVar[tuple[str, ...]] = (PREDICTION,)
    sparse_features = True  # Spark measures a sparse point on its own branch of fastSquaredDistance

    def __init__(self, name: str, shape: Shape, centers: list[np.ndarray], measure: str = "euclidean",
                 vector_lanes: int = JAVA11):
        if not centers:
            raise BundleError(f"node {name!r}: k_means needs at least one cluster center")
        super().__init__(name, shape, len(centers[0]))
        self.cluster_centers = [np.asarray(c, dtype=np.float64) for c in centers]
        self.measure = measure
        self.model = Centers(self.cluster_centers, measure, vector_lanes=vector_lanes)
        self.all = list(range(len(centers)))

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> KMeans:
        return cls(name, shape, attrs.tensors("cluster_centers"), attrs.string("distance_measure", "euclidean"),
                   ctx.vector_lanes)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        attrs = {"cluster_centers": v.tensors(self.cluster_centers), "num_features": v.long(self.num_features)}
        if self.measure != "euclidean":
            attrs["distance_measure"] = v.string(self.measure)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), [c for c in stage.clusterCenters()],
                    stage.getDistanceMeasure(), ctx.vector_lanes)]

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        return {PREDICTION: self.model.closest(matrix, self.all, norms(matrix))}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        return {PREDICTION: self.model.closest_row(values, self.all, norm_row(values))}
