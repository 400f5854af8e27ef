"""Finding a container's model: SM_MODEL_DIR is a directory or a `model.tar.gz`, unpacked safely."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from bundles import archive


def model_folder(model_dir: str) -> Path:
    """A directory holding the model's files; a tar.gz/zip is unpacked to a private temp dir."""
    path = Path(model_dir)
    if path.is_dir():
        return path
    if not path.is_file():
        raise FileNotFoundError(f"model location {model_dir} does not exist (set SM_MODEL_DIR)")
    tmp = Path(tempfile.mkdtemp(prefix="sparkleap-model-"))
    atexit.register(shutil.rmtree, tmp, True)
    archive.unpack(path, tmp)
    return tmp
