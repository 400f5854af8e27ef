"""`sparkleap demo --run RUN --input CSV`: deploy a run's two models locally, predict sample rows, shut down.

The seed row from the AWS sample comes first, then the first `--rows` rows of the data set with their
label removed; each is printed with the SparkML container's features and the pipeline's prediction.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

SEED_ROW = "F,0.515,0.425,0.14,0.766,0.304,0.1725,0.255"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--run", required=True, help="a preprocessed and trained run folder")
    parser.add_argument("--input", required=True, help="the raw CSV the run was made from")
    parser.add_argument("--rows", type=int, default=5, help="data set rows to predict besides the seed row")


def sample_rows(run: Path, data: str, count: int) -> list[tuple[str, str]]:
    """(raw row without its label, the label) pairs: the seed row (label unknown), then `count` data rows."""
    from glue_jobs.table_schema import load_schema

    manifest = json.loads((run / "manifest.json").read_text())
    schema = load_schema(manifest["input"]["schema"])
    label_at = schema.names.index(manifest["columns"]["label"])
    rows = [(SEED_ROW, "?")]
    with open(data, newline="") as f:
        reader = csv.reader(f)
        if schema.header:
            next(reader, None)
        for cells in reader:
            if len(rows) > count:
                break
            label = cells.pop(label_at)
            rows.append((",".join(cells), label))
    return rows


def run(args: argparse.Namespace) -> int:
    import requests

    from serving.pipeline.description import DescriptionError, default_pipeline
    from serving.pipeline.local import LocalEndpoint
    from serving.pipeline.processes import StartError

    run_dir = Path(args.run)
    rows = sample_rows(run_dir, args.input, args.rows)
    try:
        pipeline = default_pipeline(str(run_dir / "sparkml" / "model.tar.gz"),
                                    str(run_dir / "xgboost" / "model.tar.gz"), str(run_dir / "schema.json"))
        print("starting the local pipeline (sparkml -> xgboost) ...", flush=True)
        with LocalEndpoint(pipeline) as endpoint:
            sparkml_url = f"http://127.0.0.1:{endpoint.supervisor.containers[0].port}/invocations"
            print(f"endpoint up at {endpoint.url}/invocations\n")
            print(f"{'raw row (label removed)':<48} {'rings':>5} {'predicted':>9}  features from the SparkML container")
            for row, label in rows:
                features = requests.post(sparkml_url, data=row, headers={"Content-Type": "text/csv"}, timeout=30)
                answer = requests.post(f"{endpoint.url}/invocations", data=row,
                                       headers={"Content-Type": "text/csv", "Accept": "text/csv"}, timeout=30)
                if answer.status_code != 200 or features.status_code != 200:
                    print(f"sparkleap demo: {row}: {answer.status_code} {answer.text.strip()}", file=sys.stderr)
                    return 1
                print(f"{row:<48} {label:>5} {float(answer.text):>9.3f}  {features.text.strip()}")
            print("\nstopping the pipeline")
    except (DescriptionError, StartError, OSError) as exc:
        print(f"sparkleap demo: error: {exc}", file=sys.stderr)
        return 1
    return 0
