"""`sparkleap demo --run RUN [--input CSV]`: deploy a run's models locally, predict sample rows, shut down.

Sample rows come from the run itself (`samples.csv`: validation rows as raw CSV, written by preprocess), or
from `--input` (the raw CSV, read with the run's header/schema); each is sent without its label, in the
file's column order, and printed with the label, the prediction (a classifier's: `class,probability` from
its post-processing container) and the SparkML container's features. For abalone the AWS sample's own row
comes first.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from pathlib import Path

SEED_ROW = "F,0.515,0.425,0.14,0.766,0.304,0.1725,0.255"
SEED_COLUMNS = ["sex", "length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight",
                "shell_weight"]


class DemoError(Exception):
    """The run lacks what the demo needs; the message says what to pass."""


def configure(parser: argparse.ArgumentParser) -> None:
    from base.cli import int_between

    parser.add_argument("--run", required=True, help="a preprocessed and trained run folder")
    parser.add_argument("--input", help="raw CSV to take sample rows from, with or without the label column "
                                        "(default: the run's samples.csv)")
    parser.add_argument("--rows", type=int_between(1, 10000), default=5, help="sample rows to predict (default: 5)")


def _csv_line(cells: list[str]) -> str:
    from io import StringIO

    out = StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def sample_rows(run: Path, data: str | None, count: int) -> list[tuple[str, str]]:
    """(raw row without its label as a CSV line, the label) pairs: the AWS seed row for abalone, then
    `count` rows of `data` or of the run's samples.csv."""
    manifest = json.loads((run / "manifest.json").read_text())
    label = manifest["columns"]["label"]
    requested = [c["name"] for c in json.loads((run / "schema.json").read_text())["input"]]
    if data is None:
        if not (run / "samples.csv").is_file():
            raise DemoError(f"{run} has no samples.csv (made by an older sparkleap): pass --input with the raw CSV")
        data, names, header = str(run / "samples.csv"), None, True
    else:
        names, header = _raw_layout(manifest)
    picked: list[tuple[str, str]] = []
    with open(data, newline="") as f:
        reader = csv.reader(f)
        if header:
            names = next(reader, [])
        for cells in reader:
            if len(picked) >= count:
                break
            if cells:
                picked.append(_request_and_label(cells, names, header, label, requested, data))
    return ([(SEED_ROW, "?")] if requested == SEED_COLUMNS else []) + picked


def _request_and_label(cells: list[str], names: list[str], header: bool, label: str, requested: list[str],
                       data: str) -> tuple[str, str]:
    """One row of `data` as a request in the schema's column order, and its label ("?" when the file has
    none: a header without it, or headerless rows one cell short of the run's raw layout)."""
    if not header and label in names and len(cells) == len(names) - 1:
        names = [n for n in names if n != label]
    by_name = dict(zip(names, cells, strict=False))
    missing = [c for c in requested if c not in by_name]
    if missing:
        raise DemoError(f"{data}: no column(s) {', '.join(missing)} (the model's inputs); columns: "
                        f"{', '.join(names)}")
    return _csv_line([by_name[c] for c in requested]), by_name.get(label, "?")


def _raw_layout(manifest: dict) -> tuple[list[str] | None, bool]:
    """(column names, whether the file has a header) of the run's raw input."""
    schema = manifest["input"].get("schema")
    if not schema:
        return None, True  # a run made with --label and no schema file: the CSV has a header
    from glue_jobs.table_schema import load_schema

    table = load_schema(schema)
    return (None if table.header else table.names), table.header


def run(args: argparse.Namespace) -> int:
    import requests

    from serving.codecs import CSV
    from serving.inference_pipeline.description import DescriptionError, default_pipeline, run_postprocess
    from serving.inference_pipeline.local import LocalEndpoint
    from serving.inference_pipeline.processes import StartError

    run_dir = Path(args.run)
    try:
        label = json.loads((run_dir / "manifest.json").read_text())["columns"]["label"]
        rows = sample_rows(run_dir, args.input, args.rows)
        if not (run_dir / "xgboost" / "model.tar.gz").is_file():
            raise DemoError(f"{run_dir} has no trained model yet: run `sparkleap train --data {run_dir}` first")
        pipeline = default_pipeline(str(run_dir / "sparkml" / "model.tar.gz"),
                                    str(run_dir / "xgboost" / "model.tar.gz"), str(run_dir / "schema.json"),
                                    run_postprocess(str(run_dir)))
        classifier = len(pipeline.containers) == 3
        print(f"starting the local pipeline ({pipeline.describe()}) ...", flush=True)
        # its own name and state file: a `deploy local` endpoint running meanwhile must not lose its state
        with tempfile.TemporaryDirectory(prefix="sparkleap-demo-") as state, \
                LocalEndpoint(pipeline, name="demo", state_file=Path(state) / "state.json") as endpoint:
            sparkml_url = f"http://127.0.0.1:{endpoint.supervisor.containers[0].port}/invocations"
            print(f"endpoint up at {endpoint.url}/invocations\n")
            width = max(len(r) for r, _ in rows)
            predicted, shown_width = ("label,probability", 18) if classifier else ("predicted", 10)
            print(f"{'raw row (label removed)':<{width}} {label:>10} {predicted:>{shown_width}}  "
                  "features from the SparkML container")
            for row, value in rows:
                features = requests.post(sparkml_url, data=row, headers={"Content-Type": CSV}, timeout=30)
                answer = requests.post(f"{endpoint.url}/invocations", data=row,
                                       headers={"Content-Type": CSV, "Accept": CSV}, timeout=30)
                if answer.status_code != 200 or features.status_code != 200:
                    print(f"sparkleap demo: {row}: {answer.status_code} {answer.text.strip()}", file=sys.stderr)
                    return 1
                shown = f"{answer.text.strip():>18}" if classifier else f"{float(answer.text):>10.3f}"
                print(f"{row:<{width}} {value:>10} {shown}  {features.text.strip()}")
            print("\nstopping the pipeline")
    except (DemoError, OSError, KeyError, ValueError) as exc:
        print(f"sparkleap demo: error: {exc}", file=sys.stderr)
        return 2
    except (DescriptionError, StartError) as exc:
        print(f"sparkleap demo: error: {exc}", file=sys.stderr)
        return 1
    return 0
