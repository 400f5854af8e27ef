"""One transform job: every input file in order through an engine, one `.out` per file, a manifest.

Per file: split (SplitType) -> InputFilter -> pack (BatchStrategy, MaxPayloadInMB) -> engine.invoke ->
join + OutputFilter -> assemble (AssembleWith) -> written whole. A bad record fails its file only (no output
for it, an older one removed); the job carries on with the other files and fails at the end, its report
naming file, record (1-based) and reason.
Re-runs: the manifest records the job's fingerprint (serving/batch/fingerprint.py: input, models, schema,
options) and each input's size and sha256. Into an output of the same job, a file is skipped only when its
input is byte for byte the one recorded and its output is there; a changed input is transformed again; the
output of an input that is gone is removed (and said so). Another job's output is refused unless
`overwrite`, which transforms every file again.
An engine provides `name`, `model` (its fingerprint), `execution_parameters()` and
`invoke(requests, options) -> bodies`, and may provide `transform_file(data, options) -> bytes | None`
(a faster path giving the same bytes).
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from base import storage
from serving.batch import dataprocessing, fingerprint, inputs, outputs, records
from serving.batch.engines import InvocationError
from serving.batch.options import TransformOptions
from serving.batch.progress import Progress
from serving.errors import OversizedHop


@dataclass
class FileResult:
    input: str
    output: str  # "" when no output was written (a failed file)
    status: str  # "completed" | "skipped" | "failed"
    records: int = 0
    record: int | None = None  # the failing record, 1-based (0: the file as a whole)
    reason: str = ""
    size: int | None = None  # the input's bytes as stored, and their sha256 (None: not read)
    sha256: str | None = None

    def report_line(self) -> str:
        where = "" if self.record is None else " (whole file)" if self.record == 0 else f", record {self.record}"
        return f"{self.input}{where}: {self.reason}"


@dataclass
class JobResult:
    options: dict[str, Any]
    engine: str
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    input: str = ""
    fingerprint: dict[str, Any] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)  # outputs of inputs that are gone

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    def to_json(self) -> dict[str, Any]:
        return {"input": self.input, "engine": self.engine, "options": self.options, "seconds": round(self.seconds, 3),
                "status": "Failed" if self.failed else "Completed", "fingerprint": self.fingerprint,
                "removed": self.removed, "files": [asdict(f) for f in self.files]}


@dataclass
class Plan:
    """A job about to run: its result record, its input files, and what an earlier run into the same output
    vouches for (input uri -> file record)."""

    result: JobResult
    files: list[tuple[str, str]]
    earlier: dict[str, dict[str, Any]]
    overwrite: bool

    def unchanged(self, uri: str, target: str, stamp: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The input's fingerprint when its output is there from this very work, else None (redo it)."""
        before = self.earlier.get(uri)
        if self.overwrite or before is None or before.get("output") != target or not storage.exists(target):
            return None
        stamp = stamp or fingerprint.of_input(storage.read_bytes(uri))
        return stamp if (before["size"], before["sha256"]) == (stamp["size"], stamp["sha256"]) else None

    def drop_gone(self, progress: Progress) -> None:
        """Remove the outputs an earlier run made from inputs that are no longer there; say so."""
        present = {uri for uri, _ in self.files}
        for uri, before in self.earlier.items():
            if uri not in present and before.get("output"):
                outputs.remove(before["output"])
                self.result.removed.append(before["output"])
                progress.removed(before["output"], uri)

    def skip(self, uri: str, target: str, relative: str, stamp: dict[str, Any], progress: Progress) -> None:
        self.result.files.append(FileResult(uri, target, "skipped", **stamp))
        progress.file_done(relative, 0, skipped=True)


def start(input_location: str, output: str, options: TransformOptions, engine: str, model: dict[str, Any],
          overwrite: bool) -> Plan:
    """The job's plan; refuses an output holding another job's files unless `overwrite`, then records this
    job's fingerprint there (manifest status InProgress, keeping what the earlier run vouches for)."""
    result = JobResult(options=asdict(options), engine=engine, input=input_location)
    result.fingerprint = fingerprint.of_job(input_location, model, result.options)
    earlier = outputs.check_resume(output, result.fingerprint, overwrite)
    files = inputs.input_files(input_location, options.s3_data_type)
    plan = Plan(result, files, outputs.earlier_outputs(earlier), overwrite)
    carried = [] if overwrite else (earlier or {}).get("files", [])
    outputs.write_manifest(output, {**result.to_json(), "status": "InProgress", "files": carried})
    return plan


def failed(uri: str, target: str, exc: Exception, stamp: dict[str, Any] | None = None) -> FileResult:
    """A failed file's record; an older output of it (of another input or job) is removed: it would lie."""
    outputs.remove(target)
    record = getattr(exc, "record", 0)
    return FileResult(uri, "", "failed", record=record, reason=str(exc), **(stamp or {}))


class FileFailed(Exception):
    def __init__(self, record: int, reason: str):
        super().__init__(reason)
        self.record = record


def transform_stored(stored: bytes, options: TransformOptions, engine) -> tuple[bytes, int]:
    """The output of an input object's stored bytes (gunzipped first for CompressionType Gzip)."""
    try:
        data = inputs.decode(stored, options.compression_type)
    except inputs.InputDataError as exc:
        raise FileFailed(0, str(exc)) from None
    return transform_bytes(data, options, engine)


