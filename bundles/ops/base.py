"""What every op module provides: reader, writer and transforms side by side.

An op instance knows its node name, its input and output columns (port order), and its model. The
writer side returns the `model.json` attributes and node ports for a target MLeap version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from bundles.attributes import Attributes
from bundles.context import Context
from bundles.frame import Frame
from jvm.vectors import dense_row


@dataclass
class Shape:
    """A node's sockets: lists of (port, column name); treat as immutable (column lists are cached)."""

    inputs: list[tuple[str, str]]
    outputs: list[tuple[str, str]]

    @classmethod
    def single(cls, input_col: str, output_col: str) -> Shape:
        return cls([("input", input_col)], [("output", output_col)])

    @classmethod
    def indexed(cls, input_cols: list[str], output_cols: list[str]) -> Shape:
        return cls(
            [(f"input{i}", c) for i, c in enumerate(input_cols)],
            [(f"output{i}", c) for i, c in enumerate(output_cols)],
        )

    @cached_property
    def input_cols(self) -> list[str]:
        return [c for _, c in self.inputs]

    @cached_property
    def output_cols(self) -> list[str]:
        return [c for _, c in self.outputs]


def spark_columns(stage: Any) -> list[tuple[str, str]]:
    """(input, output) column pairs of a PySpark stage set up with inputCol/outputCol or inputCols/outputCols."""
    if stage.hasParam("inputCols") and stage.isSet("inputCols"):
        return list(zip(stage.getInputCols(), stage.getOutputCols(), strict=True))
    return [(stage.getInputCol(), stage.getOutputCol())]


def node_names(stage: Any, count: int) -> list[str]:
    """Node names for a stage written as `count` single-column nodes: the uid, suffixed when more than one."""
    return [stage.uid] if count == 1 else [f"{stage.uid}_{i}" for i in range(count)]


def vector_input(values: Any) -> list[float]:
    """One row's vector value (list or SparseVector) as a list of floats (single-row path)."""
    return dense_row(values)


RowFunction = Callable[[dict[str, Any]], None]


def lookup_row_function(columns: list[tuple[str, str, Callable[[Any], Any]]], kind: type, general: RowFunction,
                        copy: bool = False) -> RowFunction:
    """A row function over (input, output, lookup) columns: a value of class `kind` that `lookup` finds is written
    to the output (a copy of it with `copy`); any other value sends the whole row through `general`."""
    columns = tuple(columns)

    def run(row: dict[str, Any]) -> None:
        for in_col, out_col, get in columns:
            value = row[in_col]
            found = get(value) if value.__class__ is kind else None
            if found is None:
                general(row)
                return
            row[out_col] = found.copy() if copy else found

    return run


class Op:
    """Base class of an op module's transformer."""

    op_name: ClassVar[str]
    spark_classes: ClassVar[tuple[str, ...]] = ()
    input_type: ClassVar[str] = "double"  # serving-schema type of a raw input column
    input_struct: ClassVar[str] = "basic"
    output_struct: ClassVar[str] = "vector"
    output_type: ClassVar[str] = "double"  # serving-schema type of the output column
    mleap_reads: ClassVar[bool] = True  # False: an op of ours (a Spark 4 stage) that real MLeap has no reader for

    def __init__(self, name: str, shape: Shape):
        self.name = name
        self.shape = shape

    # reader
    @classmethod
    def load(cls, name: str, shape: Shape, attrs: Attributes, ctx: Context) -> Op:
        """The op of a node; `ctx.folder` is its folder, `ctx.load_child` reads its child nodes."""
        raise NotImplementedError

    # writer
    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        """Attributes (name -> encoded value) and node shape for `ctx.target`; children via `ctx.store_child`."""
        raise NotImplementedError

    @classmethod
    def from_spark(cls, stage: Any, ctx: Context) -> list[Op]:
        """Ops for a fitted PySpark stage; `ctx.schema` is the transformed sample's StructType."""
        raise NotImplementedError

    # runtime
    def transform(self, frame: Frame) -> None:
        """Add this op's output columns to `frame` (columnar, whole batch)."""
        raise NotImplementedError

    def transform_row(self, row: dict[str, Any]) -> None:
        """Add this op's outputs to one row (plain Python values: vectors as lists of floats or
        `SparseVector`, arrays as lists)."""
        raise NotImplementedError

    def row_function(self) -> Callable[[dict[str, Any]], None]:
        """A function doing `transform_row`, built once: ops override it with one specialised to their model
        (a fast path for the common values, `transform_row` for anything else, so both give the same result)."""
        return self.transform_row

    def params(self) -> dict[str, Any]:
        """Key parameters for `sparkleap bundle inspect` (labels, handle_invalid, sizes, feature counts, tree
        counts, coefficient shapes): the op's public attributes, summarised (`summary`); ops may add more."""
        out = {}
        for key, value in vars(self).items():
            if key.startswith("_") or key in ("name", "shape") or isinstance(value, Op):
                continue
            shown = summary(value)
            if shown is not None:
                out[key] = shown
        return out

    def input_struct_of(self, column: str) -> str:
        return self.input_struct

    def input_type_of(self, column: str) -> str:
        return self.input_type

    def warm_up_input(self, column: str) -> Any:
        """A value of raw input `column` this op accepts (for the serving warm-up row), or None: any neutral
        value (0, "", an empty list) will do."""
        return None

    @property
    def prediction_col(self) -> str | None:
        """The column a model op predicts into (the serving schema's default output); None for feature ops."""
        return None

    def output_struct_of(self, column: str) -> str:
        """Serving-schema struct of output `column` ("basic" or "vector")."""
        return self.output_struct

    def output_type_of(self, column: str) -> str:
        """Serving-schema type of output `column` (ops with outputs of several types override it)."""
        return self.output_type

    def flatten(self) -> list[Op]:
        return [self]


SHOWN_ITEMS = 12  # list items shown whole; longer lists give their count and first items


def summary(value: Any) -> Any:
    """A JSON-ready summary of an op attribute: scalars as they are (non-finite floats as text), short lists
    whole, long ones as {"count", "first"}, arrays as {"shape"} (whole when tiny), ensembles as their tree
    count; None for internal objects with nothing to show."""
    import math

    import numpy as np

    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else str(float(value))
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.ndarray):
        return summary(value.tolist()) if value.size <= 8 and value.ndim <= 1 else {"shape": list(value.shape)}
    if isinstance(value, list | tuple):
        if len(value) <= SHOWN_ITEMS:
            return [summary(v) for v in value]
        return {"count": len(value), "first": [summary(v) for v in value[:5]]}
    if isinstance(value, dict):
        return {str(k): summary(v) for k, v in list(value.items())[:SHOWN_ITEMS]}
    trees = getattr(value, "trees", None) or getattr(getattr(value, "forest", None), "trees", None)
    if isinstance(trees, list):
        return {"trees": len(trees)}
    return None
