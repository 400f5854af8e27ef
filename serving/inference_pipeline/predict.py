"""`sparkleap predict --endpoint URL|sagemaker:NAME [FILE|-]`: raw rows in, one prediction per row out.

Rows (no label, in the serving schema's column order) are read from FILE or stdin, packed into requests of at
most `--max-payload-mb`, sent in order, and each request's answer lines written in order to stdout or
`--output` (temp name, then rename). The body is split by its Content-Type's records: text/csv by CSV record
(RFC 4180), application/jsonlines by line (a leading `{"schema": ...}` line goes with every request),
application/json as is, or, when too big, `{"data": [[row], ...]}` split into several such bodies.
An URL endpoint is called over HTTP (`<URL>/invocations`);
`sagemaker:NAME` calls InvokeEndpoint with boto3 (region and credentials from the environment).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from base.atomic import atomic_path
from serving import codecs
from serving.errors import OversizedHop

PAYLOAD_MB = 5  # under InvokeEndpoint's 6 MB and the 5 MB between pipeline containers
SENT = (codecs.CSV, codecs.JSON, codecs.JSONLINES)  # the types whose records `requests_of` can split
PROGRESS_AFTER = 20  # requests before a progress line is shown


class PredictError(Exception):
    """A failed request (the endpoint's status and message) or a malformed answer. `oversized`: the request,
    or a container's answer on its way to the next (`hop`), was over a size limit (413, a 424 for a hop)."""

    def __init__(self, message: str, oversized: bool = False, hop: OversizedHop | None = None):
        super().__init__(message)
        self.oversized = oversized or hop is not None
        self.hop = hop


class Budget:
    """Bytes per request: `--max-payload-mb` at first, lowered when answers are measured to expand past the
    limit between pipeline containers (read by the packers at every record)."""

    def __init__(self, limit: int):
        self.bytes = limit

    def __int__(self) -> int:
        return self.bytes

    def fit_hop(self, sent: int, hop: OversizedHop | None) -> None:
        """After a request of `sent` bytes was too big (its answer `hop.size` bytes, when known): at most half
        of it, and small enough for answers of 90% of the limit between containers."""
        expansion = hop.size / sent if hop else 2.0
        self.bytes = max(1, min(self.bytes, sent // 2, int(OversizedHop.LIMIT * 0.9 / expansion)))


def configure(parser: argparse.ArgumentParser) -> None:
    from base.cli import positive_float

    parser.add_argument("input", nargs="?", default="-", help="CSV file of raw rows, or - for stdin (default)")
    parser.add_argument("--endpoint", required=True,
                        help="http://HOST:PORT of a local endpoint, or sagemaker:NAME for a SageMaker endpoint")
    parser.add_argument("--output", help="write predictions here (default: stdout)")
    parser.add_argument("--content-type", default=codecs.CSV, type=sent_type,
                        help=f"the input's type: {', '.join(SENT)} (default {codecs.CSV})")
    parser.add_argument("--accept", default=codecs.CSV, type=sent_type,
                        help=f"the answer's type: {', '.join(SENT)} (default {codecs.CSV})")
    parser.add_argument("--max-payload-mb", type=positive_float, default=PAYLOAD_MB,
                        help=f"request size limit in MB, > 0 (default: {PAYLOAD_MB}); requests are split further "
                             "when an answer would be over the 5 MB allowed between pipeline containers")
    parser.add_argument("--region", help="AWS region for sagemaker:NAME (default: the boto3 session's)")


def sent_type(text: str) -> str:
    """An argparse type: a media type `predict` can split (aliases and parameters such as `;charset=utf-8`
    accepted and kept as given)."""
    if codecs.canonical(text.split(";", 1)[0]) not in SENT:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(SENT)}")
    return text


def run(args: argparse.Namespace) -> int:
    from base import exits

    try:
        send = sender(args.endpoint, args.content_type, args.accept, args.region)
        source = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")  # noqa: SIM115
        with source:
            if source.peek(2)[:2] == b"\x1f\x8b":
                raise ValueError(f"{args.input}: gzip data (it starts with the gzip magic number 1f 8b): send the "
                                 f"rows unpacked, e.g. `gzip -dc {args.input} | sparkleap predict ...`")
            budget = Budget(int(args.max_payload_mb * 1024 * 1024))
            batches = requests_of(source, args.content_type, budget)
            lines = predict(batches, send, progress=sys.stderr, per_row=_per_row(args.accept),
                            repack=lambda body: requests_of(io.BytesIO(body), args.content_type, budget),
                            budget=budget)
            write_lines(lines, args.output)
    except PredictError as exc:
        return exits.fail("predict", exc, exits.FAILED)
    except (OSError, ValueError) as exc:
        return exits.fail("predict", exc, exits.BAD_INPUT)
    return exits.OK


def _per_row(accept: str) -> bool:
    """True when the answer holds one line per row (CSV and JSON Lines); application/json is one document."""
    media = codecs.media_of(accept)
    return media is None or media.per_record


def requests_of(stream: BinaryIO, content_type: str, limit: int | Budget) -> Iterator[tuple[bytes, int | None]]:
    """(body, rows or None when unknown) per request, split by the content type's records."""
    media = codecs.media_of(content_type)
    records_kind = media.records if media else "csv"
    if records_kind == "document":
        return json_requests(stream.read(), limit)
    if records_kind == "lines":
        return jsonlines_requests(stream, limit)
    return pack(records(stream), limit)


def _rows_in(obj: object) -> int | None:
    """Rows in a `{"data": ...}` object: a list of rows counts each, one row counts one; else unknown."""
    if not isinstance(obj, dict) or "data" not in obj:
        return 0 if isinstance(obj, dict) and "schema" in obj else None
    data = obj["data"]
    if isinstance(data, list) and data and all(isinstance(r, list) for r in data):
        return len(data)
    return 1


def json_requests(body: bytes, limit: int | Budget) -> Iterator[tuple[bytes, int | None]]:
    """The JSON body as is when it fits, else `{"data": [[row], ...]}` split into bodies of at most `limit`."""
    import json

    limit = int(limit)
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None  # sent as is: the endpoint says what is wrong with it
    if len(body) <= limit:
        if body.strip():
            yield body, _rows_in(doc)
        return
    rows = doc.get("data") if isinstance(doc, dict) else None
    if not (isinstance(rows, list) and rows and all(isinstance(r, list) for r in rows)):
        raise ValueError(f"the JSON body is {len(body)} bytes, over the {limit}-byte request limit, and is not "
                         '{"data": [[row], [row], ...]}, which could be sent in parts')
    rest = {k: v for k, v in doc.items() if k != "data"}
    encoded = [json.dumps(r, separators=(",", ":")).encode() for r in rows]
    head = json.dumps({**rest, "data": []}, separators=(",", ":")).encode()[:-3]  # up to `"data":`
    chunk: list[bytes] = []
    size = len(head) + 2
    for number, row in enumerate(encoded, 1):
        if len(head) + len(row) + 2 > limit:
            raise ValueError(f"row {number} alone is over the {limit}-byte request limit")
        if chunk and size + len(row) + 1 > limit:
            yield head + b"[" + b",".join(chunk) + b"]}", len(chunk)
            chunk, size = [], len(head) + 2
        chunk.append(row)
        size += len(row) + 1
    if chunk:
        yield head + b"[" + b",".join(chunk) + b"]}", len(chunk)


def jsonlines_requests(stream: BinaryIO, budget: int | Budget) -> Iterator[tuple[bytes, int | None]]:
    """JSON Lines packed whole into bodies of at most `limit`; a first schema-only line starts every body."""
    import json

    header = b""
    chunk: list[bytes] = []
    rows: int | None = 0
    size = 0
    for number, raw in enumerate(stream, 1):
        line = raw.rstrip(b"\r\n") + b"\n"
        if not line.strip():
            continue
        try:
            count = _rows_in(json.loads(line))
        except ValueError:
            count = None
        if count == 0 and not chunk and not header:
            header = line
            continue
        limit = int(budget)
        if len(header) + len(line) > limit:
            raise ValueError(f"line {number} is {len(line)} bytes, over the {limit}-byte request limit")
        if chunk and size + len(line) > limit:
            yield header + b"".join(chunk), rows
            chunk, rows, size = [], 0, len(header)
        chunk.append(line)
        size = size or len(header)
        size += len(line)
        rows = None if rows is None or count is None else rows + count
    if chunk:
        yield header + b"".join(chunk), rows


def records(stream: BinaryIO) -> Iterator[bytes]:
    """Each CSV record as one line of bytes ending in \\n (quoted fields may span lines); blank lines skipped."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(text):
        if row and any(cell.strip() for cell in row):
            writer.writerow(row)
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()


def pack(lines: Iterable[bytes], budget: int | Budget) -> Iterator[tuple[bytes, int]]:
    """(body, row count) of consecutive records, each body at most `budget` bytes; a larger record ->
    ValueError."""
    chunk: list[bytes] = []
    size = 0
    for number, line in enumerate(lines, 1):
        limit = int(budget)
        if len(line) > limit:
            raise ValueError(f"row {number} is {len(line)} bytes, over the {limit}-byte request limit")
        if size + len(line) > limit:
            yield b"".join(chunk), len(chunk)
            chunk, size = [], 0
        chunk.append(line)
        size += len(line)
    if chunk:
        yield b"".join(chunk), len(chunk)


def sender(endpoint: str, content_type: str, accept: str, region: str | None = None) -> Callable[[bytes], bytes]:
    """A function posting one body and returning the answer body; PredictError on any failure."""
    if endpoint.startswith("sagemaker:"):
        return _sagemaker_sender(endpoint.split(":", 1)[1], content_type, accept, region)
    if not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"--endpoint {endpoint!r}: give http://HOST:PORT or sagemaker:NAME")
    import requests

    url = endpoint.rstrip("/")
    url = url if url.endswith("/invocations") else url + "/invocations"
    session = requests.Session()

    def send(body: bytes) -> bytes:
        try:
            reply = session.post(url, data=body, headers={"Content-Type": content_type, "Accept": accept},
                                 timeout=120)
        except requests.ConnectionError:
            raise PredictError(f"no endpoint is answering at {endpoint} (stopped, or another port?): start one "
                               "with `sparkleap deploy local --run RUN` and pass the URL it prints") from None
        except requests.RequestException as exc:
            raise PredictError(f"{url}: {exc}") from None
        if reply.status_code != 200:
            text = reply.text.strip()
            raise PredictError(f"{url} answered {reply.status_code}: {text}", oversized=reply.status_code == 413,
                               hop=OversizedHop.parse(text) if reply.status_code == 424 else None)
        return reply.content

    return send


def _sagemaker_sender(name: str, content_type: str, accept: str, region: str | None) -> Callable[[bytes], bytes]:
    from botocore.exceptions import BotoCoreError, ClientError

    from base import aws

    client = aws.sagemaker_client(region, "sagemaker-runtime")

    def send(body: bytes) -> bytes:
        try:
            reply = client.invoke_endpoint(EndpointName=name, ContentType=content_type, Accept=accept, Body=body)
        except (ClientError, BotoCoreError) as exc:
            status = getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
            raise PredictError(f"endpoint {name}: {exc}", oversized=status == 413,
                               hop=OversizedHop.parse(str(exc))) from None
        return reply["Body"].read()

    return send


def predict(batches: Iterable[tuple[bytes, int | None]], send: Callable[[bytes], bytes], progress=None,
            per_row: bool = True, repack: Callable[[bytes], Iterable[tuple[bytes, int | None]]] | None = None,
            budget: Budget | None = None) -> Iterator[bytes]:
    """Answer lines in input order; with `per_row`, each answer must hold one line per row sent (when the
    request's row count is known). With `repack` (a body -> smaller bodies of the same rows, within `budget`),
    a request refused as too big (413, or a hop over the limit between containers) is sent again in parts;
    one row too big alone is a PredictError naming it."""
    started, rows_done, number = time.monotonic(), 0, 0
    for number, (body, rows) in enumerate(batches, 1):
        for answer_body, sent_rows in _sent(body, rows, send, repack, budget, rows_done):
            answer = answer_body.splitlines(keepends=True)
            if per_row and sent_rows is not None and len(answer) != sent_rows:
                raise PredictError(f"request {number}: sent {sent_rows} rows, got {len(answer)} answer lines")
            yield from (line if line.endswith(b"\n") else line + b"\n" for line in answer)
        rows_done += rows or 0
        if progress is not None and number >= PROGRESS_AFTER:
            rate = rows_done / max(time.monotonic() - started, 1e-9)
            print(f"\r{number} requests, {rows_done} rows, {rate:,.0f} rows/s", end="", file=progress, flush=True)
    if progress is not None and rows_done and number >= PROGRESS_AFTER:
        print(file=progress)


def _sent(body: bytes, rows: int | None, send: Callable[[bytes], bytes], repack, budget: Budget | None,
          before: int) -> Iterator[tuple[bytes, int | None]]:
    """(answer, rows) of one body, sent again in parts while it is refused as too big."""
    try:
        yield send(body), rows
        return
    except PredictError as exc:
        if not exc.oversized or repack is None or budget is None:
            raise
        if rows == 1:
            why = exc.hop.one_line() if exc.hop else f"it alone is refused as too large ({exc})"
            raise PredictError(f"row {before + 1}: {why}") from None
        budget.fit_hop(len(body), exc.hop)
    for part, part_rows in repack(body):
        yield from _sent(part, part_rows, send, repack, budget, before)
        before += part_rows or 0


def write_lines(lines: Iterable[bytes], output: str | None) -> None:
    """To stdout as they come, or to `output` via a temp file renamed once complete."""
    if not output:
        for line in lines:
            sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
        return
    with atomic_path(output) as tmp, open(tmp, "wb") as out:
        out.writelines(lines)
