"""Each image serves every model family it is for, as SageMaker and a locked-down host run it: the replayed
image (its exact packages and files) started by its own entry with the default worker count, as uid 65534, with
a read-only root (only a fresh /tmp writable) and no network (see image_replay/isolated.py for what is real and what is
emulated). Per family: /ping turns healthy, 1, 10 and 1,000-row requests answer byte for byte what the
same code answers in the development environment, and SIGTERM stops every process cleanly
(exit status 0, no process left behind)."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest

from image_replay.isolated import NOBODY, image_root, remove, started
from image_replay.replay import replay
from serving.contract import Invocation
from serving.loader import load_model
from serving.settings import Settings
from tests.image.families import SIZES, Family, cached_families

pytestmark = pytest.mark.image

SPARKML = ("features", "forest", "gbt", "logistic", "xgboost-binary", "xgboost-multiclass", "text")
XGBOOST = ("regression", "xgboost-binary", "xgboost-multiclass")
ACCEPTS = {"sparkml": ("text/csv", "application/jsonlines"), "xgboost": ("text/csv", "application/json")}


@pytest.fixture(scope="session")
def families(request, shared) -> dict[str, dict[str, Family]]:
    return cached_families(shared, lambda: request.getfixturevalue("spark"))


@pytest.fixture(scope="session")
def locked_images():
    """target -> its image replayed into a folder outside /tmp (what isolated.started needs)."""
    roots, built = [], {}

    def get(target: str):
        if target not in built:
            roots.append(image_root(target))
            built[target] = replay(target, roots[-1])
        return built[target]

    yield get
    for root in roots:
        remove(root)


def expected(kind: str, family: Family, body: str, accept: str) -> bytes:
    """What the same serving code answers in this (development) environment."""
    settings = dataclasses.replace(Settings.from_env(family.env), model_dir=str(family.model))
    return load_model(kind, settings).invoke(Invocation(body.encode(), "text/csv", accept)).body


@pytest.mark.parametrize("kind, name", [("sparkml", n) for n in SPARKML] + [("xgboost", n) for n in XGBOOST])
def test_the_image_serves_the_family_locked_down(kind, name, families, locked_images):
    family = families[kind][name]
    with started(locked_images(kind), family.model, **family.env) as server:
        status = server.process_status()
        assert status["Uid"].split() == [str(NOBODY)] * 4 and status["CapEff"] == "0" * 16
        assert server.request("GET", "/ping").status == 200
        parameters = json.loads(server.request("GET", "/execution-parameters").body)
        assert parameters["MaxConcurrentTransforms"] == os.cpu_count()  # SAGEMAKER_MODEL_SERVER_WORKERS unset
        server.wait_workers(os.cpu_count())
        for count in SIZES:
            body = family.body(count)
            for accept in ACCEPTS[kind] if count == 10 else ACCEPTS[kind][:1]:
                answer = server.post(body, accept=accept)
                assert answer.status == 200, answer.body[:500]
                assert answer.body == expected(kind, family, body, accept), (count, accept)
                assert len(answer.body.strip().split(b"\n")) == count or accept == "application/json"
        exit_status, seconds = server.stop()
    assert exit_status == 0, server.tail()
    print(f"{kind} image, {name}: started in {server.start_seconds:.2f} s, stopped in {seconds:.2f} s")
