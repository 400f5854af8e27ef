"""The run's outputs: split CSVs, the bundle, the parity check, and publishing the finished run.

A run is built in a staging folder and published at the end (renamed into place locally, uploaded
to S3 with `manifest.json` last), so a failed run leaves nothing half-written at the output.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from glue_jobs.features import FEATURES
from glue_jobs.reader import ROW, TEXT

SPLIT_FILE = "part-00000.csv"
BUNDLE_PATH = "sparkml/model.tar.gz"
SAMPLES_FILE = "samples.csv"
SAMPLE_ROWS = 20


def serving_schema(bundle, table) -> dict:
    """The bundle's serving schema with its inputs in the raw file's column order, label removed.

    A request row is then a line of the user's file without its label; a column the pipeline does not read
    is listed as a string, so it may hold anything."""
    derived = bundle.serving_schema()
    by_name = {c["name"]: c for c in derived["input"]}
    inputs = [by_name.pop(name, {"name": name, "type": "string"}) for name in table.request_columns]
    return {"input": inputs + list(by_name.values()), "output": derived["output"]}


def write_samples(validation, table, path: Path) -> None:
    """The first SAMPLE_ROWS validation rows as raw CSV with a header, in the file's column order (label
    included; a missing value is an empty cell; numbers as the file wrote them): sample requests for
    `sparkleap demo`."""
    import csv

    numeric = {*table.numeric, *([] if table.classes else [table.label])}
    shown = [TEXT + n if n in numeric else n for n in table.columns]
    pdf = validation.orderBy(ROW).limit(SAMPLE_ROWS).select(*shown).toPandas()

    def cell(value) -> str:
        return "" if value is None or (isinstance(value, float) and value != value) else str(value)

    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([cell(v) for v in row] for row in pdf.itertuples(index=False, name=None))


def csv_chunks(batches: Iterator[Any]) -> Iterator[Any]:
    """mapInPandas body: (label, feature array) rows -> one chunk of CSV text per batch.

    Numbers are written with Python's shortest round-trip `repr` (`15.0`, `0.515`, `1e-05`).
    Each chunk also carries its row count and label sum/min/max for the split's statistics.
    """
    for pdf in batches:
        if pdf.empty:
            continue
        label = pdf["label"].to_numpy(dtype=np.float64)
        matrix = np.column_stack([label, np.vstack(pdf["f"].to_numpy())]).tolist()
        text = "".join(",".join(map(float.__repr__, row)) + "\n" for row in matrix)
        yield pd.DataFrame({"rows": [len(label)], "label_sum": [float(label.sum())],
                            "label_min": [float(label.min())], "label_max": [float(label.max())], "text": [text]})


def write_split_csv(df, label: str, path: Path) -> dict:
    """Write `df` (transformed split) as headerless `label,f1..fn` lines in input order to one file.

    Formatting runs on the executors; the driver streams the chunks in partition order into `path`.
    Returns {"rows", "label_mean", "label_min", "label_max"}.
    """
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import functions as F

    lines = (df.sortWithinPartitions(ROW)
             .select(F.col(label).alias("label"), vector_to_array(F.col(FEATURES)).alias("f"))
             .mapInPandas(csv_chunks, "rows long, label_sum double, label_min double, label_max double, text string"))
    rows, total, low, high = 0, 0.0, float("inf"), float("-inf")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        for chunk in lines.toLocalIterator(prefetchPartitions=True):
            out.write(chunk.text)
            rows += chunk.rows
            total += chunk.label_sum
            low, high = min(low, chunk.label_min), max(high, chunk.label_max)
    if rows == 0:
        return {"rows": 0}
    return {"rows": rows, "label_mean": total / rows, "label_min": low, "label_max": high}


def write_bundle(model, sample, path: Path, target: str, serializer: str):
    """Serialize the fitted PipelineModel to a SageMaker `model.tar.gz` and return it loaded back.

    serializer "ours": `bundles.spark.bundle_from_spark`; "mleap": MLeap's SimpleSparkSerializer (needs
    the MLeap JAR on the Spark classpath), repacked with `bundle.json` and `root/` at the archive top.
    """
    import bundles
    from bundles import archive

    path.parent.mkdir(parents=True, exist_ok=True)
    if serializer == "ours":
        from bundles.spark import bundle_from_spark

        bundles.save_bundle(bundle_from_spark(model, sample, target=target), path, target)
    else:
        with tempfile.TemporaryDirectory(prefix="sparkleap-mleap-") as tmp:
            mleap_serialize(model, sample, Path(tmp) / "model.zip")
            unpacked = Path(tmp) / "unpacked"
            unpacked.mkdir()
            archive.unpack(Path(tmp) / "model.zip", unpacked)
            archive.pack(archive.bundle_root(unpacked), path)
    return bundles.load_bundle(path)


def mleap_serialize(model, sample, zip_path: Path) -> None:
    """Write a bundle zip with MLeap's own Scala serializer; a clear error when its JAR is missing."""
    from py4j.java_gateway import JavaClass

    jvm = sample.sparkSession.sparkContext._jvm
    if not isinstance(jvm.ml.combust.mleap.spark.SimpleSparkSerializer, JavaClass):
        raise RuntimeError("--serializer mleap needs the MLeap Spark JAR (ml.combust.mleap:mleap-spark_2.12) on "
                           "the Spark classpath (spark.jars / --jars / Glue --extra-jars); use --serializer ours")
    from mleap.pyspark.spark_support import SimpleSparkSerializer

    SimpleSparkSerializer().serializeToBundle(model, f"jar:file:{zip_path.resolve()}", sample.limit(1))


def bundle_columns(pdf, categorical: list[str], numeric: list[str]) -> dict[str, np.ndarray]:
    """A pandas frame of raw values as the bundle runtime's columns (strings: object/None; numbers: float64)."""
    columns: dict[str, np.ndarray] = {}
    for name in categorical:
        values = pdf[name].to_numpy(dtype=object)
        columns[name] = np.where(pd.isna(values), None, values).astype(object)
    for name in numeric:
        columns[name] = pdf[name].to_numpy(dtype=np.float64, na_value=np.nan)
    return columns


def parity(bundle, df, categorical: list[str], numeric: list[str], limit: int) -> dict:
    """Spark's `features` vs the bundle runtime's on up to `limit` rows of `df`, in input order.

    Returns {"rows", "max_abs_diff", "equal"}; NaN matches only NaN (a mismatch is recorded as inf).
    """
    from pyspark.ml.functions import vector_to_array
    from pyspark.sql import functions as F

    pdf = (df.orderBy(ROW).limit(limit)
           .select(*categorical, *numeric, vector_to_array(F.col(FEATURES)).alias("f")).toPandas())
    if pdf.empty:
        return {"rows": 0, "max_abs_diff": 0.0, "equal": True}
    expected = np.vstack(pdf["f"].to_numpy())
    got = bundle.transform(bundle_columns(pdf, categorical, numeric)).columns[FEATURES]
    if got.shape != expected.shape:
        return {"rows": len(pdf), "max_abs_diff": float("inf"), "equal": False,
                "detail": f"bundle gave shape {list(got.shape)}, Spark {list(expected.shape)}"}
    nan_match = np.isnan(got) == np.isnan(expected)
    diff = np.abs(np.nan_to_num(got, nan=0.0) - np.nan_to_num(expected, nan=0.0))
    worst = float(diff.max()) if nan_match.all() else float("inf")
    return {"rows": len(pdf), "max_abs_diff": worst, "equal": bool(np.array_equal(got, expected, equal_nan=True))}
