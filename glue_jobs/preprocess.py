"""The preprocessing job: fit the feature pipeline on raw CSV, write the split CSVs, the bundle and the manifest.

Runs unchanged as `sparkleap preprocess` (embedded Spark), as an AWS Glue 5.0 job (arguments through
`awsglue.utils.getResolvedOptions`) and via `spark-submit glue_jobs/preprocess.py --input ... --output ...`.
Python API: `preprocess(input, output, schema=None, spark=None, **options) -> manifest dict`.

Run layout (local folder or s3:// prefix):
  train/part-00000.csv, validation/part-00000.csv   headerless `label,f1..fn`, input order, repr numbers
  sparkml/model.tar.gz                              the Bundle.ML bundle (`bundle.json`, `root/` at the top)
  schema.json                                       the serving schema (SAGEMAKER_SPARKML_SCHEMA)
  manifest.json                                     inputs, counts, label stats, categories, parity, timings;
                                                    a classification: task and class names in index order
                                                    (the CSVs' label is then the class index 0..k-1)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

OPTIONS: dict[str, Any] = {
    "label": None,  # label column (default: the schema's)
    "task": "auto",  # auto | regression | classification (auto: a text label is a classification)
    "categorical": None,  # list or comma-separated names (default: the schema's string columns)
    "numeric": None,  # likewise (default: the schema's numeric columns)
    "impute": "none",  # none | mean | median | mode, for missing numeric values
    "scale": "none",  # none | standard | minmax | maxabs, over the numeric columns
    "handle_invalid": "error",  # StringIndexer: error | keep | skip (nulls and unseen labels)
    "train_ratio": 0.8,
    "seed": 42,
    "bundle_target": "0.20",  # MLeap runtime the bundle must load in: 0.20 (AWS image 3.3) or 0.9 (image 2.2)
    "serializer": "ours",  # ours | mleap (MLeap's SimpleSparkSerializer; needs its JAR on the classpath)
    "parity_rows": 100_000,  # validation rows compared between Spark and the bundle runtime
    "overwrite": False,  # replace an existing run at the output (its xgboost/ model too)
    "quiet": False,
    "verbose": False,  # show Spark's own log lines
}
GLUE_OPTIONS = ("input", "output", "schema",
                *(k.replace("_", "-") for k in OPTIONS if k not in ("quiet", "verbose")))


def configure(parser: argparse.ArgumentParser) -> None:
    from glue_jobs.features import HANDLE_INVALID, IMPUTE, SCALE
    from glue_jobs.labels import TASKS

    parser.add_argument("--input", required=True, help="CSV file, folder of CSVs, or s3:// object/prefix")
    parser.add_argument("--output", required=True, help="run location: local folder or s3:// prefix")
    parser.add_argument("--schema", help="schema JSON (columns, types, label, header), local or s3://; "
                                         "without it the CSV needs a header and --label")
    parser.add_argument("--label", help="label column (default: the schema's)")
    parser.add_argument("--task", choices=TASKS, default=OPTIONS["task"],
                        help="classification indexes the label (class names in the manifest); default auto: "
                             "a text label is a classification, a numeric one a regression")
    parser.add_argument("--categorical", help="comma-separated categorical columns (default: string columns)")
    parser.add_argument("--numeric", help="comma-separated numeric columns (default: numeric columns)")
    parser.add_argument("--impute", choices=IMPUTE, default=OPTIONS["impute"],
                        help="fill missing numeric values (default: none, missing values are an error)")
    parser.add_argument("--scale", choices=SCALE, default=OPTIONS["scale"], help="scale the numeric columns")
    parser.add_argument("--handle-invalid", choices=HANDLE_INVALID, default=OPTIONS["handle_invalid"],
                        help="StringIndexer handling of missing/unseen categories (default: error)")
    parser.add_argument("--train-ratio", type=float, default=OPTIONS["train_ratio"],
                        help="share of rows in train/ (default: 0.8)")
    parser.add_argument("--seed", type=int, default=OPTIONS["seed"], help="split seed (default: 42)")
    parser.add_argument("--bundle-target", choices=("0.20", "0.9"), default=OPTIONS["bundle_target"],
                        help="MLeap runtime version the bundle must load in (default: 0.20)")
    parser.add_argument("--serializer", choices=("ours", "mleap"), default=OPTIONS["serializer"],
                        help="bundle writer: ours, or MLeap's (needs the MLeap JAR on the Spark classpath)")
    parser.add_argument("--parity-rows", type=int, default=OPTIONS["parity_rows"],
                        help="validation rows checked Spark vs bundle runtime (default: 100000)")
    parser.add_argument("--overwrite", nargs="?", const=True, default=False, type=_flag, metavar="true|false",
                        help="replace an existing run at --output, its trained xgboost/ model included "
                             "(default: refuse to touch it)")
    parser.add_argument("--quiet", action="store_true", help="no progress display or summary")
    parser.add_argument("--verbose", action="store_true", help="also show Spark's own log lines")


def _flag(text: str) -> bool:
    """`--overwrite` alone, or `--overwrite true|false` as AWS Glue passes job arguments."""
    if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
        raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")
    return text.lower() in ("true", "1", "yes")


def run(args: argparse.Namespace) -> int:
    from base.storage import StorageError
    from bundles import BundleError
    from glue_jobs.job import JobError
    from glue_jobs.table_schema import InputError

    options = {k: getattr(args, k) for k in OPTIONS if getattr(args, k, None) is not None}
    try:
        preprocess(args.input, args.output, args.schema, **options)
    except (InputError, StorageError, BundleError, FileExistsError) as exc:
        print(f"sparkleap preprocess: error: {exc}", file=sys.stderr)
        return 2
    except JobError as exc:
        print(f"sparkleap preprocess: error: {exc}", file=sys.stderr)
        return 1
    return 0


def preprocess(input: str, output: str, schema: str | None = None, spark=None, **options) -> dict:
    """Run the job: `input` CSV file/folder/s3 prefix -> run at `output`; returns the manifest.

    Options are those of OPTIONS (e.g. seed=7, impute="mean", categorical=["a", "b"]). Raises
    InputError for bad input (naming column and file); nothing is written at `output` then.
    """
    from glue_jobs.job import run_job

    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"unknown preprocess option(s): {', '.join(unknown)}; known: {', '.join(OPTIONS)}")
    settings = {**OPTIONS, **options}
    for key in ("categorical", "numeric"):
        if isinstance(settings[key], str):
            settings[key] = [c.strip() for c in settings[key].split(",") if c.strip()]
    return run_job(str(input), str(output), schema and str(schema), spark, settings)


def job_argv(argv: list[str]) -> list[str]:
    """On AWS Glue, the job's own arguments resolved by getResolvedOptions (Glue adds its own); else `argv`."""
    try:
        from awsglue.utils import getResolvedOptions
    except ImportError:
        return argv
    present = [name for name in GLUE_OPTIONS if f"--{name}" in argv]
    resolved = getResolvedOptions(["preprocess", *argv], present)
    out: list[str] = []
    for name in present:
        out += [f"--{name}", resolved.get(name, resolved.get(name.replace("-", "_")))]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="preprocess", description=__doc__.splitlines()[0], allow_abbrev=False)
    configure(parser)
    return run(parser.parse_args(job_argv(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    sys.exit(main())
