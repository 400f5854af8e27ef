"""The container registry: each container's name and the module that serves it, the one list every caller
uses (`sparkleap serve`, the image's `serve` via SPARKLEAP_CONTAINER, pipeline descriptions, `deploy
sagemaker`'s images, the server and the inprocess and spark batch engines, which run the same model code
without HTTP).

A container module has `load_model(settings) -> contract.Model`, `check(settings)` (fail fast, one line)
and `create(settings)` (the app). Adding a container is one entry here.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType

from serving.contract import Model
from serving.settings import Settings


@dataclass(frozen=True)
class ContainerKind:
    module: str  # the module with load_model, check and create
    aws_image: str  # the AWS image that runs the same model on SageMaker (`base.images.image_uri`'s framework)
    aws_version_option: str  # the `deploy sagemaker` option choosing that image's version
    reads_schema: bool = False  # takes a serving schema (SAGEMAKER_SPARKML_SCHEMA, `serve --schema`)


CONTAINERS: dict[str, ContainerKind] = {
    "sparkml": ContainerKind("serving.sparkml.app", "sparkml-serving", "sparkml_version", reads_schema=True),
    "xgboost": ContainerKind("serving.xgboost.app", "xgboost", "xgboost_version"),
}


def container_module(kind: str) -> ModuleType:
    return importlib.import_module(CONTAINERS[kind].module)


def container_environment(model: str, environment: Mapping[str, str], base: Mapping[str, str] | None = None,
                          batch: bool = False) -> dict[str, str]:
    """The environment a container runs with: `base` (default: ours) without SageMaker's variables, then the
    container's own `environment`, SM_MODEL_DIR=`model`, and SAGEMAKER_BATCH=true for Batch Transform."""
    base = os.environ if base is None else base
    env = {k: v for k, v in base.items() if not k.startswith(("SAGEMAKER_", "SM_MODEL_DIR"))}
    env.update(environment)
    env["SM_MODEL_DIR"] = model
    if batch:
        env["SAGEMAKER_BATCH"] = "true"
    return env


def load_model(kind: str, settings: Settings) -> Model:
    """The `kind` container's model as configured by `settings` (BundleError, SchemaError, OSError, ValueError
    or the container's load error naming what is wrong)."""
    return container_module(kind).load_model(settings)
