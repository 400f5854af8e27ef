"""Where outputs go and how they appear: `<output>/<path relative to the input>.out`, written whole or not at all.

Input `s3://b/in/day1/a.csv` under `--input s3://b/in` -> `<output>/day1/a.csv.out` (a single input file
-> `<output>/a.csv.out`). Each is written whole or not at all (`base.storage.write_whole`).
"""

from __future__ import annotations

import json
from pathlib import Path

from base import storage
from serving.batch import fingerprint

MANIFEST = "manifest.json"


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


def check_resume(output: str, job: dict, overwrite: bool) -> dict | None:
    """The manifest an earlier job left at `output` (None: none). Refuses (OptionsError naming --overwrite) one
    that records other work (fingerprint.of_job: input, models, schema, options): skipping or keeping its
    files would silently keep another model's outputs."""
    from serving.batch.options import OptionsError

    earlier = read_manifest(output)
    if overwrite or earlier is None:
        return earlier
    if "fingerprint" not in earlier:
        raise OptionsError(f"--output {output} holds the outputs of a transform that recorded no fingerprint "
                           "(its models are unknown); pass --overwrite to transform every file again, "
                           "or choose another --output")
    changed = fingerprint.differences(earlier["fingerprint"], job)
    if changed:
        raise OptionsError(f"--output {output} holds the outputs of other work ({'; '.join(changed)}); pass "
                           "--overwrite to transform every file again with these, or choose another --output")
    return earlier


def earlier_outputs(earlier: dict | None) -> dict[str, dict]:
    """{input uri: its file record} for every input whose output an earlier manifest vouches for."""
    files = (earlier or {}).get("files", [])
    return {f["input"]: f for f in files if f.get("status") in ("completed", "skipped") and f.get("sha256")}


def write_manifest(output: str, manifest: dict) -> str:
    uri = storage.join(output, MANIFEST)
    storage.write_whole(uri, (json.dumps(manifest, indent=2) + "\n").encode())
    return uri
