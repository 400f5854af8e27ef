"""The job's steps in order: read and check, fit, split, write CSVs, write and verify the bundle, publish."""

from __future__ import annotations

import datetime as dt
import json
import platform
import shutil
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from base import publish, storage
from glue_jobs import outputs, preflight
from glue_jobs.features import FEATURES, build_pipeline, derived_names, feature_names
from glue_jobs.progress import Progress
from glue_jobs.reader import Table, read_table
from glue_jobs.spark_session import job_session
from glue_jobs.table_schema import InputError


class JobError(Exception):
    """The job could not produce a correct run (e.g. the bundle does not reproduce Spark)."""


def spark_input(uri: str, spark, downloads: str) -> tuple[str, Callable[[str], str]]:
    """(path Spark reads, function naming a read file as the user gave it).

    An s3:// input is downloaded with boto3 when Spark runs locally; a cluster (Glue) reads it directly.
    """
    files = storage.list_files(uri)
    if not storage.is_s3(uri):
        return str(Path(uri).resolve()), lambda p: urllib.parse.unquote(p)
    if not spark.sparkContext.master.startswith("local"):
        return uri, lambda p: p
    local = storage.download(uri, downloads)
    root = str(Path(downloads).resolve())
    if len(files) == 1 and local.is_file():
        return str(local), lambda p: files[0] if urllib.parse.unquote(p) == str(local) else p
    base = uri.rstrip("/")

    def display(path: str) -> str:
        path = urllib.parse.unquote(path)
        return base + path[len(root):] if path.startswith(root) else path

    return str(local), display


