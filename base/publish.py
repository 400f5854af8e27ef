"""Publishing a finished run folder: built in a staging folder, then moved into place or uploaded to S3."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from base import storage
from base.atomic import replace


def staging_dir(output: str) -> Path:
    """A fresh folder to build a run in: beside a local `output` (so the final rename is atomic), else a temp one."""
    if storage.is_s3(output):
        return Path(tempfile.mkdtemp(prefix="sparkleap-run-"))
    target = Path(output).resolve()
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{output}: exists and is not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the published folder is an ordinary one
    return staging


def publish(staging: Path, output: str) -> None:
    """Move the finished `staging` folder to `output` (replacing an older run there), or upload it to S3.

    The staging folder is gone afterwards either way."""
    if storage.is_s3(output):
        try:
            storage.upload(staging, output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    replace(staging, Path(output).resolve())
