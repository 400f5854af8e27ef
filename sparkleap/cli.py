"""The `sparkleap` command: each sub-command lives in the module that does the work.

A command module provides `configure(parser)` (its arguments) and `run(args) -> int` (exit code, see
base/exits.py); heavy imports stay inside `run`, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "preprocess": ("glue_jobs.preprocess", "fit the feature pipeline; write train/validation CSVs and the bundle"),
    "train": ("training.train", "train XGBoost on the preprocessed CSVs"),
    "serve": ("serving.serve_command", "run one SageMaker-compatible container (sparkml or xgboost)"),
    "deploy": ("serving.inference_pipeline.deploy",
               "deploy the serial inference pipeline locally, to SageMaker, or the job to Glue"),
    "predict": ("serving.inference_pipeline.predict",
                "send raw rows (CSV, JSON, JSON Lines) to an endpoint, print predictions"),
    "transform": ("serving.batch.transform", "batch transform files with SageMaker Batch Transform semantics"),
    "bundle": ("sparkleap.bundle_cli", "inspect a Bundle.ML bundle, or export one from a saved Spark model"),
    "demo": ("sparkleap.demo", "deploy a run locally, send sample rows, print predictions, shut down"),
}


# Extras (pyproject.toml) a command needs whatever its input; a missing one ends it with one line naming it.
# Other needs are named when their import fails: `serve xgboost`, `deploy sagemaker`, and `preprocess` (whose
# checks of the input and options run first, without Spark).
COMMAND_EXTRAS: dict[str, tuple[str, ...]] = {"train": ("train",), "demo": ("xgboost", "client")}

DESCRIPTION = "Fit a Spark feature pipeline on your CSV, train XGBoost, serve both the SageMaker way."
EPILOG = """a session on your own CSV (header row, label column `price`):
  sparkleap preprocess --input data.csv --output runs/mine --label price --impute mean --handle-invalid keep
  sparkleap train --data runs/mine
  sparkleap demo --run runs/mine
  sparkleap deploy local --run runs/mine --port 8080
  sparkleap predict --endpoint http://127.0.0.1:8080 rows.csv
  sparkleap transform --run runs/mine --input batch/ --output predictions/ --engine inprocess
`sparkleap COMMAND --help` lists a command's options; exit codes: 0 ok, 1 failed, 2 bad arguments or input."""


def build_parser(command: str | None) -> argparse.ArgumentParser:
    """The parser; only the chosen command's module is imported and configured."""
    from base.cli import Parser

    parser = Parser(prog="sparkleap", description=DESCRIPTION, epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            mod = importlib.import_module(module)
            mod.configure(cmd)
            cmd.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    from base import exits
    from sparkleap import extras

    try:
        args = build_parser(command).parse_args(argv)
        for extra in COMMAND_EXTRAS.get(args.command, ()):
            absent = extras.missing(extra)
            if absent:
                return exits.fail(args.command, extras.needs(extra, ", ".join(absent)), exits.BAD_INPUT)
        return int(args._run(args) or exits.OK)
    except ModuleNotFoundError as exc:
        extra = extras.for_module(exc.name)
        if extra is None:
            raise
        return exits.fail(str(command), extras.needs(extra, exc.name), exits.BAD_INPUT)
    except KeyboardInterrupt:
        return exits.INTERRUPTED
    except BrokenPipeError:  # `sparkleap ... | head`: the reader is gone, which is no error of ours
        _quiet_stdout()
        return exits.OK


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush of a closed pipe raises nothing."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
