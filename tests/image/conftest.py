"""The image tier: each target of serving/Dockerfile, as the image would hold it, started as SageMaker
starts it. By default the image is replayed from the Dockerfile (no Docker engine needed, see
image_replay/fresh_image.py); with SPARKLEAP_IMAGES=docker (what `make images` sets) the real images it built run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from image_replay.replay import replay
from tests.helpers.servers import TITANIC_MODEL, train_tiny_booster
from tests.image.image_servers import DockerImage, ReplayedImage


def docker_mode() -> bool:
    return os.environ.get("SPARKLEAP_IMAGES") == "docker"


@pytest.fixture(scope="session")
def images(tmp_path_factory):
    """target -> a startable image (`.running(model_tar, **env)`), built once per session on first use."""
    built = {}

    def get(target: str):
        if target not in built:
            if docker_mode():
                built[target] = DockerImage(f"sparkleap-{target}")
            else:
                built[target] = ReplayedImage(replay(target, tmp_path_factory.mktemp(f"image-{target}")))
        return built[target]

    return get


@pytest.fixture(scope="session")
def titanic_model(shared: Path) -> Path:
    return shared / TITANIC_MODEL


@pytest.fixture(scope="session")
def booster_model(tmp_path_factory):
    """(model.tar.gz, Booster) of the serving tests' tiny regression model."""
    return train_tiny_booster(tmp_path_factory.mktemp("xgb-model"))