def run_job(input: str, output: str, schema: str | None, spark, opts: dict[str, Any]) -> dict:
    """Run the whole job (see glue_jobs.preprocess); returns the manifest written with the run."""
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    table_schema = preflight.check(input, output, schema, opts)  # every argument/header problem, before Spark
    files = storage.list_files(input)
    spark = spark or job_session(verbose=bool(opts.get("verbose")))
    progress = Progress(spark, quiet=opts["quiet"])
    progress.say(f"sparkleap preprocess: {input} -> {output}")
    staging = publish.staging_dir(output)
    table: Table | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="sparkleap-input-") as downloads:
            with progress.step("read", "reading and checking the input"):
                source, display = spark_input(input, spark, downloads)
                table = read_table(spark, source, table_schema, label=opts["label"],
                                   categorical=opts["categorical"], numeric=opts["numeric"], impute=opts["impute"],
                                   handle_invalid=opts["handle_invalid"], task=opts["task"], display=display)
            manifest = _fit_and_write(table, staging, opts, progress)
        manifest = {
            "input": {"uri": input, "files": files, "schema": schema, "rows": table.rows},
            "output": output,
            **manifest,
            "started": started.isoformat(timespec="seconds"),
            "spark_master": spark.sparkContext.master,
            "versions": _versions(spark, manifest["bundle"].pop("version")),
        }
        manifest["timings_s"] = {**progress.timings, "total": round(time.perf_counter() - clock, 3)}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        with progress.step("publish", "publishing the run"):
            publish.publish(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if table is not None:
            table.df.unpersist()
    _summary(progress, manifest)
    return manifest


def _fit_and_write(table: Table, staging: Path, opts: dict, progress: Progress) -> dict:
    clash = sorted(set(derived_names(table.categorical, table.numeric, opts["impute"], opts["scale"]))
                   & set(table.df.columns))
    if clash:
        raise InputError(f"input column(s) {', '.join(clash)} clash with columns the pipeline adds; rename them")
    with progress.step("fit", "fitting the feature pipeline"):
        pipeline = build_pipeline(table.categorical, table.numeric, impute=opts["impute"], scale=opts["scale"],
                                  handle_invalid=opts["handle_invalid"])
        model = pipeline.fit(table.df)
    with progress.step("bundle", f"writing {outputs.BUNDLE_PATH}"):
        try:
            bundle = outputs.write_bundle(model, table.df, staging / outputs.BUNDLE_PATH,
                                          opts["bundle_target"], opts["serializer"])
        except RuntimeError as exc:
            raise JobError(str(exc)) from None
        (staging / "schema.json").write_text(json.dumps(outputs.serving_schema(bundle, table), indent=2) + "\n")
    ratio = float(opts["train_ratio"])
    train, validation = table.df.randomSplit([ratio, 1.0 - ratio], seed=int(opts["seed"]))
    splits = {}
    for name, part in (("train", train), ("validation", validation)):
        with progress.step(f"write_{name}", f"writing {name}/{outputs.SPLIT_FILE}"):
            stats = outputs.write_split_csv(model.transform(part), table.target, staging / name / outputs.SPLIT_FILE)
        if stats["rows"] == 0:
            raise InputError(f"the {name} split is empty: {table.rows} rows are too few for a "
                             f"{ratio:g}/{1 - ratio:g} split")
        splits[name] = {"path": f"{name}/{outputs.SPLIT_FILE}", **stats}
    with progress.step("samples", f"writing {outputs.SAMPLES_FILE}"):
        outputs.write_samples(validation, table, staging / outputs.SAMPLES_FILE)
    with progress.step("parity", "checking the bundle against Spark"):
        check = outputs.parity(bundle, model.transform(validation), table.categorical, table.numeric,
                               int(opts["parity_rows"]))
    if not check["equal"]:
        raise JobError(f"the bundle does not reproduce Spark's features on the validation rows: {check}")
    transformed = model.transform(table.df.limit(0))
    indexer = model.stages[0] if table.categorical else None
    return {
        "task": "classification" if table.classes else "regression",
        **({"classes": table.classes} if table.classes else {}),
        "columns": {"label": table.label, "categorical": table.categorical, "numeric": table.numeric,
                    "types": table.types, "missing": table.missing, "order": table.columns},
        "options": {k: opts[k] for k in ("task", "impute", "scale", "handle_invalid", "train_ratio", "seed",
                                          "bundle_target", "serializer")},
        "splits": splits,
        "label_stats": table.label_stats,
        "categories": dict(zip(table.categorical, ([list(ls) for ls in indexer.labelsArray] if indexer else []),
                               strict=True)),
        "features": {"size": len(feature_names(transformed)), "names": feature_names(transformed)},
        "bundle": {"path": outputs.BUNDLE_PATH, "target": opts["bundle_target"], "serializer": opts["serializer"],
                   "ops": [op.op_name for op in bundle.ops], "version": bundle.info.get("version")},
        "serving_schema": "schema.json",
        "samples": outputs.SAMPLES_FILE,
        "parity": check,
    }


def _versions(spark, bundle_version: str | None) -> dict:
    import importlib.metadata

    import numpy
    import pyspark

    try:
        ours = importlib.metadata.version("sparkleap")
    except importlib.metadata.PackageNotFoundError:
        ours = "unknown"
    return {"sparkleap": ours, "pyspark": pyspark.__version__, "spark": spark.version,
            "python": platform.python_version(), "numpy": numpy.__version__, "bundle_format": bundle_version}


def _summary(progress: Progress, manifest: dict) -> None:
    splits = manifest["splits"]
    cats = "; ".join(f"{c}: {', '.join(labels)}" for c, labels in manifest["categories"].items()) or "none"
    classes = manifest.get("classes")
    task = (f"  classification: {len(classes)} classes (index order): {', '.join(classes)}\n" if classes
            else "")
    progress.say(
        f"done in {manifest['timings_s']['total']:.1f} s: {manifest['input']['rows']} rows -> "
        f"train {splits['train']['rows']}, validation {splits['validation']['rows']}; "
        f"{manifest['features']['size']} features ({FEATURES})\n"
        f"{task}  categories: {cats}\n"
        f"  parity (bundle runtime vs Spark, {manifest['parity']['rows']} rows): "
        f"max |diff| {manifest['parity']['max_abs_diff']}\n"
        f"  outputs under {manifest['output']}: train/ validation/ {outputs.BUNDLE_PATH} schema.json "
        f"{outputs.SAMPLES_FILE} manifest.json\n"
        f"  requests list the columns in the file's order without the label: "
        f"{', '.join(c for c in manifest['columns']['order'] if c != manifest['columns']['label'])}"
    )
