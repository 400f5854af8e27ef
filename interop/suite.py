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
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import bundles
from bundles.spark import bundle_from_spark
from glue_jobs.spark_limit import time_limit
from interop import frames
from interop.catalogue import Case, Sample
from interop.mleap import Harness, Task

OURS_TO_MLEAP = "ours->mleap"
MLEAP_TO_OURS = "mleap->ours"


@dataclass
class Prepared:
    """A case fitted in Spark and bundled by sparkleap for one target, with Spark's and our outputs."""

    case: Case
    target: str
    refused: str = ""  # sparkleap's BundleError when it cannot write this case for `target`
    bundle: Path | None = None
    frame: Path | None = None  # the sample's input columns as an MLeap JSON LeapFrame
    inputs: dict[str, list] = field(default_factory=dict)  # raw input columns, as our runtime takes them
    outputs: list[str] = field(default_factory=list)  # every output column of every op
    spark: dict[str, list] = field(default_factory=dict)  # Spark's outputs (an extension op: its expected ones)
    ours: dict[str, list] = field(default_factory=dict)


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
    mleap_differs: bool = False  # a documented divergence where real MLeap's numbers are not Spark's (nor ours)
    refused: str = ""  # sparkleap refused to write the legacy target's form (its format cannot express it)

    @property
    def agrees(self) -> bool:
        if self.refused:
            return True
        if self.expected_error:  # and sparkleap, where it ran, gave Spark's numbers
            return self.expected_error in self.error and (self.rows == 0 or self.spark_diff <= self.tolerance)
        if self.mleap_differs:
            return self.loaded and not self.error and bool(self.note)
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


LEGACY_TARGETS = ("0.9",)  # formats that cannot express every Spark form: a clear refusal is an answer
CASE_LIMIT_S = float(os.environ.get("SPARKLEAP_INTEROP_CASE_LIMIT_S", "300"))  # seconds unloaded


def prepare(case: Case, spark, folder: Path, targets: tuple[str, ...] = ("0.20",),
            limit_s: float = CASE_LIMIT_S) -> dict[str, Prepared]:
    """Fit the case once; for each target, sparkleap's bundle, our outputs and Spark's on the sample rows. An
    extension op's case gives its bundle and a `Sample` instead: the reference is then the op's semantics.
    The case's Spark work is cancelled after `limit_s` seconds: SparkTimeout names the case."""
    with time_limit(spark, f"interop case {case.name}", limit_s):
        return prepared_case(case, spark, folder, targets)


def prepared_case(case: Case, spark, folder: Path, targets: tuple[str, ...]) -> dict[str, Prepared]:
    model, df = case.build(spark)
    if isinstance(df, Sample):
        return {target: bundled(case, target, folder, model, lambda _: (df.fields, df.rows, df.columns()), df.expected)
                for target in targets}
    pdf = model.transform(df).toPandas()

    def sample(names: list[str]) -> tuple[list[tuple[str, Any]], list[list], dict]:
        fields = [(name, frames.mleap_type(df.schema[name].dataType)) for name in names]
        return fields, pdf[names].values.tolist(), runtime_columns(pdf, names)

    return {target: bundled(case, target, folder, lambda t: bundle_from_spark(model, df, target=t), sample, pdf)
            for target in targets}


def bundled(case: Case, target: str, folder: Path, written: bundles.Bundle | Callable[[str], bundles.Bundle],
            sample: Callable[[list[str]], tuple[list[tuple[str, Any]], list[list], dict]], reference: Any) -> Prepared:
    """One target's Prepared: sparkleap's bundle of the case (or its refusal), the input columns `sample(names)`
    gives ((name, MLeap type) fields, rows, our runtime's columns) as an MLeap frame, our outputs, and the
    reference's (`reference[name]`: Spark's column, or the column an extension op's semantics give)."""
    path = folder / f"{case.name}.{target}.zip"
    try:
        bundles.save_bundle(written(target) if callable(written) else written, path, target)
    except bundles.BundleError as exc:
        return Prepared(case, target, refused=str(exc))
    bundle = bundles.load_bundle(path)
    inputs, outputs = bundle_columns(bundle)
    fields, rows, raw = sample(inputs)
    frame_path = folder / f"{case.name}.{target}.frame.json"
    frame_path.write_text(json.dumps(frames.mleap_frame(fields, rows), allow_nan=False))
    ours = bundle.transform(dict(raw)).columns
    return Prepared(case, target, "", path, frame_path, raw, outputs,
                    spark={name: frames.column(reference[name]) for name in outputs},
                    ours={name: frames.column(ours[name]) for name in outputs})


