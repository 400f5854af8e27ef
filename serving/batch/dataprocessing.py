"""DataProcessing (InputFilter, JoinSource, OutputFilter) and AssembleWith, on bytes.

CSV records are rows (RFC 4180, written back with `codecs.csv_line`: fields keep their text, quoted only
when needed); JSON/JSON Lines records are JSON values (written compact). The join uses the ORIGINAL
input record, not the filtered one: CSV appends the prediction fields to the input row; JSON puts the
prediction under `SageMakerOutput` in the input object, or builds `{"SageMakerInput": ..., "SageMakerOutput": ...}`
when the input is not an object. A prediction that parses as JSON is joined as that value, else as text.

AssembleWith Line ends every response (without data processing) or every output record with exactly one
newline, adding none when the container's body already ends with one (the XGBoost container's batch output
does, so no blank lines); None concatenates the bytes as they come.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from serving.batch import jsonpath
from serving.batch.options import TransformOptions
from serving.codecs import CSV, csv_line


class RecordProcessingError(ValueError):
    """A record that a filter or the join cannot handle; `record` is its 0-based position in the file."""

    def __init__(self, record: int, message: str):
        super().__init__(message)
        self.record = record


def _csv_row(record: bytes, record_no: int) -> list[str]:
    try:
        rows = list(csv.reader(io.StringIO(record.decode("utf-8-sig"), newline=""), strict=True))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise RecordProcessingError(record_no, f"not a CSV row ({exc})") from None
    return rows[0] if rows else []


def _json_value(record: bytes, record_no: int) -> Any:
    try:
        return json.loads(record.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordProcessingError(record_no, f"not valid JSON ({exc})") from None


def _dump_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _dump_csv(value: Any) -> bytes:
    return csv_line(value if isinstance(value, list) else [value]).encode()


def _apply(path: jsonpath.JsonPath, value: Any, record_no: int, what: str) -> Any:
    try:
        return path.apply(value)
    except jsonpath.JsonPathError as exc:
        raise RecordProcessingError(record_no, f"{what} {exc}") from None


def filter_inputs(records: list[bytes], options: TransformOptions) -> list[bytes]:
    """The records as sent, after InputFilter (unchanged when it is `$`)."""
    path = jsonpath.parse(options.input_filter)
    if path.identity:
        return records
    if options.content_media == CSV:
        return [_dump_csv(_apply(path, _csv_row(r, i), i, "InputFilter")) for i, r in enumerate(records)]
    return [_dump_json(_apply(path, _json_value(r, i), i, "InputFilter")) for i, r in enumerate(records)]


def split_response(body: bytes, expected: int, first: int) -> list[bytes]:
    """One output record per input record of a response (lines); RecordProcessingError on a count mismatch."""
    lines = [line.removesuffix(b"\r") for line in body.split(b"\n")]
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) != expected:
        raise RecordProcessingError(first, f"the response holds {len(lines)} output records for {expected} "
                                           "input records, so outputs cannot be matched to inputs")
    return lines


def join_and_filter(inputs: list[bytes], outputs: list[bytes], first: int, options: TransformOptions) -> list[bytes]:
    """Output records after JoinSource and OutputFilter (records `first`.. of the file)."""
    path = jsonpath.parse(options.output_filter)
    join = options.join_source == "Input"
    out = []
    for k, (source, result) in enumerate(zip(inputs, outputs, strict=True)):
        i = first + k
        if options.content_media == CSV:
            row = _csv_row(result, i)
            value: Any = _csv_row(source, i) + row if join else row
            out.append(_dump_csv(_apply(path, value, i, "OutputFilter")))
            continue
        prediction = _prediction(result)
        value = _json_join(_json_value(source, i), prediction, i) if join else prediction
        out.append(_dump_json(_apply(path, value, i, "OutputFilter")))
    return out


def _prediction(result: bytes) -> Any:
    text = result.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _json_join(source: Any, prediction: Any, record_no: int) -> dict[str, Any]:
    if isinstance(source, dict):
        if "SageMakerOutput" in source:
            raise RecordProcessingError(record_no, "the input object already has the reserved attribute "
                                                   "SageMakerOutput")
        return {**source, "SageMakerOutput": prediction}
    return {"SageMakerInput": source, "SageMakerOutput": prediction}


def assemble(pieces: list[bytes], assemble_with: str) -> bytes:
    """Responses or output records as one file body."""
    if assemble_with == "None":
        return b"".join(pieces)
    return b"".join(p if p.endswith(b"\n") else p + b"\n" for p in pieces)
