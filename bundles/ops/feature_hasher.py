"""feature_hasher: hash several columns into one SparseVector(num_features), Spark `FeatureHasher`.

Attributes `num_features` (long), `categorical_cols`, `input_names` (string lists), `input_shapes`
(data_shape list, scalars) and `basic_types` (basic_type list). Per row and column, nulls skipped: a
numeric column not listed as categorical adds its value at hash(column name); any other column adds 1.0
at hash("name=value") (the value's Java text: "3" for an int, "3.0" for a double, "true"). Hash:
Spark 3's MurmurHash3 (seed 42), index = nonNegativeMod(hash, num_features); entries at one index add up.
"""

from __future__ import annotations

import math
from typing import Any

from bundles import attributes as v
from bundles.context import Context
from bundles.errors import BundleError, TransformError
from bundles.frame import Frame
from bundles.ops.base import Op, Shape
from bundles.ops.string_indexer import as_label
from jvm import murmur3
from jvm.vectors import SparseMatrix, SparseVector

NUMERIC = ("short", "int", "long", "float", "double")
SPARK_TYPES = {"BooleanType": "boolean", "ByteType": "byte", "ShortType": "short", "IntegerType": "int",
               "LongType": "long", "FloatType": "float", "DoubleType": "double", "StringType": "string"}


class FeatureHasher(Op):
    op_name = "feature_hasher"
    spark_classes = ("FeatureHasher",)

    def __init__(self, name: str, shape: Shape, num_features: int, input_names: list[str], basic_types: list[str],
                 categorical: list[str]):
        super().__init__(name, Shape([(f"input{i}", c) for i, c in enumerate(shape.input_cols)],
                                     [("output", shape.output_cols[0])]))
        if len(input_names) != len(shape.inputs) or len(basic_types) != len(shape.inputs):
            raise BundleError(f"node {name!r}: feature_hasher needs one name and type per input")
        self.size, self.input_names, self.basic_types = int(num_features), list(input_names), list(basic_types)
        self.categorical = list(categorical)
        self._real = [t in NUMERIC and n not in self.categorical for n, t in zip(input_names, basic_types, strict=True)]
        self._category_index = murmur3.TermIndex(self.size)
        self._name_index = [self._category_index(n) for n in input_names]

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> FeatureHasher:
        shapes = attrs.data_shapes("input_shapes", [])
        if any(s.get("base", "scalar") != "scalar" for s in shapes):
            raise BundleError(f"node {name!r}: feature_hasher takes scalar inputs only")
        return cls(name, shape, attrs.integer("num_features"), attrs.strings("input_names"),
                   attrs.basic_types("basic_types"), attrs.strings("categorical_cols", []))

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        if ctx.target == "0.9":
            raise BundleError(f"node {self.name!r}: MLeap 0.9 has no feature_hasher op; write target 0.20")
        return {"num_features": v.long(self.size), "categorical_cols": v.strings(self.categorical),
                "input_shapes": v.data_shapes([v.scalar_shape() for _ in self.input_names]),
                "basic_types": v.basic_types(self.basic_types), "input_names": v.strings(self.input_names)}, self.shape

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        names = stage.getInputCols()
        types = []
        for n in names:
            kind = SPARK_TYPES.get(type(ctx.schema[n].dataType).__name__)
            if kind is None:
                raise BundleError(f"Spark stage FeatureHasher ({stage.uid}): column {n!r} of type "
                                  f"{ctx.schema[n].dataType.simpleString()} is not supported (scalars only)")
            types.append(kind)
        categorical = stage.getCategoricalCols() if stage.isSet("categoricalCols") else []
        shape = Shape([(f"input{i}", c) for i, c in enumerate(names)], [("output", stage.getOutputCol())])
        return [cls(stage.uid, shape, stage.getNumFeatures(), names, types, list(categorical))]

    def input_type_of(self, column: str) -> str:
        kind = self.basic_types[self.shape.input_cols.index(column)]
        return kind if kind != "byte" else "int"

    def input_struct_of(self, column: str) -> str:
        return "basic"

    def hash_row(self, values: list[Any]) -> SparseVector:
        counts: dict[int, float] = {}
        for k, value in enumerate(values):
            if value is None:
                continue
            if self._real[k]:
                try:
                    x = float(value)
                except (TypeError, ValueError):
                    raise TransformError(f"not a number: {value!r}", column=self.shape.input_cols[k]) from None
                i = self._name_index[k]
            else:
                text = as_label(value) if not (isinstance(value, float) and math.isnan(value)) else "NaN"
                x, i = 1.0, self._category_index(f"{self.input_names[k]}={text}")
            counts[i] = counts[i] + x if i in counts else x  # the first value as is (-0.0 stays), as Spark
        return SparseVector.from_counts(self.size, counts)

    def transform(self, frame: Frame) -> None:
        columns = [frame.column(c) for c in self.shape.input_cols]
        lists = [c.tolist() if self.basic_types[k] != "float" else list(c) for k, c in enumerate(columns)]
        rows = []
        for i in range(len(frame)):
            try:
                rows.append(self.hash_row([col[i] for col in lists]))
            except TransformError as exc:
                raise frame.error(i, exc.column or "", exc.reason) from None
        frame.columns[self.shape.output_cols[0]] = SparseMatrix.from_rows(rows, self.size)

    def transform_row(self, row: dict[str, Any]) -> None:
        row[self.shape.output_cols[0]] = self.hash_row([row[c] for c in self.shape.input_cols])
