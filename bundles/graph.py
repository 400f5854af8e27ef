"""Node I/O and Spark conversion through the op registry: `model.json` (op + attributes), `node.json`
(name + shape) and the Spark-class lookup. The contexts it hands to ops point back here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bundles import ops as registry
from bundles.attributes import Attributes
from bundles.context import DEFAULT_TARGET, Context
from bundles.errors import BundleError, UnsupportedOpError
from bundles.ops.base import Op, Shape

GRAPH = sys.modules[__name__]


def read_json(path: Path) -> dict:
    if not path.is_file():
        if path.with_suffix(".pb").is_file():
            raise BundleError(f"{path.with_suffix('.pb')}: unsupported format 'protobuf' (only json bundles)")
        raise BundleError(f"{path}: file is missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{path}: not valid JSON ({exc})") from None
    except RecursionError:
        raise BundleError(f"{path}: JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise BundleError(f"{path}: expected a JSON object")
    return data


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, allow_nan=False), encoding="utf-8")


def context(folder: Path = Path("."), target: str = DEFAULT_TARGET, schema: Any = None,
            vector_lanes: int = 0, spark_version: str = "") -> Context:
    return Context(GRAPH, folder, target, schema, vector_lanes, spark_version)


def _sockets(shape: dict, key: str, where: Path) -> list[tuple[str, str]]:
    sockets = shape.get(key)
    if not isinstance(sockets, list):
        raise BundleError(f"{where}: shape.{key} must be a list")
    try:
        return [(str(s["port"]), str(s["name"])) for s in sockets]
    except (TypeError, KeyError):
        raise BundleError(f"{where}: every socket needs 'port' and 'name'") from None


def load_node(folder: Path, shape: Shape | None = None, parent: Context | None = None) -> Op:
    """Load the op stored in `folder` (a bundle's `root/`, a `<name>.node/`, a `tree0/`); a folder with no
    `node.json` (a bare model) is given `shape` and its folder name, when `shape` is given. `parent`: the
    context it inherits (the bundle's Spark summation order), else the defaults."""
    model = read_json(folder / "model.json")
    op_name = model.get("op")
    if shape is not None and not (folder / "node.json").is_file():
        name, sockets = folder.name, shape
    else:
        node = read_json(folder / "node.json")
        name = str(node.get("name", folder.name))
        node_shape = node.get("shape")
        if not isinstance(node_shape, dict):
            raise BundleError(f"{folder / 'node.json'}: 'shape' must be an object")
        sockets = Shape(_sockets(node_shape, "inputs", folder), _sockets(node_shape, "outputs", folder))
    op_class = registry.OPS.get(op_name)
    if op_class is None:
        raise UnsupportedOpError(str(op_name), name, list(registry.OPS))
    attrs = Attributes(model.get("attributes", {}), f"{folder / 'model.json'}")
    try:
        return op_class.load(name, sockets, attrs, parent.at(folder) if parent else context(folder))
    except BundleError:
        raise
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise BundleError(f"{folder}: cannot load {op_name!r} node {name!r}: {exc}") from None


def save_node(op: Op, ctx: Context) -> None:
    """Write `op` into `ctx.folder`; the op writes its children through `ctx`."""
    ctx.folder.mkdir(parents=True, exist_ok=True)
    attrs, shape = op.store(ctx)
    write_json(ctx.folder / "model.json", {"op": op.op_name, "attributes": attrs})
    node_shape = {
        "inputs": [{"port": p, "name": c} for p, c in shape.inputs],
        "outputs": [{"port": p, "name": c} for p, c in shape.outputs],
    }
    write_json(ctx.folder / "node.json", {"name": op.name, "shape": node_shape})


NOT_SERIALIZABLE = {
    "SQLTransformer": "a SQL statement has no Bundle.ML form (MLeap cannot serialize it either, combust/mleap #126)",
    "RFormulaModel": "MLeap cannot serialize RFormula either (combust/mleap #191); fit its StringIndexer, "
                     "OneHotEncoder and VectorAssembler stages instead",
    "RFormula": "MLeap cannot serialize RFormula either (combust/mleap #191)",
}


def ops_from_spark(stage: Any, ctx: Context) -> list[Op]:
    """The ops of a fitted PySpark stage; a stage with no op is a one-line BundleError."""
    kind = type(stage).__name__
    op_class = registry.SPARK_CLASSES.get(kind)
    if kind in NOT_SERIALIZABLE:
        raise BundleError(f"Spark stage {kind} ({stage.uid}) cannot be written: {NOT_SERIALIZABLE[kind]}")
    if op_class is None:
        raise BundleError(
            f"Spark stage {kind} ({stage.uid}) has no bundle op; "
            f"supported: {', '.join(sorted(registry.SPARK_CLASSES))}"
        )
    return op_class.from_spark(stage, ctx)
