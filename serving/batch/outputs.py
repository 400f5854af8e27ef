"""Where outputs go and how they appear: `<output>/<path relative to the input>.out`, written whole or not at all.

Input `s3://b/in/day1/a.csv` under `--input s3://b/in` -> `<output>/day1/a.csv.out` (a single input file
-> `<output>/a.csv.out`). Local files are written under a hidden temp name then renamed; S3 objects are
sent in one PUT, or as a multipart upload that is aborted on any error, so no partial object is ever visible.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sparkleap import storage

PART_BYTES = 16 * 1024 * 1024  # S3 multipart part size (>= 5 MiB)
MANIFEST = "manifest.json"


def input_files(location: str) -> list[tuple[str, str]]:
    """(uri, relative name) of every input file, in input (sorted) order."""
    files = storage.list_files(location)
    single = len(files) == 1 and files[0].rstrip("/") == str(location).rstrip("/")
    base = str(location).rstrip("/")
    if not storage.is_s3(location):
        base = str(Path(location))
    return [(f, Path(f).name if single else f[len(base):].lstrip("/")) for f in files]


def output_uri(output: str, relative: str) -> str:
    return storage.join(output, relative + ".out")


def exists(uri: str) -> bool:
    if not storage.is_s3(uri):
        return Path(uri).is_file()
    bucket, key = storage.split_s3(uri)
    client = storage.s3_client()
    try:
        client.head_object(Bucket=bucket, Key=key)
        return True
    except client.exceptions.ClientError:
        return False


def write_whole(uri: str, data: bytes) -> None:
    """Write `data` so that readers see all of it or nothing."""
    if not storage.is_s3(uri):
        path = Path(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return
    bucket, key = storage.split_s3(uri)
    client = storage.s3_client()
    if len(data) <= PART_BYTES:
        client.put_object(Bucket=bucket, Key=key, Body=data)
        return
    upload = client.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    try:
        parts = []
        for number, start in enumerate(range(0, len(data), PART_BYTES), 1):
            tag = client.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=number,
                                     Body=data[start:start + PART_BYTES])["ETag"]
            parts.append({"PartNumber": number, "ETag": tag})
        client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    except BaseException:
        client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
        raise


def write_manifest(output: str, manifest: dict) -> str:
    uri = storage.join(output, MANIFEST)
    write_whole(uri, (json.dumps(manifest, indent=2) + "\n").encode())
    return uri
