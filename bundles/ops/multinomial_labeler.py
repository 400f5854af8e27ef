"""multinomial_labeler: the probabilities at or above a threshold and their labels, MLeap's
`MultinomialLabeler` (an MLeap extension op).

Attributes `threshold` (double) and `labels` (string list, label of each slot); input port `features`
(a vector), output ports `probabilities` (array of double) and `labels` (array of string), in slot
order: every slot i with x[i] >= threshold gives (x[i], labels[i]). A slot beyond the labels is an error.
"""

from __future__ import annotations

from typing import Any

from base.errors import InputError
from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.frame import Frame, object_column
from bundles.ops.base import Shape
from bundles.ops.vector_op import VectorOp
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix


class MultinomialLabeler(VectorOp):
    op_name = "multinomial_labeler"
    output_struct = "array"

    def __init__(self, name: str, shape: Shape, threshold: float, labels: list[str]):
        ports = dict(shape.outputs)
        if "features" not in dict(shape.inputs) or set(ports) != {"probabilities", "labels"}:
            raise BundleError(f"node {name!r}: multinomial_labeler takes port 'features' and outputs "
                              "'probabilities' and 'labels'")
        super().__init__(name, Shape.single(dict(shape.inputs)["features"], ports["probabilities"]))
        self.shape = Shape([("features", self.in_col)], [("probabilities", ports["probabilities"]),
                                                         ("labels", ports["labels"])])
        self.threshold = float(threshold)
        self.labels = list(labels)

    def output_type_of(self, column: str) -> str:
        return "string" if column == self.shape.output_cols[1] else "double"

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> MultinomialLabeler:
        return cls(name, shape, attrs.double("threshold", 0.0), attrs.strings("labels"))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"threshold": v.double(self.threshold), "labels": v.strings(self.labels)}, self.shape

    def _top(self, values: list[float]) -> tuple[list[float], list[str]]:
        kept = [(i, x) for i, x in enumerate(values) if x >= self.threshold]
        if kept and kept[-1][0] >= len(self.labels):
            raise InputError(f"slot {kept[-1][0]} has no label ({len(self.labels)} labels)")
        return [x for _, x in kept], [self.labels[i] for i, _ in kept]

    def dense_row(self, values: list[float]) -> tuple[list[float], list[str]]:
        return self._top(values)

    def sparse_row(self, vector: SparseVector) -> tuple[list[float], list[str]]:
        return self._top(vector.dense())

    def dense(self, matrix: Any) -> list[tuple[list[float], list[str]]]:
        return [self._top(row) for row in dense_matrix(matrix).tolist()]

    def sparse(self, matrix: SparseMatrix) -> list[tuple[list[float], list[str]]]:
        return self.dense(matrix)

    def put(self, frame: Frame, out: list[tuple[list[float], list[str]]]) -> None:
        probabilities, labels = self.shape.output_cols
        frame.columns[probabilities] = object_column([p for p, _ in out])
        frame.columns[labels] = object_column([ls for _, ls in out])

    def transform_row(self, row: dict[str, Any]) -> None:
        super().transform_row(row)
        probabilities, labels = self.shape.output_cols
        row[probabilities], row[labels] = row[probabilities]