def transform_bytes(data: bytes, options: TransformOptions, engine) -> tuple[bytes, int]:
    """One file's output and its record count; FileFailed naming the 1-based record."""
    fast = getattr(engine, "transform_file", None)
    if fast is not None:
        out = fast(data, options)
        if out is not None:
            return out, out.count(b"\n")
    try:
        recs = records.split(data, options.split_type)
        sent = dataprocessing.filter_inputs(recs, options)
        requests = records.pack(sent, options.split_type, options.batch_strategy, options.payload_limit)
    except records.RecordError as exc:
        raise FileFailed(exc.record, str(exc)) from None
    except dataprocessing.RecordProcessingError as exc:
        raise FileFailed(exc.record + 1, str(exc)) from None
    try:
        requests, bodies = invoke_in_hops(engine, sent, requests, options)
    except InvocationError as exc:
        raise FileFailed(*_locate(exc, requests, options, engine)) from None
    if not options.data_processing:
        return dataprocessing.assemble(bodies, options.assemble_with), len(recs)
    pieces: list[bytes] = []
    try:
        for request, body in zip(requests, bodies, strict=True):
            results = dataprocessing.split_response(body, request.count, request.first)
            inputs = recs[request.first:request.first + request.count]
            pieces.extend(dataprocessing.join_and_filter(inputs, results, request.first, options))
    except dataprocessing.RecordProcessingError as exc:
        raise FileFailed(exc.record + 1, str(exc)) from None
    return dataprocessing.assemble(pieces, options.assemble_with), len(recs)


HOP_MARGIN = 0.9  # requests are sized for answers of at most 90% of the limit between containers


def invoke_in_hops(engine, sent: list[bytes], requests: list[records.Request],
                   options: TransformOptions) -> tuple[list[records.Request], list[bytes]]:
    """The requests sent and their answers. When a request or a container's answer on its way to the next
    is over its limit (413 / a hop over 5 MB), the records are packed again into requests sized from the
    measured expansion (answer bytes per request byte; unknown: half the size) and sent again; FileFailed
    when a single record is too big alone."""
    while True:
        try:
            return requests, engine.invoke(requests, options)
        except InvocationError as exc:
            request = next((r for r in requests if r.first == exc.record), None)
            if not exc.oversized or request is None:
                raise
            if request.count == 1:
                reason = exc.hop.one_line() if exc.hop else f"the record alone is refused as too large ({exc})"
                raise FileFailed(request.first + 1, reason) from None
            expansion = exc.hop.size / len(request.payload) if exc.hop else 2.0
            cap = min(int(OversizedHop.LIMIT * HOP_MARGIN / expansion), len(request.payload) // 2)
            requests = records.pack(sent, options.split_type, options.batch_strategy, options.payload_limit, cap)


def _locate(exc: InvocationError, requests: list[records.Request], options: TransformOptions,
            engine) -> tuple[int, str]:
    """The 1-based bad record of a failed request: re-sent one record at a time when it held several."""
    request = next((r for r in requests if r.first == exc.record), None)
    if request is None or request.count == 1 or exc.transient:
        return exc.record + 1, _in_file_terms(str(exc), exc.record, request is None or request.count == 1)
    pieces = request.payload.split(b"\n") if options.split_type == "Line" else []
    for k, piece in enumerate(pieces[:request.count]):
        try:
            engine.invoke([records.Request(request.first + k, 1, piece)], options)
        except InvocationError as single:
            return request.first + k + 1, _in_file_terms(str(single), request.first + k, True)
    return exc.record + 1, (f"{_in_file_terms(str(exc), request.first, False)} "
                            f"(in the request of records {request.first + 1}..{request.first + request.count})")


_ROW = re.compile(r"\b[Rr]ow (\d+)(?:, |: )")


def _in_file_terms(message: str, first: int, single: bool) -> str:
    """A container's message in the file's terms: its "row k" (within the request) dropped for a single
    record, whose number the report gives once, else turned into "record first+k"."""
    if single:
        return _ROW.sub("", message)
    return _ROW.sub(lambda m: f"record {first + int(m.group(1))}, ", message)


def run_job(input_location: str, output: str, options: TransformOptions, engine,
            progress: Progress | None = None, overwrite: bool = False) -> JobResult:
    """Transform every file under `input_location` into `output`; the manifest is written last."""
    started = time.perf_counter()
    options = options.resolved(None if _all_set(options) else engine.execution_parameters())
    plan = start(input_location, output, options, engine.name, engine.model, overwrite)
    result = plan.result
    progress = progress or Progress(len(plan.files))
    progress.start(options.describe())
    plan.drop_gone(progress)
    for uri, relative in plan.files:
        target = outputs.output_uri(output, relative)
        stored = storage.read_bytes(uri)
        stamp = fingerprint.of_input(stored)
        if plan.unchanged(uri, target, stamp):
            plan.skip(uri, target, relative, stamp, progress)
            continue
        try:
            data, count = transform_stored(stored, options, engine)
            storage.write_whole(target, data)
            result.files.append(FileResult(uri, target, "completed", count, **stamp))
            progress.file_done(relative, count, changed=not overwrite and uri in plan.earlier)
        except FileFailed as exc:
            result.files.append(failed(uri, target, exc, stamp))
            progress.file_failed(relative, exc.record, str(exc))
    result.seconds = time.perf_counter() - started
    outputs.write_manifest(output, result.to_json())
    progress.finish(result)
    return result


def _all_set(options: TransformOptions) -> bool:
    return None not in (options.batch_strategy, options.max_payload_mb, options.max_concurrent_transforms)
