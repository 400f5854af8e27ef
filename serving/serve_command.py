"""`sparkleap serve KIND`: one SageMaker-compatible container (a `serving.loader.CONTAINERS` entry) in the
foreground."""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    from base.cli import int_between
    from serving.loader import CONTAINERS

    parser.add_argument("kind", choices=list(CONTAINERS), help="which container to run")
    parser.add_argument("--model-dir", help="model dir or model.tar.gz (default: $SM_MODEL_DIR, /opt/ml/model)")
    parser.add_argument("--schema", help="sparkml only: the serving schema JSON file, i.e. what "
                                         "SAGEMAKER_SPARKML_SCHEMA holds (default: $SAGEMAKER_SPARKML_SCHEMA, else "
                                         "derived from the bundle, in the order its ops read the columns)")
    parser.add_argument("--port", type=int_between(0, 65535),
                        help="port, 0 for any free one (default: $SAGEMAKER_BIND_TO_PORT or 8080)")
    parser.add_argument("--host", help="address to bind (default 127.0.0.1; containers on AWS use 0.0.0.0)")
    parser.add_argument("--workers", type=int_between(1, 256),
                        help="worker processes (default: $SAGEMAKER_MODEL_SERVER_WORKERS, CPUs)")


def schema_text(kind: str, path: str) -> str:
    """The schema file's JSON (checked), for SAGEMAKER_SPARKML_SCHEMA; ValueError naming the file."""
    from serving.loader import CONTAINERS
    from serving.schema import SchemaError, parse_schema

    if not CONTAINERS[kind].reads_schema:
        readers = " and ".join(name for name, entry in CONTAINERS.items() if entry.reads_schema)
        raise ValueError(f"--schema is for the {readers} container (the {kind} one reads no schema)")
    try:
        text = Path(path).read_text(encoding="utf-8")
        parse_schema(text, f"--schema {path}")
    except OSError as exc:
        raise ValueError(f"--schema {path}: {exc.strerror or exc}") from None
    except SchemaError as exc:
        raise ValueError(str(exc)) from None
    return text.strip()


def run(args: argparse.Namespace) -> int:
    from serving.http_server import serve_container
    from serving.settings import SCHEMA_ENV, Settings

    settings = Settings.from_env()
    overrides = {"model_dir": args.model_dir, "port": args.port, "host": args.host, "workers": args.workers}
    settings = dataclasses.replace(settings, **{k: v for k, v in overrides.items() if v is not None})
    from base import exits
    from base.processes import check_port

    try:
        if args.schema:
            os.environ[SCHEMA_ENV] = schema_text(args.kind, args.schema)  # workers read it too
            settings = dataclasses.replace(settings, sparkml_schema=os.environ[SCHEMA_ENV])
        check_port(settings.host, settings.port, "--port (or SAGEMAKER_BIND_TO_PORT)")
        serve_container(args.kind, settings)
    except (OSError, ValueError) as exc:
        return exits.fail(f"serve {args.kind}", exc, exits.BAD_INPUT)
    return exits.OK
