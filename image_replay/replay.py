"""A Dockerfile target replayed without a Docker engine (`replay`), and SageMaker's model download
(`unpack_model`): what the image test tier and the bench start images from."""

from __future__ import annotations

import hashlib
import shutil
import tarfile
from pathlib import Path

from image_replay.fresh_image import FreshImage, build

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "serving" / "Dockerfile"
TARGETS = ("sparkml", "xgboost")


def cache_dir(name: str) -> Path:
    """REPO/.cache/NAME (git-ignored). For a checkout under /tmp, which a locked-down server sees as a fresh tmpfs
    (image_replay/isolated.py), /var/tmp/sparkleap-<digest of the checkout's path>/NAME instead, so that the server
    still sees its image folder and its Python."""
    repo = REPO.resolve()
    if not repo.is_relative_to("/tmp"):
        return REPO / ".cache" / name
    return Path("/var/tmp") / f"sparkleap-{hashlib.sha256(str(repo).encode()).hexdigest()[:12]}" / name


VENV_CACHE = cache_dir("image-venvs")  # one venv per distinct requirement list
MODEL_DIR = "/opt/ml/model"  # where SageMaker unpacks ModelDataUrl, whatever the image's ENV says


def replay(target: str, root: Path, dockerfile: Path = DOCKERFILE, context: Path = REPO) -> FreshImage:
    """`target` of `dockerfile` (build context: the repository by default) replayed into the fresh folder `root`."""
    return build(dockerfile, target, context, root, VENV_CACHE)


def unpack_model(model_tar: Path, into: Path) -> None:
    """SageMaker's model download: the model.tar.gz decompressed into the (emptied) model folder."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    with tarfile.open(model_tar) as tar:
        tar.extractall(into, filter="data")
