"""Where outputs go and how they appear: `<output>/<path relative to the input>.out`, written whole or not at all.

Input `s3://b/in/day1/a.csv` under `--input s3://b/in` -> `<output>/day1/a.csv.out` (a single input file
-> `<output>/a.csv.out`). Each is written whole or not at all (`base.storage.write_whole`).
"""

from __future__ import annotations

import json
from pathlib import Path

from base import storage

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


def write_manifest(output: str, manifest: dict) -> str:
    uri = storage.join(output, MANIFEST)
    storage.write_whole(uri, (json.dumps(manifest, indent=2) + "\n").encode())
    return uri
