"""Values between Spark, our runtime and MLeap's JSON LeapFrame, and how far apart two columns are.

Every side's column becomes a list of plain values: float (a double; null and NaN both as NaN, since MLeap's
JSON writes NaN as null), str, list[float] (a vector, dense), list[str] (a string array).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Value = float | str | list | None


def plain(value: Any) -> Value:
    """One cell from Spark (Row values, ml.linalg vectors), NumPy or MLeap JSON as a plain value."""
    if value is None:
        return math.nan
    if isinstance(value, str | np.str_):
        return str(value)
    if isinstance(value, dict):  # an MLeap JSON tensor: dense {values, dimensions} or sparse {indices, ...}
        if "indices" not in value:
            flat = [math.nan if x is None else float(x) for x in value["values"]]
            dims = value.get("dimensions") or [len(flat)]
            if len(dims) == 2:  # a matrix (LSH hashes: [tables, 1]) as rows, as Spark's array of vectors
                return [flat[r * dims[1]:(r + 1) * dims[1]] for r in range(dims[0])]
            return flat
        dense = [0.0] * int(value["dimensions"][0])
        for (i,), x in zip(value["indices"], value["values"], strict=True):
            dense[i] = math.nan if x is None else float(x)
        return dense
    if hasattr(value, "toArray"):  # pyspark.ml.linalg DenseVector / SparseVector
        return [float(x) for x in value.toArray()]
    if hasattr(value, "dense"):  # our runtime's jvm.vectors.SparseVector
        return [float(x) for x in value.dense()]
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(x) for x in value]
    if isinstance(value, bool | np.bool_):
        return float(value)
    return float(value)


def column(values: Any) -> list[Value]:
    """A whole column (a NumPy array, 2-D for vectors, or any sequence) as plain values."""
    return [plain(v) for v in values]


def cell_diff(a: Value, b: Value) -> float:
    """0 when equal (NaN equals NaN), the absolute difference of numbers, inf for unlike values."""
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return math.inf
        return max((cell_diff(x, y) for x, y in zip(a, b, strict=True)), default=0.0)
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return 0.0 if math.isnan(a) and math.isnan(b) else math.inf
        if a == b:  # also equal infinities
            return 0.0
        return abs(a - b)
    return 0.0 if a == b else math.inf


def max_abs_diff(a: list[Value], b: list[Value]) -> float:
    """The largest cell difference of two columns; inf when their lengths differ."""
    if len(a) != len(b):
        return math.inf
    return max((cell_diff(x, y) for x, y in zip(a, b, strict=True)), default=0.0)


def mleap_type(spark_type: Any) -> Any:
    """The MLeap JSON data type of a Spark input column type (numbers are sent as doubles)."""
    name = type(spark_type).__name__
    if name == "StringType":
        return "string"
    if name == "BooleanType":
        return "boolean"
    if name == "VectorUDT":
        return {"type": "tensor", "base": "double"}
    if name == "ArrayType":
        return {"type": "list", "base": "string" if type(spark_type.elementType).__name__ == "StringType"
                else "double"}
    if name in ("DoubleType", "FloatType", "IntegerType", "LongType", "ShortType"):
        return "double"
    raise ValueError(f"no MLeap JSON type for Spark type {spark_type}")


def mleap_cell(value: Any, mleap_kind: Any) -> Any:
    """One input cell as MLeap's JSON row format wants it (vectors as dense tensors, NaN as null)."""
    if value is None:
        return None
    if isinstance(mleap_kind, dict) and mleap_kind["type"] == "tensor":
        values = plain(value)
        return {"values": values, "dimensions": [len(values)]}
    if mleap_kind == "double":
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(mleap_kind, dict) and mleap_kind["type"] == "map":
        return dict(value)
    if isinstance(mleap_kind, dict):
        return list(value)
    return value


def runtime_column(values: list, mleap_kind: Any) -> np.ndarray:
    """Input cells of one MLeap type as our runtime's batch column: tensors 2-D float64, doubles float64,
    strings, lists and maps object arrays (one list or dict per row)."""
    if isinstance(mleap_kind, dict) and mleap_kind["type"] == "tensor":
        return np.array(values, dtype=np.float64).reshape(len(values), -1)
    if mleap_kind == "double":
        return np.array(values, dtype=np.float64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def mleap_frame(fields: list[tuple[str, Any]], rows: list[list[Any]]) -> dict:
    """An MLeap JSON LeapFrame: `fields` are (name, MLeap type), `rows` the raw cells in field order."""
    return {
        "schema": {"fields": [{"name": name, "type": kind} for name, kind in fields]},
        "rows": [[mleap_cell(cell, kind) for cell, (_, kind) in zip(row, fields, strict=True)] for row in rows],
    }


def mleap_columns(frame: dict) -> dict[str, list[Value]]:
    """The columns of an MLeap JSON LeapFrame as plain values."""
    names = [f["name"] for f in frame["schema"]["fields"]]
    return {name: [plain(row[i]) for row in frame["rows"]] for i, name in enumerate(names)}
