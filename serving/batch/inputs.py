"""A job's input objects (S3DataType) and their bytes (CompressionType), as SageMaker Batch Transform reads them.

S3Prefix: every visible file under `--input` (local folder or s3:// prefix), in sorted order; each is named by
its path relative to `--input`. ManifestFile: `--input` is a JSON manifest (local or s3://),
`[{"prefix": "s3://bucket/some/prefix/"}, "relative/path/1", "relative/path/2", ...]`, listing the objects in
its own order; each is named by its relative path as listed (so the output is `<output>/relative/path/1.out`).
Gzip: each object is gunzipped before it is split into records; its output keeps the object's name + `.out`.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from base import storage
from serving.batch.options import OptionsError

MAX_INFLATED_BYTES = 2 * 1024**3  # a gzip input may not inflate beyond this (a bomb is refused, not unpacked)


class InputDataError(ValueError):
    """An input object that cannot be read as its CompressionType says (fails that file only)."""


def input_files(location: str, s3_data_type: str = "S3Prefix") -> list[tuple[str, str]]:
    """(uri, relative name) of every input object, in the order the job processes them."""
    if s3_data_type == "ManifestFile":
        return manifest_files(location)
    files = storage.list_files(location)
    single = len(files) == 1 and files[0].rstrip("/") == str(location).rstrip("/")
    base = str(location).rstrip("/")
    if not storage.is_s3(location):
        base = str(Path(location))
    return [(f, Path(f).name if single else f[len(base):].lstrip("/")) for f in files]


def manifest_files(manifest: str) -> list[tuple[str, str]]:
    """The objects a ManifestFile lists: (prefix + entry, entry). OptionsError naming the entry when the
    manifest is malformed; StorageError when it or a listed object does not exist."""
    try:
        doc = json.loads(storage.read_bytes(manifest))
    except (ValueError, UnicodeDecodeError) as exc:
        raise OptionsError(f"--input {manifest}: a ManifestFile must be JSON ({exc})") from None
    if not isinstance(doc, list) or not doc or not isinstance(doc[0], dict) \
            or not isinstance(doc[0].get("prefix"), str) or not doc[0]["prefix"]:
        raise OptionsError(f'--input {manifest}: a ManifestFile is a JSON list whose first entry is '
                           f'{{"prefix": "s3://bucket/prefix/"}}, then the object paths relative to it')
    prefix = doc[0]["prefix"]
    files = []
    for number, entry in enumerate(doc[1:], 2):
        if not isinstance(entry, str) or not entry.strip("/"):
            raise OptionsError(f"--input {manifest}: entry {number} must be a relative path (a string), "
                               f"got {json.dumps(entry)[:60]}")
        relative = entry.lstrip("/")
        uri = prefix + relative if prefix.endswith("/") else storage.join(prefix, relative)
        files.append((uri, relative))
    if not files:
        raise OptionsError(f"--input {manifest}: the ManifestFile lists no objects after its prefix")
    missing = [uri for uri, _ in files if not storage.exists(uri)]
    if missing:
        more = f" (and {len(missing) - 3} more)" if len(missing) > 3 else ""
        raise storage.StorageError(f"--input {manifest} lists object(s) that do not exist: "
                                   f"{', '.join(missing[:3])}{more}")
    return files




GZIP_MAGIC = b"\x1f\x8b"


def decode(stored: bytes, compression_type: str = "None") -> bytes:
    """An object's stored bytes as records are read from them: gunzipped for CompressionType Gzip;
    InputDataError with a hint for gzip data sent as is."""
    if compression_type == "Gzip":
        return gunzip(stored)
    if stored[:2] == GZIP_MAGIC:
        raise InputDataError("the object is gzip data (it starts with the gzip magic number 1f 8b): pass "
                             "--compression-type Gzip (CompressionType) to gunzip it before it is split")
    return stored


def gunzip(data: bytes) -> bytes:
    """Every gzip member of `data` inflated; InputDataError for other data or beyond MAX_INFLATED_BYTES."""
    if data[:2] != GZIP_MAGIC:
        raise InputDataError("CompressionType is Gzip but the object is not gzip data")
    out: list[bytes] = []
    size = 0
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = inflater.decompress(data, MAX_INFLATED_BYTES - size + 1)
        except zlib.error as exc:
            raise InputDataError(f"CompressionType is Gzip but the object is not valid gzip ({exc})") from None
        size += len(chunk)
        if size > MAX_INFLATED_BYTES or inflater.unconsumed_tail:
            raise InputDataError(f"the gzip object inflates beyond {MAX_INFLATED_BYTES} bytes")
        if not inflater.eof:
            raise InputDataError("CompressionType is Gzip but the object is a truncated gzip stream")
        out.append(chunk)
        data = inflater.unused_data.lstrip(b"\0")
    return b"".join(out)
