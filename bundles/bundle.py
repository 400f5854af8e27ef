"""A loaded bundle: `bundle.json` info plus the root op, with batch and single-row transforms."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from base.errors import InputError
from bundles import archive
from bundles.context import DEFAULT_TARGET, TARGETS
from bundles.errors import BundleError, OpFailure, TransformError
from bundles.frame import Frame, SkipRow
from bundles.graph import context, load_node, read_json, save_node, write_json
from bundles.ops.base import Op
from bundles.provenance import SPARK_KEY, vector_lanes

WRITER_VERSION = {"0.20": "0.20.0", "0.9": "0.9.6"}


@dataclass
class Bundle:
    root: Op
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def ops(self) -> list[Op]:
        """Every leaf op in execution order (nested pipelines flattened)."""
        return self.root.flatten()

    def transform(self, columns: dict[str, np.ndarray] | Frame) -> Frame:
        """Columnar transform of a batch: TransformError (naming the row and column) for the input's faults,
        OpFailure (naming the node and op) for anything else an op raises."""
        frame = columns if isinstance(columns, Frame) else Frame(dict(columns))
        for op in self.ops:
            try:
                op.transform(frame)
            except TransformError:
                raise
            except InputError as exc:
                raise TransformError(str(exc)) from None
            except Exception as exc:
                raise OpFailure(op.name, op.op_name, exc) from exc
        return frame

    @cached_property
    def _row_function(self):
        """The root op's row function, built on the first single-row transform."""
        return self.root.row_function()

    def transform_row(self, row: dict[str, Any]) -> dict[str, Any] | None:
        """Lean path for one row of plain Python values; None when handle_invalid=skip drops it. Errors as
        `transform`'s (a missing input column is a TransformError)."""
        values = dict(row)
        try:
            self._row_function(values)
        except SkipRow:
            return None
        except TransformError as exc:
            raise TransformError(exc.reason, row=0, column=exc.column) from None
        except InputError as exc:
            raise TransformError(str(exc), row=0) from None
        except KeyError as exc:
            missing = exc.args[0] if exc.args else None
            if isinstance(missing, str) and missing in self._raw_inputs and missing not in row:
                raise TransformError(f"input column {missing!r} is missing", row=0) from None
            raise self._failure(row, exc) from exc
        except Exception as exc:
            raise self._failure(row, exc) from exc
        return values

    @cached_property
    def _raw_inputs(self) -> frozenset[str]:
        """The columns the ops read that no op produces: what a request must carry."""
        ops = self.ops
        produced = {col for op in ops for col in op.shape.output_cols}
        return frozenset(col for op in ops for col in op.shape.input_cols if col not in produced)

    def _failure(self, row: dict[str, Any], exc: Exception) -> OpFailure:
        """The OpFailure for `exc`, raised by the fused row function: the row run again op by op finds the op
        (only on this error path, so the fused function stays lean)."""
        values = dict(row)
        for op in self.ops:
            try:
                op.row_function()(values)
            except Exception:  # noqa: BLE001 - the first op that raises is the one to name
                return OpFailure(op.name, op.op_name, exc)
        return OpFailure(self.root.name, self.root.op_name, exc)

    def output_name(self) -> str:
        """The column a derived serving schema outputs: the last prediction column, else the last op's first."""
        ops = self.ops
        if not ops:
            raise BundleError("the bundle has no ops: no serving schema can be derived")
        predictions = [op.prediction_col for op in ops if op.prediction_col is not None]
        return predictions[-1] if predictions else ops[-1].shape.output_cols[0]

    def ops_for(self, output: str) -> list[Op]:
        """The ops serving `output` runs, in execution order. When `output` comes from a model (an op with a
        prediction column) or after one, an op it does not depend on is left out: in a fitted pipeline such an
        op feeds only the training label (e.g. a StringIndexer of the label, read by no later op), a column
        requests do not carry. A pipeline of feature stages only keeps every op (its side outputs may be
        what a caller asks for)."""
        needed = {output}
        kept: list[Op] = []
        for op in reversed(self.ops):
            if needed & set(op.shape.output_cols):
                kept.append(op)
                needed.update(op.shape.input_cols)
        if not any(op.prediction_col is not None for op in kept):
            return self.ops
        return kept[::-1]

    def for_output(self, output: str) -> Bundle:
        """This bundle without the ops `output` does not depend on (self when none is dropped)."""
        from bundles.ops.pipeline import Pipeline

        kept = self.ops_for(output)
        if len(kept) == len(self.ops):
            return self
        return Bundle(Pipeline(self.root.name, kept), self.info)

    def serving_schema(self, output: str | None = None, every_input: bool = False) -> dict:
        """The SAGEMAKER_SPARKML_SCHEMA this bundle needs: the raw input columns the output depends on (a
        label-only stage's input is not one; `every_input`: every op's) and the final output."""
        out_name = output or self.output_name()
        produced: set[str] = set()
        inputs: list[dict] = []
        seen: set[str] = set()
        for op in (self.ops if every_input else self.ops_for(out_name) or self.ops):
            for col in op.shape.input_cols:
                if col not in produced and col not in seen:
                    seen.add(col)
                    column = {"name": col, "type": op.input_type_of(col)}
                    struct = op.input_struct_of(col)
                    if struct != "basic":
                        column = {"name": col, "type": "double" if struct == "vector" else column["type"],
                                  "struct": struct}
                    inputs.append(column)
            produced.update(op.shape.output_cols)
        producer = next((op for op in self.ops if out_name in op.shape.output_cols), None)
        struct = producer.output_struct_of(out_name) if producer else "vector"
        out_type = producer.output_type_of(out_name) if producer else "double"
        return {"input": inputs, "output": {"name": out_name, "type": out_type, "struct": struct}}


