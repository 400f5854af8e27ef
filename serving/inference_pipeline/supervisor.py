"""Starts a pipeline's container processes and its front end, restarts what crashes, switches versions.

The supervisor owns every process it starts (containers, front end) and the endpoint's state file, which
tells the front end where the containers listen. `update()` starts the new containers beside the old,
waits for their pings, switches the state file (the front end follows on its next request), lets
in-flight requests drain, then stops the old ones: no request fails during the switch.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from base.processes import ServerProcess
from serving.inference_pipeline.description import Pipeline
from serving.inference_pipeline.processes import REPO, ContainerProcess, StartError, container_port_block, python_env
from serving.inference_pipeline.state import state_path, write_state

START_TIMEOUT_S = 120.0
DRAIN_S = 2.0  # after a switch: time for requests already routed to the old containers to finish


class Supervisor:
    def __init__(self, pipeline: Pipeline, name: str = "sparkleap", host: str = "127.0.0.1", port: int = 8080,
                 workers: int | None = None, frontend_workers: int = 1, state_file: Path | None = None):
        self.name, self.host, self.port = name, host, port
        self.workers, self.frontend_workers = workers, frontend_workers
        self.state_file = state_file or state_path(name)
        self.log_dir = self.state_file.parent / "logs"
        self.pipeline = pipeline
        self.containers: list[ContainerProcess] = []
        self.frontend: ServerProcess | None = None
        self.generation = 0
        self.events: list[str] = []  # restarts and switches, newest last (also in the state file)
        self.update_outcome: dict[str, Any] | None = None  # the last `deploy local --update` request's outcome

    # ---- start / stop ------------------------------------------------------------------------------
    def start(self, timeout: float = START_TIMEOUT_S) -> None:
        """Containers up and pinged, state written, front end up and pinged; StartError otherwise."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.containers = self._start_containers(self.pipeline, timeout)
            self.generation = 1
            self._write_state()
            self._start_frontend(timeout)
        except BaseException:
            self.stop()
            raise

    def _start_containers(self, pipeline: Pipeline, timeout: float) -> list[ContainerProcess]:
        started = []
        try:
            for container in pipeline.containers:
                proc = ContainerProcess(container, container_port_block(), self.log_dir, self.workers)
                proc.start()
                started.append(proc)
            deadline = time.monotonic() + timeout
            for i, proc in enumerate(started):  # they start in parallel; wait for each in turn
                try:
                    proc.wait_ready(max(deadline - time.monotonic(), 1.0))
                except StartError:
                    if "Address already in use" not in proc.log_tail(20):
                        raise
                    started[i] = proc = ContainerProcess(proc.container, container_port_block(), self.log_dir,
                                                         self.workers)  # the port was taken meanwhile: once more
                    proc.start()
                    proc.wait_ready(max(deadline - time.monotonic(), 1.0))
        except BaseException:
            for proc in started:
                proc.stop(grace_s=2)
            raise
        return started

    def _start_frontend(self, timeout: float) -> None:
        if self.frontend is None:
            argv = [sys.executable, "-m", "serving.inference_pipeline.frontend", str(self.state_file),
                    "--host", self.host,
                    "--port", str(self.port), "--workers", str(self.frontend_workers)]
            self.frontend = ServerProcess(argv, python_env(), self.port, self.log_dir / "frontend.log",
                                          label=f"front end on {self.host}:{self.port}", cwd=REPO, ping_path="/status")
        self.frontend.start().wait_ready(timeout)

    def stop(self) -> None:
        """Stop the front end first (no new requests), then every container."""
        if self.frontend is not None:
            self.frontend.stop()
        for proc in self.containers:
            proc.stop()
        try:
            self.state_file.unlink()
        except OSError:
            pass

    # ---- watching ----------------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Restart any container or front end that exited; returns what was restarted (names)."""
        restarted = []
        for proc in self.containers:
            if not proc.alive():
                self._event(f"container {proc.name} (pid {proc.pid}) exited with code {proc.exit_code()}; "
                            "restarting it")
                proc.restarts += 1
                proc.start()
                restarted.append(proc.name)
        if self.frontend is not None and self.frontend.process is not None and not self.frontend.alive():
            self._event(f"front end exited with code {self.frontend.exit_code()}; restarting it")
            self._start_frontend(START_TIMEOUT_S)
            restarted.append("frontend")
        if restarted:
            self._write_state()
        return restarted

    # ---- a new version -----------------------------------------------------------------------------
    def update(self, pipeline: Pipeline, timeout: float = START_TIMEOUT_S) -> None:
        """Blue/green: start `pipeline`'s containers, switch traffic once all ping, then stop the old ones.

        On a start-up failure the old version keeps serving and StartError is raised."""
        new = self._start_containers(pipeline, timeout)
        old, self.containers, self.pipeline = self.containers, new, pipeline
        self.generation += 1
        self._write_state()
        self._event(f"switched traffic to version {self.generation} "
                    f"({', '.join(f'{p.name}:{p.port}' for p in new)})")
        time.sleep(DRAIN_S)
        for proc in old:
            proc.stop()

    # ---- state -------------------------------------------------------------------------------------
    def _event(self, text: str) -> None:
        print(f"sparkleap deploy local: {text}", file=sys.stderr, flush=True)
        self.events = [*self.events[-19:], f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {text}"]

    def state(self) -> dict[str, Any]:
        return {
            "name": self.name, "generation": self.generation, "supervisor_pid": os.getpid(),
            "host": self.host, "port": self.port, "events": self.events, "update": self.update_outcome,
            "containers": [{"name": p.name, "kind": p.container.kind, "model": p.container.model, "port": p.port,
                            "pid": p.pid, "restarts": p.restarts} for p in self.containers],
        }

    def record_update(self, outcome: dict[str, Any]) -> None:
        self.update_outcome = outcome
        self._write_state()

    def _write_state(self) -> None:
        write_state(self.state_file, self.state())
