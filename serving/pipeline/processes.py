"""One pipeline container as a local process: `sparkleap serve <kind>` with the environment SageMaker gives it."""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

from serving.pipeline.description import Container

REPO = Path(__file__).resolve().parents[2]
SAFE_RANGE_PORTS = 10  # SAGEMAKER_SAFE_PORT_RANGE: ports a container may open besides its bind port
PING_TIMEOUT_S = 2.0  # SageMaker's /ping request timeout


class StartError(RuntimeError):
    """A container that exited or never answered /ping during start-up; the message carries its log tail."""


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def check_port(host: str, port: int, flag: str = "--port") -> None:
    """ValueError naming `flag` when `host:port` is taken (checked before anything starts)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ValueError(f"port {port} on {host} is in use ({exc.strerror or exc}); another endpoint may be "
                             f"running there: stop it, or pass {flag} with a free port, e.g. {port + 1}") from None


def _ephemeral_start() -> int:
    """The first port the kernel hands out to outgoing connections (clients must not take ours)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port_block(size: int = SAFE_RANGE_PORTS + 1) -> int:
    """The first port of `size` consecutive free loopback ports, below the ephemeral range (free when checked)."""
    for _ in range(200):
        base = random.randrange(10000, max(_ephemeral_start(), 10000 + 2 * size) - size)
        if all(_is_free(base + i) for i in range(size)):
            return base
    raise OSError(f"no block of {size} free ports found on 127.0.0.1")


def ping(port: int, path: str = "/ping", timeout: float = PING_TIMEOUT_S) -> bool:
    """True when GET `path` on 127.0.0.1:`port` answers 200 within `timeout` seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


class ContainerProcess:
    """A container started on `port` (SAGEMAKER_BIND_TO_PORT) with the next ports as its safe range."""

    def __init__(self, container: Container, port: int, log_dir: Path, workers: int | None = None):
        self.container = container
        self.port = port
        self.log_path = log_dir / f"{container.name}-{port}.log"
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.restarts = 0

    @property
    def name(self) -> str:
        return self.container.name

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SAGEMAKER_", "SM_MODEL_DIR"))}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env.update(self.container.environment)
        env.update(SM_MODEL_DIR=self.container.model, SAGEMAKER_BIND_TO_PORT=str(self.port),
                   SAGEMAKER_SAFE_PORT_RANGE=f"{self.port + 1}-{self.port + SAFE_RANGE_PORTS}")
        if self.workers:
            env.setdefault("SAGEMAKER_MODEL_SERVER_WORKERS", str(self.workers))
        return env

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sparkleap.cli", "serve", self.container.kind],
                env=self.environment(), cwd=REPO, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True)  # Ctrl-C reaches the supervisor only; it stops us in order

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def wait_ready(self, timeout: float) -> None:
        """Block until /ping answers 200; StartError if the process exits or `timeout` seconds pass."""
        deadline = time.monotonic() + timeout
        while not ping(self.port, timeout=0.5):
            if not self.alive():
                raise StartError(f"container {self.name} exited with code {self.exit_code()} during start-up: "
                                 f"{self.log_tail()}")
            if time.monotonic() > deadline:
                raise StartError(f"container {self.name} did not answer /ping within {timeout:.0f} s: "
                                 f"{self.log_tail()}")
            time.sleep(0.05)

    def log_tail(self, lines: int = 3) -> str:
        try:
            text = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "(no log)"
        return " | ".join(text[-lines:]) or "(empty log)"

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM (gunicorn finishes in-flight requests), SIGKILL after `grace_s` seconds."""
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(grace_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
