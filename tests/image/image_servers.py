"""Start a container image as SageMaker does (`docker run IMAGE serve`, the model unpacked into
/opt/ml/model, SAGEMAKER_BIND_TO_PORT set), either as a replayed fresh image (no engine) or, for
`make images`, as the real image under Docker. Both give the serving tests' `Server` (HTTP on loopback)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from base.processes import ServerProcess, StartError, free_port
from tests.helpers.servers import REPO, START_TIMEOUT_S, Server
from tests.image.fresh_image import FreshImage, build

DOCKERFILE = REPO / "serving" / "Dockerfile"
TARGETS = ("sparkml", "xgboost")


def cache_dir(name: str) -> Path:
    """REPO/.cache/NAME (git-ignored). For a checkout under /tmp, which a locked-down server sees as a fresh tmpfs
    (tests/image/isolated.py), /var/tmp/sparkleap-<digest of the checkout's path>/NAME instead, so that the server
    still sees its image folder and its Python."""
    repo = REPO.resolve()
    if not repo.is_relative_to("/tmp"):
        return REPO / ".cache" / name
    return Path("/var/tmp") / f"sparkleap-{hashlib.sha256(str(repo).encode()).hexdigest()[:12]}" / name


VENV_CACHE = cache_dir("image-venvs")  # one venv per distinct requirement list
MODEL_DIR = "/opt/ml/model"  # where SageMaker unpacks ModelDataUrl, whatever the image's ENV says


def replay(target: str, root: Path, dockerfile: Path = DOCKERFILE, context: Path = REPO) -> FreshImage:
    """`target` of `dockerfile` (build context: the repository) replayed into the fresh folder `root`."""
    return build(dockerfile, target, context, root, VENV_CACHE)


def unpack_model(model_tar: Path, into: Path) -> None:
    """SageMaker's model download: the model.tar.gz decompressed into the (emptied) model folder."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    with tarfile.open(model_tar) as tar:
        tar.extractall(into, filter="data")


class ReplayedImage:
    """A `FreshImage` run as a local process: the same argv, working folder and environment as the image."""

    def __init__(self, image: FreshImage):
        self.image = image

    @contextmanager
    def running(self, model_tar: Path, **env: str) -> Iterator[Server]:
        unpack_model(model_tar, self.image.path(MODEL_DIR))
        port = free_port()
        runtime = {"SAGEMAKER_BIND_TO_PORT": str(port), "SPARKLEAP_BIND_HOST": "127.0.0.1",
                   "SAGEMAKER_MODEL_SERVER_WORKERS": "1", **env}  # loopback here; the image binds 0.0.0.0
        log = self.image.root / "serve.log"
        log.unlink(missing_ok=True)
        process = ServerProcess(self.image.command("serve"), self.image.environment(**runtime), port, log,
                                label=self.image.name, cwd=self.image.workdir)
        with serving(process) as server:
            yield server


class DockerImage:
    """A real image (built by `make images`) under a Docker engine, published on 127.0.0.1 only."""

    def __init__(self, tag: str):
        self.tag = tag

    @contextmanager
    def running(self, model_tar: Path, **env: str) -> Iterator[Server]:
        with tempfile.TemporaryDirectory(prefix="sparkleap-model-") as folder:
            unpack_model(model_tar, Path(folder) / "model")
            Path(folder, "model").chmod(0o755)
            port = free_port()
            runtime = {"SAGEMAKER_BIND_TO_PORT": str(port), "SAGEMAKER_MODEL_SERVER_WORKERS": "1", **env}
            argv = ["docker", "run", "--rm", "-p", f"127.0.0.1:{port}:{port}",
                    "-v", f"{folder}/model:{MODEL_DIR}:ro"]
            for key, value in runtime.items():
                argv += ["-e", f"{key}={value}"]
            process = ServerProcess([*argv, self.tag, "serve"], dict(os.environ), port, Path(folder) / "serve.log",
                                    label=self.tag)
            with serving(process) as server:
                yield server


@contextmanager
def serving(process: ServerProcess) -> Iterator[Server]:
    """`process` started and answering /ping (StartError with the log's end otherwise), stopped afterwards."""
    with process:
        try:
            process.wait_ready(START_TIMEOUT_S)
        except StartError as exc:
            raise StartError(f"{exc}\n{process.log_path.read_text(errors='replace')[-4000:]}") from None
        yield Server(f"http://127.0.0.1:{process.port}", process)
