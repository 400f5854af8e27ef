"""`sparkleap predict --endpoint URL|sagemaker:NAME [FILE|-]`: raw CSV rows in, one prediction per row out.

Rows (no label) are read from FILE or stdin, packed into requests of at most `--max-payload-mb`
(whole CSV records, RFC 4180), sent in order, and each request's answer lines written in order to stdout
or `--output` (temp name, then rename). An URL endpoint is called over HTTP (`<URL>/invocations`);
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

PAYLOAD_MB = 5  # under InvokeEndpoint's 6 MB and the 5 MB between pipeline containers
PROGRESS_AFTER = 20  # requests before a progress line is shown


class PredictError(Exception):
    """A failed request (the endpoint's status and message) or a malformed answer."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", nargs="?", default="-", help="CSV file of raw rows, or - for stdin (default)")
    parser.add_argument("--endpoint", required=True,
                        help="http://HOST:PORT of a local endpoint, or sagemaker:NAME for a SageMaker endpoint")
    parser.add_argument("--output", help="write predictions here (default: stdout)")
    parser.add_argument("--content-type", default="text/csv")
    parser.add_argument("--accept", default="text/csv")
    parser.add_argument("--max-payload-mb", type=float, default=PAYLOAD_MB,
                        help=f"request size limit (default: {PAYLOAD_MB})")
    parser.add_argument("--region", help="AWS region for sagemaker:NAME (default: the boto3 session's)")


def run(args: argparse.Namespace) -> int:
    try:
        send = sender(args.endpoint, args.content_type, args.accept, args.region)
        source = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")  # noqa: SIM115
        with source:
            batches = pack(records(source), int(args.max_payload_mb * 1024 * 1024))
            lines = predict(batches, send, progress=sys.stderr)
            write_lines(lines, args.output)
    except (OSError, PredictError, ValueError) as exc:
        print(f"sparkleap predict: error: {exc}", file=sys.stderr)
        return 1
    return 0


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


def pack(lines: Iterable[bytes], limit: int) -> Iterator[tuple[bytes, int]]:
    """(body, row count) of consecutive records, each body at most `limit` bytes; a larger record -> ValueError."""
    chunk: list[bytes] = []
    size = 0
    for number, line in enumerate(lines, 1):
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
        except requests.RequestException as exc:
            raise PredictError(f"{url}: {exc}") from None
        if reply.status_code != 200:
            raise PredictError(f"{url} answered {reply.status_code}: {reply.text.strip()}")
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
            raise PredictError(f"endpoint {name}: {exc}") from None
        return reply["Body"].read()

    return send


def predict(batches: Iterable[tuple[bytes, int]], send: Callable[[bytes], bytes], progress=None) -> Iterator[bytes]:
    """Answer lines in input order; each answer must hold one line per row sent."""
    started, rows_done = time.monotonic(), 0
    for number, (body, rows) in enumerate(batches, 1):
        answer = send(body).splitlines(keepends=True)
        if len(answer) != rows:
            raise PredictError(f"request {number}: sent {rows} rows, got {len(answer)} answer lines")
        yield from (line if line.endswith(b"\n") else line + b"\n" for line in answer)
        rows_done += rows
        if progress is not None and number >= PROGRESS_AFTER:
            rate = rows_done / max(time.monotonic() - started, 1e-9)
            print(f"\r{number} requests, {rows_done} rows, {rate:,.0f} rows/s", end="", file=progress, flush=True)
    if progress is not None and rows_done and number >= PROGRESS_AFTER:
        print(file=progress)


def write_lines(lines: Iterable[bytes], output: str | None) -> None:
    """To stdout as they come, or to `output` via a temp file renamed once complete."""
    if not output:
        for line in lines:
            sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
        return
    with atomic_path(output) as tmp, open(tmp, "wb") as out:
        out.writelines(lines)
