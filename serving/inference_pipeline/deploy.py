"""`sparkleap deploy local|sagemaker|glue`: the serial pipeline here or on SageMaker, the job on Glue."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import uuid

UPDATE_FILE = "update.json"
UPDATE_WAIT_S = 300


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="target", required=True, metavar="TARGET")
    configure_local(sub.add_parser("local", help="run the containers and the front end here (foreground)"))
    from serving.inference_pipeline import sagemaker

    sagemaker.configure(sub.add_parser("sagemaker", help="create/update/delete a SageMaker pipeline endpoint"))
    from glue_jobs.deploy import configure_glue

    configure_glue(sub.add_parser("glue", help="create or update the preprocessing job on AWS Glue, start a run"))


def configure_local(parser: argparse.ArgumentParser) -> None:
    from base.cli import PORT, int_between

    parser.add_argument("--run", help="a trained run folder: takes its sparkml/ and xgboost/ models and schema.json")
    parser.add_argument("--sparkml-model", help="the bundle: model.tar.gz or directory")
    parser.add_argument("--xgboost-model", help="the XGBoost model: model.tar.gz or directory")
    parser.add_argument("--schema", help="serving schema JSON for SAGEMAKER_SPARKML_SCHEMA (default: derived)")
    parser.add_argument("--pipeline", help="a pipeline description (YAML/JSON) instead of the two model flags")
    from serving.inference_pipeline.description import add_postprocess_flag

    add_postprocess_flag(parser)
    parser.add_argument("--name", default="sparkleap", help="endpoint name (default: sparkleap)")
    parser.add_argument("--host", default="127.0.0.1", help="front end address (default: 127.0.0.1)")
    parser.add_argument("--port", type=PORT, default=8080, help="front end port (default: 8080)")
    parser.add_argument("--workers", type=int_between(1, 256), help="workers per container (default: CPUs)")
    parser.add_argument("--update", action="store_true",
                        help="switch the running endpoint --name to these models without downtime")


def run(args: argparse.Namespace) -> int:
    if args.target == "sagemaker":
        from serving.inference_pipeline import sagemaker

        return sagemaker.run(args)
    if args.target == "glue":
        from glue_jobs.deploy import deploy_glue

        return deploy_glue(args)
    from base import exits
    from base.processes import check_port
    from serving.inference_pipeline.description import DescriptionError, schema_order

    try:
        pipeline = pipeline_from_args(args)
        if not args.update:
            check_port(args.host, args.port)
    except (DescriptionError, ValueError) as exc:
        return exits.fail("deploy local", exc, exits.BAD_INPUT)
    order = schema_order(pipeline)
    if order:
        print(order, file=sys.stderr, flush=True)
    return request_update(args.name, pipeline) if args.update else serve_foreground(args, pipeline)


def pipeline_from_args(args: argparse.Namespace):
    """The local pipeline from --run, --pipeline or the two model flags: every model a local file."""
    from base.storage import is_s3
    from serving.inference_pipeline.description import DescriptionError, pipeline_from_options

    pipeline = pipeline_from_options(args.pipeline, args.sparkml_model, args.xgboost_model, args.schema, args.run,
                                     not getattr(args, "no_postprocess", False))
    remote = [c.name for c in pipeline.containers if is_s3(c.model)]
    if remote:
        raise DescriptionError(f"deploy local needs local model files; {', '.join(remote)} is on S3 "
                               "(download it first)")
    return pipeline


def serve_foreground(args: argparse.Namespace, pipeline) -> int:
    """Start everything, print where, restart what crashes, apply SIGHUP updates; Ctrl-C stops all."""
    from serving.inference_pipeline.processes import StartError
    from serving.inference_pipeline.supervisor import Supervisor

    supervisor = Supervisor(pipeline, name=args.name, host=args.host, port=args.port, workers=args.workers)
    hup = []
    signal.signal(signal.SIGHUP, lambda *_: hup.append(1))
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        supervisor.start()
        names = pipeline.describe([p.port for p in supervisor.containers])
        print(f"endpoint {args.name} ready at http://{args.host}:{args.port}/invocations: {names}. "
              "Ctrl-C stops it.", flush=True)
        while True:
            time.sleep(0.2)
            supervisor.check()
            if hup:
                hup.clear()
                apply_update(supervisor)
    except StartError as exc:
        print(f"sparkleap deploy local: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopping ...", file=sys.stderr, flush=True)
        return 0
    finally:
        supervisor.stop()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def apply_update(supervisor) -> None:
    """Run the update request waiting in the state folder; record its outcome in the state file."""
    from serving.inference_pipeline.description import DescriptionError, pipeline_from_json
    from serving.inference_pipeline.processes import StartError

    request_id = None
    try:
        request = json.loads((supervisor.state_file.parent / UPDATE_FILE).read_text())
        request_id = request["id"]
        supervisor.update(pipeline_from_json(request["pipeline"]))
        supervisor.record_update({"id": request_id, "status": "ok", "generation": supervisor.generation})
    except (OSError, ValueError, KeyError, DescriptionError, StartError) as exc:
        print(f"sparkleap deploy local: update failed, the old version keeps serving: {exc}", file=sys.stderr)
        supervisor.record_update({"id": request_id, "status": "failed", "message": str(exc)})


def request_update(name: str, pipeline) -> int:
    """Ask the running `deploy local --name NAME` to switch to `pipeline` (SIGHUP), wait for the outcome."""
    from serving.inference_pipeline.state import read_state, state_path, write_state

    path = state_path(name)
    try:
        state = read_state(path)
        os.kill(state["supervisor_pid"], 0)
    except (OSError, ValueError, KeyError):
        print(f"sparkleap deploy local --update: no running endpoint named {name!r} (start it with "
              "`sparkleap deploy local` first)", file=sys.stderr)
        return 2
    request_id = uuid.uuid4().hex
    write_state(path.parent / UPDATE_FILE, {"id": request_id, "pipeline": pipeline.to_json()})
    os.kill(state["supervisor_pid"], signal.SIGHUP)
    deadline = time.monotonic() + UPDATE_WAIT_S
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            outcome = read_state(path).get("update") or {}
        except (OSError, ValueError):
            continue
        if outcome.get("id") == request_id:
            if outcome["status"] == "ok":
                print(f"endpoint {name}: now serving version {outcome['generation']}")
                return 0
            print(f"sparkleap deploy local --update: failed, the old version keeps serving: {outcome['message']}",
                  file=sys.stderr)
            return 1
    print(f"sparkleap deploy local --update: no answer from endpoint {name} within {UPDATE_WAIT_S} s",
          file=sys.stderr)
    return 1


__all__ = ["configure", "run"]
