"""Every setting a container reads from its environment, as SageMaker passes them, in one object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ALLOW_PICKLE_ENV = "SPARKLEAP_ALLOW_PICKLE"
SCHEMA_ENV = "SAGEMAKER_SPARKML_SCHEMA"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"environment variable {name} must be an integer, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    model_dir: str  # SM_MODEL_DIR: a directory or a model.tar.gz
    port: int  # SAGEMAKER_BIND_TO_PORT
    host: str  # SPARKLEAP_BIND_HOST (127.0.0.1 unless a container on AWS opts in to 0.0.0.0)
    workers: int  # SAGEMAKER_MODEL_SERVER_WORKERS (default: CPUs)
    timeout_s: int  # SAGEMAKER_MODEL_SERVER_TIMEOUT
    default_accept: str  # SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT ("" when unset)
    max_payload_bytes: int  # MAX_CONTENT_LENGTH
    batch_mode: bool  # SAGEMAKER_BATCH set (Batch Transform)
    sparkml_schema: str = ""  # SAGEMAKER_SPARKML_SCHEMA ("" when unset: derived from the bundle)
    allow_pickle: bool = False  # SPARKLEAP_ALLOW_PICKLE=1: load pickled XGBoost models (runs their code)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings in `env` (default: this process's environment); SystemExit naming a non-integer."""
        env = os.environ if env is None else env
        return cls(
            model_dir=env.get("SM_MODEL_DIR", "/opt/ml/model"),
            port=_int(env, "SAGEMAKER_BIND_TO_PORT", 8080),
            host=env.get("SPARKLEAP_BIND_HOST", "127.0.0.1"),
            workers=_int(env, "SAGEMAKER_MODEL_SERVER_WORKERS", os.cpu_count() or 1),
            timeout_s=_int(env, "SAGEMAKER_MODEL_SERVER_TIMEOUT", 60),
            default_accept=env.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "").strip(),
            max_payload_bytes=_int(env, "MAX_CONTENT_LENGTH", 6 * 1024 * 1024),
            batch_mode=bool(env.get("SAGEMAKER_BATCH", "").strip()),
            sparkml_schema=env.get(SCHEMA_ENV, "").strip(),
            allow_pickle=env.get(ALLOW_PICKLE_ENV, "").strip() == "1",
        )

    @property
    def max_payload_mb(self) -> int:
        return self.max_payload_bytes // (1024 * 1024)
