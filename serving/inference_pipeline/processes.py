"""One pipeline container as a local process: `sparkleap serve <kind>` with the environment SageMaker gives it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from base.processes import ServerProcess, StartError, free_port_block, ping
from serving.inference_pipeline.description import Container
from serving.loader import container_environment

REPO = Path(__file__).resolve().parents[2]
SAFE_RANGE_PORTS = 10  # SAGEMAKER_SAFE_PORT_RANGE: ports a container may open besides its bind port

__all__ = ["REPO", "SAFE_RANGE_PORTS", "ContainerProcess", "StartError", "container_port_block", "ping",
           "python_env"]


def container_port_block() -> int:
    """A bind port followed by its SAGEMAKER_SAFE_PORT_RANGE, all free."""
    return free_port_block(SAFE_RANGE_PORTS + 1)


def python_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with the repository first on PYTHONPATH."""
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


class ContainerProcess(ServerProcess):
    """A container started on `port` (SAGEMAKER_BIND_TO_PORT) with the next ports as its safe range."""

    def __init__(self, container: Container, port: int, log_dir: Path, workers: int | None = None):
        self.container = container
        self.workers = workers
        self.restarts = 0
        super().__init__([sys.executable, "-m", "sparkleap.cli", "serve", container.kind], {}, port,
                         log_dir / f"{container.name}-{port}.log", label=f"container {container.name}", cwd=REPO)
        self.env = self.environment()

    @property
    def name(self) -> str:
        return self.container.name

    def environment(self) -> dict[str, str]:
        env = python_env(container_environment(self.container.model, self.container.environment))
        env.update(SAGEMAKER_BIND_TO_PORT=str(self.port),
                   SAGEMAKER_SAFE_PORT_RANGE=f"{self.port + 1}-{self.port + SAFE_RANGE_PORTS}")
        if self.workers:
            env.setdefault("SAGEMAKER_MODEL_SERVER_WORKERS", str(self.workers))
        return env
