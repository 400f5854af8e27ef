"""Finding a container's model: SM_MODEL_DIR is a directory or a `model.tar.gz`, unpacked safely."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from bundles import archive


def model_folder(model_dir: str) -> Path:
    """A directory holding the model's files; a tar.gz/zip is unpacked to a private temp dir.

    Raises OSError when nothing is there, BundleError for an unreadable or unsafe archive.
    """
    path = Path(model_dir)
    if path.is_dir():
        return path
    if not path.is_file():
        raise FileNotFoundError(f"model location {model_dir} does not exist (set SM_MODEL_DIR)")
    tmp = Path(tempfile.mkdtemp(prefix="sparkleap-model-"))
    atexit.register(_remove_if_owner, tmp, os.getpid())
    archive.unpack(path, tmp)
    return tmp


def _remove_if_owner(folder: Path, owner_pid: int) -> None:
    """Remove `folder` at exit, only in the process that made it (forked workers inherit atexit hooks)."""
    if os.getpid() == owner_pid:
        shutil.rmtree(folder, ignore_errors=True)
