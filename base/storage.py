"""Local-or-S3 locations for every step: list, read, download and upload files and prefixes.

A location is a local path or an `s3://bucket/key` URI. S3 goes through boto3, which honours
`AWS_ENDPOINT_URL` (e.g. a local S3 server); every transfer is boto3's managed transfer (multipart
above MULTIPART_THRESHOLD, parts retried, a failed multipart upload aborted). Listing skips hidden and
marker files (`.name`, `_SUCCESS`), as Spark does.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from base.atomic import write_atomic

MULTIPART_THRESHOLD = 64 * 1024**2  # bytes: larger files are sent in parts of this size


class StorageError(Exception):
    """A location that cannot be read or written, with the URI in the message."""


def is_s3(uri: str | os.PathLike) -> bool:
    return str(uri).startswith(("s3://", "s3a://"))


def split_s3(uri: str) -> tuple[str, str]:
    """`s3://bucket/some/key` -> ("bucket", "some/key")."""
    rest = uri.split("://", 1)[1]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise StorageError(f"{uri}: no bucket in S3 URI")
    return bucket, key


def join(uri: str | os.PathLike, *parts: str) -> str:
    """Append path parts to a local path or S3 URI."""
    if is_s3(uri):
        return "/".join([str(uri).rstrip("/"), *(p.strip("/") for p in parts)])
    return str(Path(uri, *parts))


def s3_client():
    """A boto3 S3 client for the current environment (endpoint, region and credentials from it)."""
    import boto3

    return boto3.session.Session().client("s3")


def _transfer_config():
    from boto3.s3.transfer import TransferConfig

    return TransferConfig(multipart_threshold=MULTIPART_THRESHOLD, multipart_chunksize=MULTIPART_THRESHOLD)


def _visible(relative: str) -> bool:
    return not any(part.startswith((".", "_")) for part in relative.split("/") if part)


def list_files(uri: str | os.PathLike) -> list[str]:
    """Every visible file at `uri` (a file, a folder, or an S3 object or prefix), sorted, as full locations."""
    if not is_s3(uri):
        path = Path(uri)
        if path.is_file():
            return [str(path)]
        if not path.is_dir():
            raise StorageError(f"{path}: no such file or directory")
        return sorted(str(p) for p in path.rglob("*")
                      if p.is_file() and _visible(p.relative_to(path).as_posix()))
    bucket, key = split_s3(str(uri))
    client = s3_client()
    prefix = key.rstrip("/")
    found: list[str] = []
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                name = obj["Key"]
                if name == prefix:
                    return [f"s3://{bucket}/{name}"]
                rel = name[len(prefix):]
                if (not prefix or rel.startswith("/")) and not name.endswith("/") and _visible(rel):
                    found.append(f"s3://{bucket}/{name}")
    except client.exceptions.NoSuchBucket:
        raise StorageError(f"{uri}: no such bucket {bucket!r}") from None
    if not found:
        raise StorageError(f"{uri}: no such S3 object or prefix")
    return sorted(found)


def read_bytes(uri: str | os.PathLike) -> bytes:
    if not is_s3(uri):
        try:
            return Path(uri).read_bytes()
        except OSError as exc:
            raise StorageError(f"{uri}: {exc.strerror or exc}") from None
    from botocore.exceptions import BotoCoreError

    bucket, key = split_s3(str(uri))
    client = s3_client()
    try:
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except (client.exceptions.NoSuchKey, client.exceptions.NoSuchBucket):
        raise StorageError(f"{uri}: no such S3 object") from None
    except BotoCoreError as exc:  # no credentials, no endpoint: the object cannot be read
        raise StorageError(f"{uri}: cannot read ({exc})") from None


def read_text(uri: str | os.PathLike) -> str:
    return read_bytes(uri).decode("utf-8")


def download(uri: str | os.PathLike, local_dir: str | os.PathLike) -> Path:
    """Copy a file or prefix into `local_dir`; returns the local file (for a file) or `local_dir`.

    A prefix keeps its relative layout under `local_dir`.
    """
    local_dir = Path(local_dir)
    local_dir.mkdir(parents=True, exist_ok=True)
    files = list_files(uri)
    if is_s3(uri):
        single = len(files) == 1 and split_s3(files[0])[1] == split_s3(str(uri))[1].rstrip("/")
    else:
        single = Path(uri).is_file()
    base = files[0] if single else str(uri).rstrip("/") if is_s3(uri) else str(Path(uri))
    client = s3_client() if is_s3(uri) else None
    for src in files:
        rel = Path(src).name if single else src[len(base):].lstrip("/")
        dest = local_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if client is None:
            shutil.copyfile(src, dest)
        else:
            bucket, key = split_s3(src)
            client.download_file(bucket, key, str(dest), Config=_transfer_config())
    return local_dir / Path(files[0]).name if single else local_dir


def upload(local_path: str | os.PathLike, uri: str) -> list[str]:
    """Copy a local file to `uri`, or a local folder's files under the prefix `uri`; returns the written URIs.

    Files in a folder are sent in sorted order, except `manifest.json`, which goes last (a run is
    complete once its manifest exists).
    """
    local_path = Path(local_path)
    if local_path.is_file():
        pairs = [(local_path, uri)]
    elif local_path.is_dir():
        files = sorted((p for p in local_path.rglob("*") if p.is_file()),
                       key=lambda p: (p.name == "manifest.json", p.as_posix()))
        pairs = [(p, join(uri, p.relative_to(local_path).as_posix())) for p in files]
    else:
        raise StorageError(f"{local_path}: no such file or directory")
    if not is_s3(uri):
        for src, dest in pairs:
            Path(dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
        return [dest for _, dest in pairs]
    client = s3_client()
    for src, dest in pairs:
        bucket, key = split_s3(dest)
        try:
            client.upload_file(str(src), bucket, key, Config=_transfer_config())
        except Exception as exc:  # boto3 wraps client errors in S3UploadFailedError
            raise StorageError(f"{dest}: upload failed ({exc})") from None
    return [dest for _, dest in pairs]


@contextlib.contextmanager
def local_copy(uri: str | os.PathLike) -> Iterator[Path]:
    """A local path holding `uri`'s content: the path itself when local, else a temporary download."""
    if not is_s3(uri):
        path = Path(uri)
        if not path.exists():
            raise StorageError(f"{path}: no such file or directory")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="sparkleap-s3-") as tmp:
        yield download(uri, tmp)


