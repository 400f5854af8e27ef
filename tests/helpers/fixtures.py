"""The pinned reference fixtures (real MLeap bundles, the abalone data): found, or fetched, or a clear failure.

`tests/fixtures.lock.json` lists every file the tests read, by path under the shared folder, with its sha256
and where it comes from: `[repo, commit, path]` on GitHub, or `[archive, member, ...]` extracted from another
listed file (nested archives name each member in turn). An unpacked bundle is listed once as a folder (its
source folder or archive) with its files' paths inside it. `shared_root()` returns, in this order:
$SPARKLEAP_SHARED (or ../shared) when it holds every listed file with the right bytes; the git-ignored cache
`.cache/fixtures` when it does; else the cache after fetching every file from its public source (sha256-checked).
When none works it raises FixturesMissing, whose message names SPARKLEAP_SHARED, within FETCH_BUDGET_S seconds.

`python -m tests.helpers.fixtures` (run by `make test` before pytest) prints the folder or the message (exit 2).
SPARKLEAP_FIXTURE_CACHE and SPARKLEAP_FIXTURE_URL (a `{repo}/{commit}/{path}` template) move the cache and the
source, for the tests of this module.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "tests" / "fixtures.lock.json"
CACHE = Path(os.environ.get("SPARKLEAP_FIXTURE_CACHE") or REPO / ".cache" / "fixtures")
RAW_URL = os.environ.get("SPARKLEAP_FIXTURE_URL") or "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
FETCH_BUDGET_S = 45.0  # all downloads together; a request gets what is left, at most REQUEST_TIMEOUT_S
REQUEST_TIMEOUT_S = 15.0


class FixturesMissing(RuntimeError):
    """No folder with the reference fixtures, and they could not be fetched."""


def lock() -> dict[str, dict]:
    """{relative path: {"sha256": ..., "source": [repo, commit, path] | "from": [archive, member, ...]}}, the
    folders' files listed one by one."""
    pinned = json.loads(LOCK.read_text())
    files = dict(pinned["files"])
    for folder, group in pinned["folders"].items():
        for member, digest in group["files"].items():
            origin = ({"from": [*group["from"], member]} if "from" in group else
                      {"source": [*group["source"][:2], f"{group['source'][2]}/{member}"]})
            files[f"{folder}/{member}"] = {"sha256": digest, **origin}
    return files


def configured_root() -> Path:
    return Path(os.environ.get("SPARKLEAP_SHARED") or REPO.parent / "shared")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def problems(root: Path, files: dict[str, dict]) -> list[str]:
    """What is missing or different under `root` (empty: every listed file is there with its bytes)."""
    found = []
    for rel, entry in files.items():
        path = root / rel
        if not path.is_file():
            found.append(f"{rel}: missing")
        elif sha256(path.read_bytes()) != entry["sha256"]:
            found.append(f"{rel}: sha256 differs from the lock")
    return found


def _download(url: str, deadline: float) -> bytes:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(f"gave up after {FETCH_BUDGET_S:.0f} s")
    with urllib.request.urlopen(url, timeout=min(left, REQUEST_TIMEOUT_S)) as resp:  # noqa: S310 - https only
        return resp.read()


def _member(archive: bytes, name: str) -> bytes:
    """One member of a zip or tar.gz held in memory."""
    if archive[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            return zf.read(name)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tf:
        member = tf.extractfile(name)
        if member is None:
            raise KeyError(name)
        return member.read()


def fetch(into: Path, files: dict[str, dict], budget_s: float = FETCH_BUDGET_S) -> None:
    """Every listed file into `into`: downloads from GitHub at the pinned commit, extractions from them;
    each checked against its sha256 before it is written (under a temp name, then renamed)."""
    deadline = time.monotonic() + budget_s
    got: dict[str, bytes] = {}

    def content(rel: str) -> bytes:
        if rel not in got:
            entry = files[rel]
            if "source" in entry:
                repo, commit, path = entry["source"]
                data = _download(RAW_URL.format(repo=repo, commit=commit, path=path), deadline)
            else:
                archive, *members = entry["from"]
                data = content(archive)
                for name in members:
                    data = _member(data, name)
            if sha256(data) != entry["sha256"]:
                raise FixturesMissing(f"{rel}: the fetched bytes do not have the pinned sha256")
            got[rel] = data
        return got[rel]

    for rel in files:
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(content(rel))
        os.replace(tmp, target)


@functools.cache
def shared_root() -> Path:
    """The folder holding every pinned fixture (see the module docstring); FixturesMissing otherwise."""
    files = lock()
    root = configured_root()
    missing = problems(root, files)
    if not missing:
        return root
    if not problems(CACHE, files):
        return CACHE
    try:
        fetch(CACHE, files)
    except Exception as exc:  # noqa: BLE001 - any failure to fetch ends in the one message below
        shutil.rmtree(CACHE, ignore_errors=True)
        raise FixturesMissing(
            f"The reference fixtures are not at {root} ({len(missing)} of {len(files)} files missing or different, "
            f"e.g. {missing[0]}), and fetching them from their public sources failed ({type(exc).__name__}: "
            f"{exc}). Set SPARKLEAP_SHARED to a folder holding real_bundles/ and data/ (the shared fixtures), "
            "or run where GitHub is reachable.") from None
    return CACHE


def main() -> int:
    started = time.monotonic()
    try:
        root = shared_root()
    except FixturesMissing as exc:
        print(f"error: {exc} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
        return 2
    print(f"reference fixtures: {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
