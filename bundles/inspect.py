"""`sparkleap bundle inspect PATH`: a bundle's version, ops (in order, with ports and key parameters) and
serving schema as JSON.

A bundle that cannot be loaded gives a one-line message on stderr and exit code 2 (bad input), never a
traceback; when ops are unsupported, the line names every one of them (op and node), not just the first.
The schema's input order is the order the bundle's ops first read each column: a note on stderr says so,
since it need not be the order of the user's data (a run made by `sparkleap preprocess` has its own
schema.json, in the data's order).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def configure(actions: argparse._SubParsersAction) -> None:
    inspect = actions.add_parser("inspect", help="print a bundle's ops and derived serving schema as JSON")
    inspect.add_argument("path", help="bundle directory, .zip, or SageMaker model.tar.gz")


def unsupported_ops(path: str) -> list[tuple[str, str]]:
    """(op, node) of every node in the bundle at `path` whose op has no module (every `model.json`)."""
    from bundles import archive
    from bundles.ops import OPS

    folder, tmp = archive.open_bundle_dir(path)
    try:
        found = []
        for model in sorted(Path(folder).rglob("model.json")):
            op = _json_field(model, "op")
            if isinstance(op, str) and op not in OPS:
                found.append((op, str(_json_field(model.parent / "node.json", "name") or model.parent.name)))
        return found
    finally:
        if tmp is not None:
            tmp.cleanup()


def _json_field(path: Path, key: str) -> object:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get(key) if isinstance(data, dict) else None


def describe(path: str) -> dict:
    """The JSON-ready description of the bundle at `path`; raises BundleError when it cannot be loaded
    (UnsupportedOpError naming every unsupported op)."""
    from bundles import BundleError, UnsupportedOpError, load_bundle
    from bundles.ops import OPS
    from bundles.provenance import SPARK_KEY

    try:
        bundle = load_bundle(path)
    except UnsupportedOpError:
        ops = unsupported_ops(path)
        names = ", ".join(f"unsupported op {op!r} in node {node!r}" for op, node in ops)
        raise BundleError(f"{len(ops)} unsupported op(s): {names}; supported ops: {', '.join(sorted(OPS))}") from None
    ops = [{"name": op.name, "op": op.op_name,
            "inputs": [{"port": p, "name": c} for p, c in op.shape.inputs],
            "outputs": [{"port": p, "name": c} for p, c in op.shape.outputs],
            "params": op.params()} for op in bundle.ops]
    try:
        schema: dict | None = bundle.serving_schema()
    except BundleError:
        schema = None
    info = bundle.info
    return {"path": str(path), "name": info.get("name"), "uid": info.get("uid"), "version": info.get("version"),
            "format": info.get("format"), "timestamp": info.get("timestamp"),
            "spark": info.get(SPARK_KEY),  # the Spark (and BLAS lanes) it was exported from; null: not recorded
            "root": bundle.root.op_name,
            "ops": ops, "schema": schema, "schema_input_order": ORDER_NOTE}


ORDER_NOTE = ("the bundle's: the order in which its ops first read each column. It need not be the order of "
              "your data's columns; for a bundle from elsewhere check it, and serve with a schema "
              "(SAGEMAKER_SPARKML_SCHEMA / --schema) listing the columns in the order your requests send them")


def run(args: argparse.Namespace) -> int:
    from base import exits
    from bundles import BundleError

    try:
        description = describe(args.path)
    except BundleError as exc:
        return exits.fail("bundle inspect", exc, exits.BAD_INPUT)
    except OSError as exc:
        return exits.fail("bundle inspect", f"{args.path}: {exc.strerror or exc}", exits.BAD_INPUT)
    print(json.dumps(description, indent=2))
    if description["schema"] is not None:
        print(f"note: the schema's input order is {ORDER_NOTE}", file=sys.stderr)
    return exits.OK
