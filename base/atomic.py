"""Local files and folders that appear whole or not at all: written under a hidden temp name beside the
target, then renamed onto it (an older folder there is moved aside first, then removed)."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temp path beside `path` to write to; renamed onto `path` when the block ends without error."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        replace(tmp, target)
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write `data` (text as UTF-8) to the local `path` so that readers see all of it or nothing."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode() if isinstance(data, str) else data)
    return Path(path)


def replace(source: Path, target: Path) -> None:
    """Rename `source` onto `target` (same file system); an existing folder at `target` is swapped out and removed."""
    if not Path(target).is_dir():
        os.replace(source, target)
        return
    old = Path(target).with_name(f".{Path(target).name}.old-{uuid.uuid4().hex[:8]}")
    os.replace(target, old)
    os.replace(source, target)
    shutil.rmtree(old, ignore_errors=True)
