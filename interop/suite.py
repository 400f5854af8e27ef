"""Run the catalogue both ways against real MLeap and produce report entries.

ours->mleap: sparkleap bundles the fitted Spark model (`--target 0.20`); real MLeap loads it and transforms the
sample; its outputs must equal ours exactly and Spark's (unless the case documents a divergence).
mleap->ours: real MLeap writes the same model with its own bundle writer; sparkleap loads that bundle and
must give MLeap's and Spark's numbers.
One JVM per (MLeap version, direction) for the whole catalogue.
"""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import bundles
from bundles.spark import bundle_from_spark
from interop import frames
from interop.catalogue import Case
from interop.mleap import Harness, Task

OURS_TO_MLEAP = "ours->mleap"
MLEAP_TO_OURS = "mleap->ours"


@dataclass
class Prepared:
    """A case fitted in Spark and bundled by sparkleap, with Spark's and our outputs on its sample rows."""

    case: Case
    bundle: Path
    frame: Path  # the sample's input columns as an MLeap JSON LeapFrame
    inputs: dict[str, list]  # raw input columns, as our runtime takes them
    outputs: list[str]  # every output column of every op
    spark: dict[str, list]
    ours: dict[str, list]


@dataclass
class Entry:
    """One report line: (op, MLeap version, direction)."""

    op: str
    version: str
    direction: str
    loaded: bool
    rows: int
    max_abs_diff: float  # real MLeap vs sparkleap: must be within the case tolerance
    spark_diff: float  # real MLeap vs Spark: within tolerance unless the divergence is documented
    note: str = ""
    error: str = ""

    tolerance: float = 1e-9
    expected_error: str = ""  # a documented MLeap limitation: MLeap must fail with this text

    @property
    def agrees(self) -> bool:
        if self.expected_error:
            return self.expected_error in self.error
        return self.loaded and not self.error and self.max_abs_diff <= self.tolerance and (
            self.spark_diff <= self.tolerance or bool(self.note))

    def as_json(self) -> dict:
        out = asdict(self)
        out["agrees"] = self.agrees
        for key in ("max_abs_diff", "spark_diff"):
            out[key] = None if math.isinf(out[key]) else out[key]
        out["error"] = out["error"].split("\n")[0]
        return out


def bundle_columns(bundle: bundles.Bundle) -> tuple[list[str], list[str]]:
    """(raw input columns, every op's output columns) of a bundle, in execution order."""
    produced: list[str] = []
    inputs: list[str] = []
    for op in bundle.ops:
        inputs += [c for c in op.shape.input_cols if c not in produced and c not in inputs]
        produced += op.shape.output_cols
    return inputs, produced


def runtime_columns(pdf, names: list[str]) -> dict:
    """pandas columns as our runtime's batch input: vectors 2-D float64, strings object, numbers float64."""
    import numpy as np

    columns = {}
    for name in names:
        values = pdf[name].tolist()
        if values and hasattr(values[0], "toArray"):
            columns[name] = np.vstack([v.toArray() for v in values])
        elif pdf[name].dtype == object:
            columns[name] = np.array(values, dtype=object)
        else:
            columns[name] = pdf[name].to_numpy(dtype=np.float64)
    return columns


def prepare(case: Case, spark, folder: Path, target: str = "0.20") -> Prepared:
    model, df = case.build(spark)
    path = folder / f"{case.name}.zip"
    bundles.save_bundle(bundle_from_spark(model, df, target=target), path, target)
    bundle = bundles.load_bundle(path)
    inputs, outputs = bundle_columns(bundle)
    pdf = model.transform(df).select(*inputs, *outputs).toPandas()
    raw = runtime_columns(pdf, inputs)
    fields = [(name, frames.mleap_type(df.schema[name].dataType)) for name in inputs]
    frame_path = folder / f"{case.name}.frame.json"
    frame_path.write_text(json.dumps(frames.mleap_frame(fields, pdf[inputs].values.tolist()), allow_nan=False))
    ours = bundle.transform(raw).columns
    return Prepared(case, path, frame_path, raw, outputs,
                    spark={name: frames.column(pdf[name]) for name in outputs},
                    ours={name: frames.column(ours[name]) for name in outputs})


