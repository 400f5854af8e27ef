"""Shared base of the model ops: a `features` vector in, Spark's prediction columns out.

Ports are MLeap's (`NodeShape.regression` / `probabilisticClassifier` / `probabilisticCluster`): input
`features`; outputs, each present only when the Spark model had that column set (non-empty), in this
order: `raw_prediction` (vector, numClasses), `probability` (vector), `prediction` (double). Subclasses add
ports of their own (GLR `link_prediction`, AFT `quantiles`).

The classifier transforms follow Spark's `ProbabilisticClassificationModel.transform` (3.5) branch by
branch, not MLeap's (which differ at the decision boundary): with a raw column, probability =
raw2probability(raw) and prediction = raw2prediction(raw); with only a probability column, prediction =
probability2prediction(probability); with neither, prediction = predict(features). Thresholds: the class
with the largest probability / threshold wins (first on ties); a zero threshold makes its class win
(p / 0 = +inf) unless that class has probability 0 (0 / 0 = NaN, never chosen), as Spark does.

Columnar hooks take and return NumPy arrays (rows first); row hooks take and return lists of floats.
Both must do the same float64 operations in the same order, so a row equals its columnar result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from bundles import attributes as v
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame, as_float_matrix
from bundles.ops.base import Op, Shape, vector_input
from jvm.vectors import SparseMatrix, SparseVector

FEATURES = "features"
PREDICTION = "prediction"
RAW_PREDICTION = "raw_prediction"
PROBABILITY = "probability"

# Bundle port -> the PySpark param naming its column.
SPARK_PARAMS = {
    FEATURES: "featuresCol",
    PREDICTION: "predictionCol",
    RAW_PREDICTION: "rawPredictionCol",
    PROBABILITY: "probabilityCol",
    "link_prediction": "linkPredictionCol",
    "quantiles": "quantilesCol",
}


def spark_shape(stage: Any, ports: tuple[str, ...]) -> Shape:
    """The node shape of a fitted Spark model: `features` in; each of `ports` whose column is set, in order."""
    outputs = []
    for port in ports:
        param = SPARK_PARAMS[port]
        if stage.hasParam(param) and stage.isDefined(param) and stage.getOrDefault(param):
            outputs.append((port, stage.getOrDefault(param)))
    return Shape([(FEATURES, stage.getOrDefault("featuresCol"))], outputs)


def refuse_legacy_outputs(op: Op, target: str, missing: tuple[str, ...]) -> None:
    """A writer error when `target` is MLeap 0.9 and `op` outputs a port its 0.9.6 op lacks (`missing`): MLeap
    0.9.6 fails on load with "invalid fields"; unset those columns in Spark or write target 0.20."""
    found = [f"{port} ({column!r})" for port, column in op.shape.outputs if port in missing]
    if target == "0.9" and found:
        raise BundleError(f"node {op.name!r}: MLeap 0.9 {op.op_name} has no {', '.join(found)} output; "
                          "unset that column in Spark or write target 0.20")


def spark_argmax(matrix: np.ndarray) -> np.ndarray:
    """Spark `DenseVector.argmax` per row, as float64: first maximum; NaN never wins unless it is first."""
    clean = np.where(np.isnan(matrix), -np.inf, matrix)
    index = np.argmax(clean, axis=1)
    index[np.isnan(matrix[:, 0])] = 0
    return index.astype(np.float64)


def spark_argmax_row(values: list[float]) -> float:
    best, best_value = 0, values[0]
    for i in range(1, len(values)):
        if values[i] > best_value:
            best, best_value = i, values[i]
    return float(best)


def thresholded_argmax(probability: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Spark `probability2prediction` with thresholds: argmax of p / t (p/0 = +inf, 0/0 = NaN never wins)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = probability / thresholds
    scaled = np.where(np.isnan(scaled), -np.inf, scaled)
    return np.argmax(scaled, axis=1).astype(np.float64)  # ties and all -inf: the first, as Spark's loop


def thresholded_argmax_row(probability: list[float], thresholds: list[float]) -> float:
    best, best_value = 0, -math.inf
    for i, (p, t) in enumerate(zip(probability, thresholds, strict=True)):
        scaled = p / t if t != 0.0 else (math.nan if p == 0.0 or math.isnan(p)
                                         else math.copysign(math.inf, p) * math.copysign(1.0, t))
        if scaled > best_value:
            best, best_value = i, scaled
    return float(best)


class ModelOp(Op):
    """A model node: one `features` vector column in, the columns of `output_ports` out (those in the shape).

    Subclasses implement `outputs(matrix, ports)` and `outputs_row(values, ports)`: the values of the asked
    ports (a dict port -> array of rows / plain value)."""

    output_ports: ClassVar[tuple[str, ...]] = (PREDICTION,)
    input_struct: ClassVar[str] = "vector"
    output_struct: ClassVar[str] = "basic"
    vector_ports: ClassVar[frozenset[str]] = frozenset({RAW_PREDICTION, PROBABILITY, "quantiles"})
    sparse_features: ClassVar[bool] = False  # True: `outputs` takes a SparseMatrix (rows) / SparseVector as is

    def __init__(self, name: str, shape: Shape, num_features: int | None = None):
        inputs = dict(shape.inputs)
        if FEATURES not in inputs:
            raise BundleError(f"node {name!r}: {self.op_name} needs an input port 'features'")
        unknown = [p for p, _ in shape.outputs if p not in self.output_ports]
        if unknown:
            raise BundleError(f"node {name!r}: {self.op_name} has no output port {unknown[0]!r} "
                              f"(ports: {', '.join(self.output_ports)})")
        if not shape.outputs:
            raise BundleError(f"node {name!r}: {self.op_name} has no output column")
        ordered = [(p, c) for p in self.output_ports for q, c in shape.outputs if q == p]
        super().__init__(name, Shape([(FEATURES, inputs[FEATURES])], ordered))
        self.features_col = inputs[FEATURES]
        self.ports = tuple(p for p, _ in ordered)
        self.columns = dict(ordered)
        self.num_features = None if num_features is None or num_features < 0 else int(num_features)

    @property
    def prediction_col(self) -> str | None:
        return self.columns.get(PREDICTION)

    def output_struct_of(self, column: str) -> str:
        port = next(p for p, c in self.shape.outputs if c == column)
        return "vector" if port in self.vector_ports else "basic"

    # input
    def features(self, frame: Frame) -> np.ndarray | SparseMatrix:
        column = frame.column(self.features_col)
        if self.sparse_features and isinstance(column, SparseMatrix):
            self._check_size(column.size)
            return column
        matrix = as_float_matrix(column, self.features_col, frame)
        self._check_size(matrix.shape[1])
        return matrix

    def features_row(self, row: dict[str, Any]) -> list[float] | SparseVector:
        if self.sparse_features and isinstance(row[self.features_col], SparseVector):
            self._check_size(row[self.features_col].size)
            return row[self.features_col]
        try:
            values = vector_input(row[self.features_col])
        except (TypeError, ValueError) as exc:
            raise TransformError(f"not a vector of numbers: {exc}", column=self.features_col) from None
        self._check_size(len(values))
        return values

    def _check_size(self, size: int) -> None:
        if self.num_features is not None and size != self.num_features:
            raise TransformError(f"expected a vector of size {self.num_features}, got {size}",
                                 column=self.features_col)

    # transforms
    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        raise NotImplementedError

    def transform(self, frame: Frame) -> None:
        results = self.outputs(self.features(frame), self.ports)
        for port in self.ports:
            frame.columns[self.columns[port]] = results[port]

    def transform_row(self, row: dict[str, Any]) -> None:
        results = self.outputs_row(self.features_row(row), self.ports)
        for port in self.ports:
            row[self.columns[port]] = results[port]


class Regressor(ModelOp):
    """features -> `prediction` (double). Subclasses give `predict` / `predict_row`; `list_rows`: their
    `predict_row` only reads a list of numbers, so the row path may hand it the row's own list."""

    list_rows: ClassVar[bool] = False

    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """With `list_rows`: a list of the right size goes straight to `predict_row`; else `transform_row`."""
        if not self.list_rows or self.num_features is None:
            return self.transform_row
        features, size, column = self.features_col, self.num_features, self.columns[PREDICTION]
        predict_row, general = self.row_predictor(), self.transform_row

        def run(row: dict[str, Any]) -> None:
            x = row[features]
            if x.__class__ is list and len(x) == size:
                try:
                    sum(x)  # a TypeError unless every slot is a number (a tree reads only some of them)
                    row[column] = predict_row(x)
                    return
                except TypeError:  # not numbers: transform_row names the column
                    pass
            general(row)

        return run

    def row_predictor(self) -> Callable[[list[float]], float]:
        """`predict_row` as the row function calls it (an op may return a leaner function doing the same)."""
        return self.predict_row

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def predict_row(self, values: list[float]) -> float:
        raise NotImplementedError

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        return {PREDICTION: self.predict(matrix)}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        return {PREDICTION: self.predict_row(values)}


