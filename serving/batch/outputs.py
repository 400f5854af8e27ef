"""Where outputs go and how they appear: `<output>/<path relative to the input>.out`, written whole or not at all.

Input `s3://b/in/day1/a.csv` under `--input s3://b/in` -> `<output>/day1/a.csv.out` (a single input file
-> `<output>/a.csv.out`). Each is written whole or not at all (`base.storage.write_whole`).
"""

from __future__ import annotations

import json
from pathlib import Path

from base import storage

MANIFEST = "manifest.json"
HOW_NOT_WHAT = ("max_concurrent_transforms", "max_retries", "timeout_s")  # options that never change an output


def output_uri(output: str, relative: str) -> str:
    return storage.join(output, relative + ".out")


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
    storage.write_whole(uri, (json.dumps(manifest, indent=2) + "\n").encode())
    return uri