def compare(side: dict[str, list], reference: dict[str, list], outputs: list[str]) -> float:
    return max((frames.max_abs_diff(side[name], reference[name]) for name in outputs), default=0.0)


def entry(p: Prepared, version: str, direction: str, result: dict, ours: dict | None = None) -> Entry:
    """An Entry from a harness `transform` result; `ours` overrides our outputs (mleap->ours)."""
    base = dict(op=p.case.name, version=version, direction=direction, tolerance=p.case.tolerance,
                note=p.case.divergence, expected_error=p.case.mleap_error)
    if "error" in result:
        return Entry(**base, loaded=bool(result.get("loaded")), rows=0, max_abs_diff=math.inf,
                     spark_diff=math.inf, error=result["error"])
    mleap = frames.mleap_columns(result)
    ours = ours if ours is not None else p.ours
    rows = len(next(iter(mleap.values()), []))
    return Entry(**base, loaded=True, rows=rows, max_abs_diff=compare(ours, mleap, p.outputs),
                 spark_diff=compare(p.spark, mleap, p.outputs))


def transform_tasks(prepared: list[Prepared], bundle_of=lambda p: p.bundle) -> list[Task]:
    return [Task("transform", str(bundle_of(p)), (str(p.frame), ",".join(p.outputs))) for p in prepared]


def ours_to_mleap(prepared: list[Prepared], version: str) -> list[Entry]:
    results = Harness(version).run(transform_tasks(prepared))
    return [entry(p, version, OURS_TO_MLEAP, r) for p, r in zip(prepared, results, strict=True)]


def mleap_to_ours(prepared: list[Prepared], version: str, folder: Path) -> list[Entry]:
    """Real MLeap re-writes each bundle with its own writer; we load that and transform the same rows."""
    written = {p.case.name: folder / f"{p.case.name}.mleap-{version}.zip" for p in prepared}
    harness = Harness(version)
    tasks = [Task("save", str(p.bundle), (str(written[p.case.name]),)) for p in prepared]
    tasks += transform_tasks(prepared, lambda p: written[p.case.name])
    results = harness.run(tasks)
    saved, transformed = results[:len(prepared)], results[len(prepared):]
    entries = []
    for p, save, result in zip(prepared, saved, transformed, strict=True):
        if "error" in save:
            entries.append(entry(p, version, MLEAP_TO_OURS, save))
            continue
        try:
            ours = bundles.load_bundle(written[p.case.name]).transform(dict(p.inputs)).columns
        except bundles.BundleError as exc:
            entries.append(Entry(p.case.name, version, MLEAP_TO_OURS, False, 0, math.inf, math.inf, p.case.divergence,
                                 f"sparkleap could not load MLeap's bundle: {exc}", p.case.tolerance))
            continue
        entries.append(entry(p, version, MLEAP_TO_OURS, result,
                             ours={name: frames.column(ours[name]) for name in p.outputs}))
    return entries


def serving_frame(bundle: bundles.Bundle, rows: list[dict]) -> dict:
    """An MLeap JSON LeapFrame of `rows` (dicts of raw values) typed by the bundle's serving schema inputs."""
    fields = []
    for column in bundle.serving_schema()["input"]:
        kind = {"type": "tensor", "base": "double"} if column.get("struct") == "vector" else column["type"]
        fields.append((column["name"], kind))
    return frames.mleap_frame(fields, [[row[name] for name, _ in fields] for row in rows])


def real_mleap_transform(path: str | Path, frame: dict, outputs: list[str], version: str) -> dict[str, list]:
    """Real MLeap's output columns for `frame` through the bundle at `path` (zip, folder or model.tar.gz)."""
    from bundles import archive

    folder, unpacked = archive.open_bundle_dir(path)
    try:
        with tempfile.TemporaryDirectory(prefix="sparkleap-frame-") as tmp:
            frame_path = Path(tmp) / "frame.json"
            frame_path.write_text(json.dumps(frame, allow_nan=False), encoding="utf-8")
            (result,) = Harness(version).run([Task("transform", str(folder), (str(frame_path), ",".join(outputs)))])
    finally:
        if unpacked is not None:
            unpacked.cleanup()
    if "error" in result:
        raise RuntimeError(f"real MLeap {version} failed on {path}: {result['error']}")
    return frames.mleap_columns(result)
