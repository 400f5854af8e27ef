"""Child processes that serve HTTP on loopback: start one, wait for its ping, stop it; free ports.

Used by the local pipeline (containers, front end), the tests and the benchmarks alike.
"""

from __future__ import annotations

import ctypes
import http.client
import os
import random
import signal
import socket
import subprocess
import time
from pathlib import Path

HOST = "127.0.0.1"
PING_TIMEOUT_S = 2.0  # SageMaker's /ping request timeout


PR_SET_PDEATHSIG = 1  # linux/prctl.h
_LIBC = ctypes.CDLL(None, use_errno=True) if os.uname().sysname == "Linux" else None


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> None:
    """The calling process gets `sig` when its parent exits (Linux; nothing elsewhere). As a `preexec_fn`,
    pass `parent` (the starter's pid): a child whose starter died before the call kills itself at once."""
    if _LIBC is None:
        return
    if _LIBC.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def child_dies_with_parent(sig: int = signal.SIGKILL):
    """A `preexec_fn` for Popen: the child gets `sig` when the process (thread) that starts it is gone."""
    parent = os.getpid()
    return lambda: die_with_parent(sig, parent)


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (children first, then theirs), read from /proc; [] where there is none."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = entry.read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.parent.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


class StartError(RuntimeError):
    """A process that exited or never answered its ping during start-up; the message carries its log tail."""


def free_port() -> int:
    """A loopback port the kernel says is free now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def check_port(host: str, port: int, flag: str = "--port") -> None:
    """ValueError naming `flag` when `host:port` is taken (checked before anything starts); the hint names a
    port that was free when checked."""
    error = _bind_error(host, port)
    if error is None:
        return
    spare = next((p for p in range(port + 1, min(port + 200, 65536)) if _bind_error(host, p) is None), None)
    hint = f", e.g. {flag} {spare}" if spare else ""
    raise ValueError(f"port {port} on {host} is in use ({error}); another endpoint may be running there: stop "
                     f"it, or pass {flag} with a free port{hint}")


def _bind_error(host: str, port: int) -> str | None:
    """None when `host:port` can be bound now, else why not."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _ephemeral_start() -> int:
    """The first port the kernel hands out to outgoing connections (clients must not take ours)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port_block(size: int) -> int:
    """The first port of `size` consecutive free loopback ports, below the ephemeral range (free when checked)."""
    for _ in range(200):
        base = random.randrange(10000, max(_ephemeral_start(), 10000 + 2 * size) - size)
        if all(_is_free(base + i) for i in range(size)):
            return base
    raise OSError(f"no block of {size} free ports found on {HOST}")


def ping(port: int, path: str = "/ping", timeout: float = PING_TIMEOUT_S) -> bool:
    """True when GET `path` on 127.0.0.1:`port` answers 200 within `timeout` seconds."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


class ServerProcess:
    """`argv` run in its own session, serving on 127.0.0.1:`port`, ready once GET `ping_path` answers 200.

    Output goes to `log_path` (appended: a restart keeps the earlier lines). `start()` may be called again
    after the process exited (a restart). Use as a context manager to stop it on the way out. With
    `die_with_parent` the process is killed when the thread that started it is gone (tests: no orphan servers).
    """

    def __init__(self, argv: list[str], env: dict[str, str], port: int, log_path: Path, label: str = "server",
                 cwd: str | os.PathLike | None = None, ping_path: str = "/ping", die_with_parent: bool = False):
        self.argv, self.env, self.port, self.log_path = argv, env, port, Path(log_path)
        self.label, self.cwd, self.ping_path = label, cwd, ping_path
        self.die_with_parent = die_with_parent
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self) -> ServerProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.started = time.perf_counter()
            self.process = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=log, start_new_session=True,
                                            preexec_fn=child_dies_with_parent() if self.die_with_parent else None)
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Seconds from start until the first 200 on the ping path; StartError (naming the log tail) if the
        process exits first or `timeout` seconds pass."""
        deadline = self.started + timeout
        while not ping(self.port, self.ping_path, timeout=0.5):
            if not self.alive():
                raise StartError(f"{self.label} exited with code {self.exit_code()} during start-up: "
                                 f"{self.log_tail()}")
            if time.perf_counter() > deadline:
                raise StartError(f"{self.label} did not answer {self.ping_path} on port {self.port} within "
                                 f"{timeout:.0f} s: {self.log_tail()}")
            time.sleep(0.02)
        return time.perf_counter() - self.started

    def log_tail(self, lines: int = 3) -> str:
        """The last `lines` lines of the log, joined with ` | `."""
        try:
            text = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "(no log)"
        return " | ".join(text[-lines:]) or "(empty log)"

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM (the server lets in-flight requests finish), then SIGKILL to the whole session after
        `grace_s` seconds."""
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(grace_s)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()

    def __enter__(self) -> ServerProcess:
        return self if self.process is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
