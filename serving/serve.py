"""`sparkleap serve sparkml|xgboost`: one SageMaker-compatible container in the foreground."""

from __future__ import annotations

import argparse
import dataclasses


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["sparkml", "xgboost"], help="which container to run")
    parser.add_argument("--model-dir", help="model dir or model.tar.gz (default: $SM_MODEL_DIR, /opt/ml/model)")
    parser.add_argument("--port", type=int, help="port (default: $SAGEMAKER_BIND_TO_PORT or 8080)")
    parser.add_argument("--host", help="address to bind (default 127.0.0.1; containers on AWS use 0.0.0.0)")
    parser.add_argument("--workers", type=int, help="worker processes (default: $SAGEMAKER_MODEL_SERVER_WORKERS, CPUs)")


def run(args: argparse.Namespace) -> int:
    from serving.server import serve_container
    from serving.settings import Settings

    settings = Settings.from_env()
    overrides = {"model_dir": args.model_dir, "port": args.port, "host": args.host, "workers": args.workers}
    settings = dataclasses.replace(settings, **{k: v for k, v in overrides.items() if v is not None})
    from base import exits
    from base.processes import check_port

    try:
        check_port(settings.host, settings.port, "--port (or SAGEMAKER_BIND_TO_PORT)")
        serve_container(args.kind, settings)
    except (OSError, ValueError) as exc:
        return exits.fail(f"serve {args.kind}", exc, exits.BAD_INPUT)
    return exits.OK
