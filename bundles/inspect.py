"""`sparkleap bundle inspect PATH`: print a bundle's version, ops (in order, with ports) and serving schema as JSON.

A bundle that cannot be loaded gives a one-line message on stderr (naming the unsupported op or the
broken file) and exit code 2 (bad input); never a traceback. The schema's input order is the order the
bundle's ops first read each column: a note on stderr says so, since it need not be the order of the
user's data (a run made by `sparkleap preprocess` has its own schema.json, in the data's order).
"""

from __future__ import annotations

import argparse
import json
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    inspect = actions.add_parser("inspect", help="print a bundle's ops and derived serving schema as JSON")
    inspect.add_argument("path", help="bundle directory, .zip, or SageMaker model.tar.gz")


def describe(path: str) -> dict:
    """The JSON-ready description of the bundle at `path`; raises BundleError when it cannot be loaded."""
    from bundles import BundleError, load_bundle

    bundle = load_bundle(path)
    ops = [{"name": op.name, "op": op.op_name,
            "inputs": [{"port": p, "name": c} for p, c in op.shape.inputs],
            "outputs": [{"port": p, "name": c} for p, c in op.shape.outputs]} for op in bundle.ops]
    try:
        schema: dict | None = bundle.serving_schema()
    except BundleError:
        schema = None
    info = bundle.info
    return {"path": str(path), "name": info.get("name"), "uid": info.get("uid"), "version": info.get("version"),
            "format": info.get("format"), "timestamp": info.get("timestamp"), "root": bundle.root.op_name,
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
