"""one_vs_rest: Spark `OneVsRestModel`: one binary classifier per class, in child nodes `model0` ... .

Attributes `num_classes`, `num_features`; each child is a classifier op (logistic regression, linear SVC,
trees, ...) loaded and written through the context. Ports `features` -> `raw_prediction` (when set: class
i's confidence is raw_prediction[1] of model i), `prediction` (the first class of highest confidence).
Exact when every child's raw prediction is. Spark 4 picks the class with `ml.functions.array_argmax`, which
passes over NaN confidences and answers -1 when none is above -inf (Spark 3.5: `DenseVector.argmax`); a
bundle from Spark 4 (`bundles.provenance`) does so too.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError
from bundles.ops.base import Op, Shape
from bundles.ops.model_op import FEATURES, PREDICTION, RAW_PREDICTION, Classifier, refuse_legacy_outputs, spark_shape
from bundles.provenance import spark_major
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix, dense_row


class OneVsRest(Classifier):
    op_name = "one_vs_rest"
    spark_classes = ("OneVsRestModel",)
    sparse_features = True  # each child takes the sparse column as is when it can (as Spark hands it on)

    def __init__(self, name: str, shape: Shape, models: list[Op], num_features: int | None = None,
                 array_argmax: bool = False):
        not_classifiers = [m.name for m in models if not isinstance(m, Classifier)]
        if not models or not_classifiers:
            raise BundleError(f"node {name!r}: one_vs_rest needs classifier child models "
                              f"(not: {', '.join(not_classifiers) or 'none given'})")
        super().__init__(name, shape, len(models), num_features)
        self.models: list[Classifier] = models  # type: ignore[assignment]
        self.array_argmax = array_argmax

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> OneVsRest:
        bare = Shape([(FEATURES, shape.input_cols[0])],
                     [(RAW_PREDICTION, "raw_prediction"), (PREDICTION, "prediction")])  # MLeap writes no node.json
        models = [ctx.load_child(f"model{i}", bare) for i in range(attrs.integer("num_classes"))]
        return cls(name, shape, models, attrs.integer("num_features", None), spark_major(ctx.spark_version) >= 4)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        refuse_legacy_outputs(self, ctx.target, (RAW_PREDICTION,))
        for i, model in enumerate(self.models):
            ctx.store_child(model, f"model{i}")
        attrs = {"num_classes": v.long(self.num_classes)}
        if self.num_features is not None:
            attrs["num_features"] = v.long(self.num_features)
        return attrs, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        models = [op for model in stage.models for op in ctx.from_spark(model)]
        return [cls(stage.uid, spark_shape(stage, cls.output_ports), models, stage.models[0].numFeatures,
                    spark_major(ctx.spark_version) >= 4)]

    def raw(self, matrix: np.ndarray | SparseMatrix) -> np.ndarray:
        dense = None if not isinstance(matrix, SparseMatrix) else dense_matrix(matrix) if not all(
            m.sparse_features for m in self.models) else matrix
        return np.column_stack([m.raw(matrix if m.sparse_features else dense)[:, 1] for m in self.models])

    def raw_row(self, values: list[float] | SparseVector) -> list[float]:
        dense = dense_row(values) if isinstance(values, SparseVector) else values
        return [m.raw_row(values if m.sparse_features else dense)[1] for m in self.models]

    def raw_to_prediction(self, raw: np.ndarray) -> np.ndarray:
        if not self.array_argmax:
            return super().raw_to_prediction(raw)
        clean = np.where(np.isnan(raw), -np.inf, raw)
        index = np.argmax(clean, axis=1).astype(np.float64)  # the first greatest, as its strict > keeps
        index[~(clean > -np.inf).any(axis=1)] = -1.0
        return index

    def raw_to_prediction_row(self, raw: list[float]) -> float:
        if not self.array_argmax:
            return super().raw_to_prediction_row(raw)
        best, best_value = -1, -math.inf
        for i, x in enumerate(raw):
            if x > best_value:  # NaN never is
                best, best_value = i, x
        return float(best)
