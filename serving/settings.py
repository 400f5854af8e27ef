"""Container settings from the environment, as SageMaker passes them."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"environment variable {name} must be an integer, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    model_dir: str
    port: int
    host: str
    workers: int
    timeout_s: int
    default_accept: str
    max_payload_bytes: int
    batch_mode: bool

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            model_dir=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"),
            port=_int("SAGEMAKER_BIND_TO_PORT", 8080),
            host=os.environ.get("SPARKLEAP_BIND_HOST", "127.0.0.1"),
            workers=_int("SAGEMAKER_MODEL_SERVER_WORKERS", os.cpu_count() or 1),
            timeout_s=_int("SAGEMAKER_MODEL_SERVER_TIMEOUT", 60),
            default_accept=os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "").strip(),
            max_payload_bytes=_int("MAX_CONTENT_LENGTH", 6 * 1024 * 1024),
            batch_mode=bool(os.environ.get("SAGEMAKER_BATCH", "").strip()),
        )

    @property
    def max_payload_mb(self) -> int:
        return self.max_payload_bytes // (1024 * 1024)