class Classifier(ModelOp):
    """Spark `ClassificationModel`: features -> raw_prediction (vector) -> prediction (class index, double).

    Hooks: `raw` / `raw_row` (Spark predictRaw), `raw_to_prediction` / `raw_to_prediction_row` (default:
    argmax), `predict` / `predict_row` when only the prediction is asked (default: raw_to_prediction(raw))."""

    output_ports: ClassVar[tuple[str, ...]] = (RAW_PREDICTION, PREDICTION)

    def __init__(self, name: str, shape: Shape, num_classes: int, num_features: int | None = None):
        super().__init__(name, shape, num_features)
        self.num_classes = int(num_classes)

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def raw_row(self, values: list[float]) -> list[float]:
        raise NotImplementedError

    def raw_to_prediction(self, raw: np.ndarray) -> np.ndarray:
        return spark_argmax(raw)

    def raw_to_prediction_row(self, raw: list[float]) -> float:
        return spark_argmax_row(raw)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        return self.raw_to_prediction(self.raw(matrix))

    def predict_row(self, values: list[float]) -> float:
        return self.raw_to_prediction_row(self.raw_row(values))

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        if RAW_PREDICTION not in ports:
            return {PREDICTION: self.predict(matrix)}
        raw = self.raw(matrix)
        return {RAW_PREDICTION: raw, PREDICTION: self.raw_to_prediction(raw)}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        if RAW_PREDICTION not in ports:
            return {PREDICTION: self.predict_row(values)}
        raw = self.raw_row(values)
        return {RAW_PREDICTION: raw, PREDICTION: self.raw_to_prediction_row(raw)}


