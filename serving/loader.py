"""Loading a container's model, the one way every caller does it: the container processes, and the inprocess
and spark batch engines (which run the same model code without HTTP)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping

from serving.contract import Model
from serving.settings import Settings

CONTAINERS = {  # kind -> the module with load_model(settings), check(settings) and create(settings)
    "sparkml": "serving.sparkml.app",
    "xgboost": "serving.xgboost.app",
}


def container_module(kind: str):
    return importlib.import_module(CONTAINERS[kind])


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