def load_bundle(path: str | os.PathLike) -> Bundle:
    """Load a bundle from a directory, a .zip, or a SageMaker model.tar.gz."""
    folder, tmp = archive.open_bundle_dir(path)
    try:
        info = read_json(folder / "bundle.json")
        fmt = info.get("format", "json")
        if fmt != "json":
            raise BundleError(f"{path}: unsupported format {fmt!r} (only json bundles are supported)")
        missing = [k for k in ("uid", "name", "format", "version", "timestamp") if k not in info]
        if missing:
            raise BundleError(f"{folder / 'bundle.json'}: missing {', '.join(missing)}")
        lanes = vector_lanes(info, str(folder / "bundle.json"))  # checks the record
        parent = context(vector_lanes=lanes, spark_version=info.get(SPARK_KEY, {}).get("version", ""))
        return Bundle(load_node(folder / "root", parent=parent), info)
    finally:
        if tmp is not None:
            tmp.cleanup()


def save_bundle(bundle: Bundle, path: str | os.PathLike, target: str = DEFAULT_TARGET) -> Path:
    """Write `bundle` for MLeap runtime `target` to a directory, `.zip` or `.tar.gz` (by suffix)."""
    if target not in TARGETS:
        raise BundleError(f"unknown bundle target {target!r}; choose one of {TARGETS}")
    info = {
        "uid": bundle.info.get("uid") or str(uuid.uuid4()),
        "name": bundle.info.get("name") or bundle.root.name,
        "format": "json",
        "version": WRITER_VERSION[target],
        "timestamp": bundle.info.get("timestamp") or dt.datetime.now().isoformat(timespec="milliseconds"),
    }
    if SPARK_KEY in bundle.info:
        info[SPARK_KEY] = bundle.info[SPARK_KEY]
    with tempfile.TemporaryDirectory(prefix="sparkleap-write-") as tmp:
        folder = Path(tmp) / "bundle"
        save_node(bundle.root, context(folder / "root", target))
        write_json(folder / "bundle.json", info)
        archive.pack(folder, Path(path))
    return Path(path)