class ProbabilisticClassifier(Classifier):
    """Spark `ProbabilisticClassificationModel`: raw_prediction -> probability -> prediction, with thresholds.

    Extra hooks: `raw_to_probability` / `raw_to_probability_row` (a new array / list; never modify the raw).
    `thresholds`: None when Spark's `thresholds` param is not set (then prediction = argmax)."""

    output_ports: ClassVar[tuple[str, ...]] = (RAW_PREDICTION, PROBABILITY, PREDICTION)

    def __init__(self, name: str, shape: Shape, num_classes: int, num_features: int | None = None,
                 thresholds: list[float] | None = None):
        super().__init__(name, shape, num_classes, num_features)
        if thresholds is not None and len(thresholds) != self.num_classes:
            raise BundleError(f"node {name!r}: {len(thresholds)} thresholds for {self.num_classes} classes")
        self.thresholds = None if thresholds is None else np.asarray(thresholds, dtype=np.float64)
        self._thresholds_row = None if thresholds is None else [float(t) for t in thresholds]

    def raw_to_probability(self, raw: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def raw_to_probability_row(self, raw: list[float]) -> list[float]:
        raise NotImplementedError

    def probability_to_prediction(self, probability: np.ndarray) -> np.ndarray:
        if self.thresholds is None:
            return spark_argmax(probability)
        return thresholded_argmax(probability, self.thresholds)

    def probability_to_prediction_row(self, probability: list[float]) -> float:
        if self._thresholds_row is None:
            return spark_argmax_row(probability)
        return thresholded_argmax_row(probability, self._thresholds_row)

    def raw_to_prediction(self, raw: np.ndarray) -> np.ndarray:
        if self.thresholds is None:
            return spark_argmax(raw)
        return self.probability_to_prediction(self.raw_to_probability(raw))

    def raw_to_prediction_row(self, raw: list[float]) -> float:
        if self._thresholds_row is None:
            return spark_argmax_row(raw)
        return self.probability_to_prediction_row(self.raw_to_probability_row(raw))

    def outputs(self, matrix: np.ndarray, ports: tuple[str, ...]) -> dict[str, np.ndarray]:
        if RAW_PREDICTION in ports:
            raw = self.raw(matrix)
            out = {RAW_PREDICTION: raw, PREDICTION: self.raw_to_prediction(raw)}
            if PROBABILITY in ports:
                out[PROBABILITY] = self.raw_to_probability(raw)
            return out
        if PROBABILITY in ports:
            probability = self.raw_to_probability(self.raw(matrix))
            return {PROBABILITY: probability, PREDICTION: self.probability_to_prediction(probability)}
        return {PREDICTION: self.predict(matrix)}

    def outputs_row(self, values: list[float], ports: tuple[str, ...]) -> dict[str, Any]:
        if RAW_PREDICTION in ports:
            raw = self.raw_row(values)
            out = {RAW_PREDICTION: raw, PREDICTION: self.raw_to_prediction_row(raw)}
            if PROBABILITY in ports:
                out[PROBABILITY] = self.raw_to_probability_row(raw)
            return out
        if PROBABILITY in ports:
            probability = self.raw_to_probability_row(self.raw_row(values))
            return {PROBABILITY: probability, PREDICTION: self.probability_to_prediction_row(probability)}
        return {PREDICTION: self.predict_row(values)}


# ---- the common attributes ------------------------------------------------------------------------

def require_binary(attrs: v.Attributes, name: str, op_name: str) -> None:
    """Refuse a stored `num_classes` other than 2 (absent means 2) for a binary-only classifier op."""
    if attrs.integer("num_classes", 2) != 2:
        raise BundleError(f"node {name!r}: {op_name} is binary (num_classes must be 2)")


def read_thresholds(attrs: v.Attributes) -> list[float] | None:
    """`thresholds` (a double list), None when absent."""
    return attrs.doubles("thresholds", None)


def common_attrs(op: ModelOp) -> dict[str, dict]:
    """`num_features` (when known), `num_classes` and `thresholds` (when set) of a model op, as MLeap writes
    them (longs; a zero count is omitted like every zero scalar)."""
    attrs: dict[str, dict] = {}
    if op.num_features is not None:
        attrs["num_features"] = v.long(op.num_features)
    if isinstance(op, Classifier):
        attrs["num_classes"] = v.long(op.num_classes)
    if isinstance(op, ProbabilisticClassifier) and op.thresholds is not None:
        attrs["thresholds"] = v.doubles(op.thresholds.tolist())
    return attrs


def spark_thresholds(stage: Any) -> list[float] | None:
    """The `thresholds` of a fitted PySpark classifier when set, else None (Spark then predicts the argmax)."""
    if stage.hasParam("thresholds") and stage.isDefined("thresholds"):
        return [float(t) for t in stage.getOrDefault("thresholds")]
    return None
