"""Run a container's Flask app under gunicorn, in the foreground, as SageMaker's `serve` does."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from serving.loader import container_module
from serving.metrics import multiprocess_dir
from serving.settings import Settings


class _Gunicorn(BaseApplication):
    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]):
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.factory()


def gunicorn_options(settings: Settings, threads: int = 1) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": settings.timeout_s,
        "graceful_timeout": 5,
        "keepalive": 75,
        "accesslog": None,
        "loglevel": "warning",
        "preload_app": False,
    }


def serve_app(factory: Callable[[], Any], settings: Settings, threads: int = 1) -> None:
    """Serve the WSGI app built by `factory` (called in each worker) until SIGTERM/SIGINT; /metrics sums
    every worker's samples."""
    multiprocess_dir()
    _Gunicorn(factory, gunicorn_options(settings, threads)).run()


def serve_container(kind: str, settings: Settings) -> None:
    """Check the model once (fail fast with a clear message), then serve the `kind` container."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # xgboost imports scikit-learn whenever it is installed (1.5 s of every start or restart); no container uses it
    sys.modules.setdefault("sklearn", None)
    module = container_module(kind)
    module.check(settings)
    serve_app(lambda: module.create(settings), settings)