def compare(side: dict[str, list], reference: dict[str, list], outputs: list[str]) -> float:
    return max((frames.max_abs_diff(side[name], reference[name]) for name in outputs), default=0.0)


def base_fields(p: Prepared, version: str, direction: str) -> dict:
    return dict(op=p.case.name, version=version, direction=direction, tolerance=p.case.tolerance,
                note=p.case.divergence, expected_error=p.case.mleap_error, mleap_differs=p.case.mleap_differs)


def refused(p: Prepared, version: str, direction: str) -> Entry:
    """sparkleap would not write the case for the version's target: an answer for a legacy format only."""
    reason = f"sparkleap refuses --target {p.target}: {p.refused}"
    legacy = p.target in LEGACY_TARGETS
    return Entry(**{**base_fields(p, version, direction), "expected_error": "", "note": reason if legacy else ""},
                 loaded=False, rows=0, max_abs_diff=math.inf, spark_diff=math.inf,
                 refused=p.refused if legacy else "", error="" if legacy else reason)


def entry(p: Prepared, version: str, direction: str, result: dict, ours: dict | None = None) -> Entry:
    """An Entry from a harness `transform` result; `ours` overrides our outputs (mleap->ours)."""
    base = base_fields(p, version, direction)
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
    """Real MLeap `version` loads our bundles (written for its target) and transforms the sample rows."""
    written = [p for p in prepared if not p.refused]
    results = dict(zip((p.case.name for p in written), Harness(version).run(transform_tasks(written)), strict=True))
    return [refused(p, version, OURS_TO_MLEAP) if p.refused else entry(p, version, OURS_TO_MLEAP, results[p.case.name])
            for p in prepared]


def mleap_to_ours(prepared: list[Prepared], version: str, folder: Path) -> list[Entry]:
    """Real MLeap re-writes each bundle with its own writer; we load that and transform the same rows."""
    written = [p for p in prepared if not p.refused]
    paths = {p.case.name: folder / f"{p.case.name}.mleap-{version}.zip" for p in written}
    tasks = [Task("save", str(p.bundle), (str(paths[p.case.name]),)) for p in written]
    tasks += transform_tasks(written, lambda p: paths[p.case.name])
    results = Harness(version).run(tasks)
    saved = dict(zip(paths, results[:len(written)], strict=True))
    transformed = dict(zip(paths, results[len(written):], strict=True))
    entries = []
    for p in prepared:
        if p.refused:
            entries.append(refused(p, version, MLEAP_TO_OURS))
        elif "error" in saved[p.case.name]:
            entries.append(entry(p, version, MLEAP_TO_OURS, saved[p.case.name]))
        else:
            entries.append(ours_on_mleaps_bundle(p, version, paths[p.case.name], transformed[p.case.name]))
    return entries


def ours_on_mleaps_bundle(p: Prepared, version: str, path: Path, mleap_result: dict) -> Entry:
    try:
        ours = bundles.load_bundle(path).transform(dict(p.inputs)).columns
    except bundles.BundleError as exc:
        return Entry(**base_fields(p, version, MLEAP_TO_OURS), loaded=False, rows=0, max_abs_diff=math.inf,
                     spark_diff=math.inf, error=f"sparkleap could not load MLeap's bundle: {exc}")
    ours = {name: frames.column(ours[name]) for name in p.outputs}
    if "error" in mleap_result and p.case.reload_error:  # MLeap cannot reload its own bundle: ours vs Spark
        rows = len(next(iter(ours.values()), []))
        return Entry(**{**base_fields(p, version, MLEAP_TO_OURS), "expected_error": p.case.reload_error},
                     loaded=True, rows=rows, max_abs_diff=math.inf, spark_diff=compare(ours, p.spark, p.outputs),
                     error=mleap_result["error"])
    return entry(p, version, MLEAP_TO_OURS, mleap_result, ours=ours)


def serving_frame(bundle: bundles.Bundle, rows: list[dict]) -> dict:
    """An MLeap JSON LeapFrame of `rows` (dicts of raw values) typed by the bundle's serving schema inputs."""
    fields = []
    for column in bundle.serving_schema(every_input=True)["input"]:
        kind = {"vector": {"type": "tensor", "base": "double"}, "array": {"type": "list", "base": column["type"]},
                "map": {"type": "map", "key": "string", "base": column["type"], "isNullable": True},
                }.get(column.get("struct", "basic"), column["type"])
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
