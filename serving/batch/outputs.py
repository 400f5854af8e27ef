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
HOW_NOT_WHAT = ("max_concurrent_transforms", "max_retries", "timeout_s")  # options that never change an output


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


def remove(uri: str) -> None:
    """Delete an output file or object if it is there."""
    if not storage.is_s3(uri):
        Path(uri).unlink(missing_ok=True)
        return
    bucket, key = storage.split_s3(uri)
    storage.s3_client().delete_object(Bucket=bucket, Key=key)


def read_manifest(output: str) -> dict | None:
    """The manifest an earlier job left at `output`, None when there is none (or it is unreadable)."""
    try:
        return json.loads(storage.read_bytes(storage.join(output, MANIFEST)))
    except (storage.StorageError, ValueError):
        return None


def check_resume(output: str, input_location: str, options: dict, overwrite: bool) -> None:
    """Refuse (OptionsError naming --overwrite) to resume into `output` when its manifest records another
    input or other options: skipping the files it holds would silently keep outputs of another job."""
    from serving.batch.options import OptionsError

    earlier = read_manifest(output)
    if overwrite or earlier is None:
        return
    before = {k: v for k, v in earlier.get("options", {}).items() if k in options and k not in HOW_NOT_WHAT}
    now = {k: options[k] for k in before}
    if earlier.get("input", input_location) != input_location:
        before["input"], now["input"] = earlier["input"], input_location
    changed = [f"{k} {before[k]!r} -> {now[k]!r}" for k in before if before[k] != now[k]]
    if changed:
        raise OptionsError(f"--output {output} holds the outputs of a transform with other options "
                           f"({'; '.join(changed)}); pass --overwrite to transform every file again with these, "
                           "or choose another --output")


def write_manifest(output: str, manifest: dict) -> str:
    uri = storage.join(output, MANIFEST)
    write_whole(uri, (json.dumps(manifest, indent=2) + "\n").encode())
    return uri
