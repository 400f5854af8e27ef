"""A local endpoint in this process's hands: `with LocalEndpoint(pipeline) as endpoint: endpoint.url`.

Runs the supervisor with a watcher thread (crashed processes are restarted), for tests, the demo and
batch transform. `sparkleap deploy local` runs the same supervisor in the foreground.
"""

from __future__ import annotations

import threading
from pathlib import Path

from base.processes import free_port_block
from serving.inference_pipeline.description import Pipeline
from serving.inference_pipeline.supervisor import START_TIMEOUT_S, Supervisor

WATCH_INTERVAL_S = 0.2


class LocalEndpoint:
    """Containers + front end on 127.0.0.1:`port` (0: a free port), healthy once `start()` returns."""

    def __init__(self, pipeline: Pipeline, port: int = 0, name: str = "sparkleap", workers: int | None = None,
                 frontend_workers: int = 1, state_file: Path | None = None):
        self.supervisor = Supervisor(pipeline, name=name, port=port or free_port_block(1), workers=workers,
                                     frontend_workers=frontend_workers, state_file=state_file)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._watcher = threading.Thread(target=self._watch, name=f"{name}-watcher", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.supervisor.port}"

    def start(self, timeout: float = START_TIMEOUT_S) -> LocalEndpoint:
        self.supervisor.start(timeout)
        self._watcher.start()
        return self

    def update(self, pipeline: Pipeline, timeout: float = START_TIMEOUT_S) -> None:
        """Switch to `pipeline` without downtime (see Supervisor.update)."""
        with self._lock:
            self.supervisor.update(pipeline, timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._watcher.is_alive():
            self._watcher.join()
        with self._lock:
            self.supervisor.stop()

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_INTERVAL_S):
            with self._lock:
                self.supervisor.check()

    def __enter__(self) -> LocalEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