def exists(uri: str | os.PathLike) -> bool:
    """True when the file or S3 object `uri` exists; False only for a 404 (an absent object).

    Any other S3 answer (403 denied, throttling, a server error) is a StorageError: "cannot tell" is never "absent".
    """
    if not is_s3(uri):
        return Path(uri).is_file()
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, key = split_s3(str(uri))
    try:
        s3_client().head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = exc.response.get("Error", {}).get("Code", "")
        if status == 404 and code in ("404", "NoSuchKey", "NotFound"):
            return False
        raise StorageError(f"{uri}: cannot tell whether it exists ({code or status}: "
                           f"{exc.response.get('Error', {}).get('Message', '') or 'no message'})") from None
    except BotoCoreError as exc:
        raise StorageError(f"{uri}: cannot tell whether it exists ({exc})") from None


def write_whole(uri: str | os.PathLike, data: bytes) -> None:
    """Write `data` so that readers see all of it or nothing (local: temp name + rename; S3: one managed
    transfer, whose multipart upload is aborted on failure, so no partial object is ever visible)."""
    if not is_s3(uri):
        write_atomic(uri, data)
        return
    bucket, key = split_s3(str(uri))
    try:
        s3_client().upload_fileobj(io.BytesIO(data), bucket, key, Config=_transfer_config())
    except Exception as exc:  # boto3 wraps client errors in S3UploadFailedError
        raise StorageError(f"{uri}: upload failed ({exc})") from None
