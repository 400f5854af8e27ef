"""`sparkleap bundle inspect PATH` and `sparkleap bundle export --model DIR --sample DATA --output PATH`.

Export turns a fitted Spark model saved with Spark's own `model.write().save(DIR)` (a PipelineModel or a
single model) into a Bundle.ML bundle with no MLeap JAR: the model is loaded in embedded Spark, the sample
(CSV with a header, or Parquet) is transformed once for vector sizes, and the bundle is written to a folder,
a `.zip` or a SageMaker `model.tar.gz` (atomically). It prints the derived serving schema
(`SAGEMAKER_SPARKML_SCHEMA`). Arguments are checked before Spark starts; every failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bundles import inspect

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")


def configure(parser: argparse.ArgumentParser) -> None:
    from bundles.context import DEFAULT_TARGET, TARGETS

    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    inspect.configure(actions)
    export = actions.add_parser("export", help="write a bundle from a fitted Spark model saved with model.save()")
    export.add_argument("--model", required=True, help="folder written by Spark's model.write().save(DIR)")
    export.add_argument("--sample", required=True, help="a sample of the model's input: CSV with a header, or Parquet")
    export.add_argument("--output", required=True, help="bundle folder, .zip, or SageMaker model.tar.gz")
    export.add_argument("--target", choices=TARGETS, default=DEFAULT_TARGET,
                        help=f"MLeap runtime version the bundle must load in (default {DEFAULT_TARGET})")


class ExportError(Exception):
    """A bad export argument or a model that cannot be exported (one line)."""


def spark_model_class(model_dir: Path) -> str:
    """The Scala class a Spark model folder was saved from: the JSON line of its `metadata/part-*` file (Spark 3.5
    writes `part-00000`, Spark 4 a DataFrame's `part-00000-<uuid>-c000.txt`; an empty part is skipped)."""
    folder = model_dir / "metadata"
    parts = [p for p in sorted(folder.glob("part-*")) if p.is_file() and p.stat().st_size] if folder.is_dir() else []
    if not parts:
        raise ExportError(f"{model_dir}: not a saved Spark model (no metadata/part-* file; save it with "
                          f"model.write().save(DIR))")
    try:
        return str(json.loads(parts[0].read_text(encoding="utf-8").splitlines()[0])["class"])
    except (ValueError, KeyError, IndexError, UnicodeDecodeError):
        raise ExportError(f"{parts[0]}: not Spark model metadata") from None


def sample_format(sample: Path) -> str:
    if not sample.exists():
        raise ExportError(f"{sample}: no such file or directory")
    name = sample.name.lower()
    if name.endswith(".csv") or (sample.is_dir() and any(sample.glob("*.csv"))):
        return "csv"
    if name.endswith(".parquet") or (sample.is_dir() and any(sample.glob("*.parquet"))):
        return "parquet"
    raise ExportError(f"{sample}: the sample must be a .csv file (with a header) or Parquet")


def check_output(output: Path) -> None:
    if output.exists() and output.is_file() and not output.name.lower().endswith(ARCHIVE_SUFFIXES):
        raise ExportError(f"{output}: exists and is not a bundle folder, .zip or .tar.gz")
    if not output.parent.exists():
        raise ExportError(f"{output.parent}: no such directory")


def load_spark_model(model_dir: Path, class_name: str):
    """The PySpark model saved in `model_dir` (its PySpark class is the Scala class under `pyspark.`)."""
    import importlib

    module_name, _, name = class_name.replace("org.apache.spark", "pyspark", 1).rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        raise ExportError(f"{model_dir}: Spark class {class_name} has no PySpark model class") from None
    return cls.load(str(model_dir))


def export(model_dir: str, sample: str, output: str, target: str) -> dict:
    """Write the bundle; returns its serving schema. Raises ExportError / BundleError."""
    model_path, sample_path, output_path = Path(model_dir), Path(sample), Path(output)
    class_name = spark_model_class(model_path)
    fmt = sample_format(sample_path)
    check_output(output_path)
    from bundles import save_bundle
    from bundles.spark import bundle_from_spark
    from glue_jobs.spark_session import local_session

    spark = local_session(app_name="sparkleap-bundle-export", partitions=2)
    model = load_spark_model(model_path, class_name)
    reader = spark.read.option("header", True).option("inferSchema", True) if fmt == "csv" else spark.read
    data = reader.csv(str(sample_path)) if fmt == "csv" else reader.parquet(str(sample_path))
    bundle = bundle_from_spark(model, data, target=target)
    save_bundle(bundle, output_path, target=target)
    ours = sorted({op.op_name for op in bundle.ops if not op.mleap_reads})
    if ours:
        print(f"note: {output}: op(s) {', '.join(ours)} have no MLeap op; sparkleap's containers serve the bundle, "
              "real MLeap (AWS's sagemaker-sparkml-serving image) refuses it", file=sys.stderr)
    return bundle.serving_schema()


def run(args: argparse.Namespace) -> int:
    if args.action == "inspect":
        return inspect.run(args)
    from base import exits
    from bundles import BundleError

    try:
        schema = export(args.model, args.sample, args.output, args.target)
    except (ExportError, BundleError) as exc:
        return exits.fail("bundle export", exc, exits.BAD_INPUT)
    except Exception as exc:  # Spark's analysis errors (a sample missing a column, …): one line, no traceback
        if type(exc).__module__.startswith(("pyspark", "py4j")):
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return exits.fail("bundle export", f"Spark could not apply the model to the sample: {first}",
                              exits.BAD_INPUT)
        raise
    print(json.dumps(schema, indent=2))
    return exits.OK
