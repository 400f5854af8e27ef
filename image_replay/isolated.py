"""A replayed image started as `docker run --user 65534 --read-only --tmpfs /tmp --network none IMAGE serve`
would start it, as far as a host without a Docker engine allows (this harness needs root, as Docker does):

- uid and gid 65534 (nobody), no supplementary groups, no capabilities: `setpriv` (real);
- a read-only root: in a private mount namespace every mount but /proc, /sys and /dev is remounted read-only
  (real: the whole filesystem the process sees refuses writes), and /tmp is a fresh tmpfs (real);
- no network: a fresh network namespace holding only loopback (real); the tests reach the server through
  sockets opened inside that namespace (`setns` in a helper thread), on the image's own port 8080;
- emulated, not real: the filesystem is the host's with the image's folder (`/opt/sparkleap`, the model, the
  entry script) and Python (a venv holding exactly the image's packages) in it, not the image's Debian.

The image folder must therefore live outside /tmp (the tmpfs hides it): `image_root()` gives one under .cache
(under /var/tmp for a checkout under /tmp).
`started(image, model_tar, **env)` yields an `IsolatedServer`: HTTP requests, its start time (process start
to the first 200 from /ping), the RSS and PSS of its processes, and `stop()` (SIGTERM, waited for).
"""

from __future__ import annotations

import ctypes
import http.client
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from image_replay.fresh_image import FreshImage
from image_replay.replay import MODEL_DIR, cache_dir, unpack_model

NOBODY = 65534
PORT = 8080  # the image's SAGEMAKER_BIND_TO_PORT: the namespace is the container's own
CLONE_NEWNET = 0x40000000
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 20
ROOTS = cache_dir("image-roots")  # outside /tmp, which the server sees as a fresh tmpfs
# Runs as root inside the new namespaces, then becomes nobody and execs the image's entry.
# $1: the base interpreter's installation when it sits in root's private home (pyenv), shown through a fresh
# /root that holds only it (an image's python lives in /usr/local); "-" otherwise.
ISOLATE = r"""
set -e
mount -t tmpfs -o mode=1777,size=512m tmpfs /tmp
if [ "$1" != - ]; then
  mkdir /tmp/.base && mount --bind "$1" /tmp/.base
  mount -t tmpfs -o mode=755 tmpfs /root && mkdir -p "$1" && mount --move /tmp/.base "$1" && rmdir /tmp/.base
fi
shift
while read -r _ point _ _ _ _; do
  case "$point" in /proc*|/sys*|/dev*|/tmp) ;; *) mount -o remount,bind,ro "$point" 2>/dev/null || true ;; esac
done < /proc/self/mounts
ip link set lo up
exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$@"
"""
_libc = ctypes.CDLL(None, use_errno=True)


def image_root(name: str) -> Path:
    """A fresh folder for a replayed image, readable by nobody, outside /tmp (remove it with shutil.rmtree)."""
    root = ROOTS / f"{name}-{uuid.uuid4().hex[:12]}"
    root.mkdir(parents=True)
    return root


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class IsolatedServer:
    """The server process inside its own namespaces; HTTP through sockets opened in its network namespace."""

    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log
        self.started_at = time.perf_counter()
        self.start_seconds = 0.0

    def _socket(self) -> socket.socket:
        box: dict = {}

        def inside() -> None:  # setns moves only this thread; the socket stays in the server's namespace
            try:
                fd = os.open(f"/proc/{self.process.pid}/ns/net", os.O_RDONLY)
                try:
                    if _libc.setns(fd, CLONE_NEWNET) != 0:
                        raise OSError(ctypes.get_errno(), "setns into the server's network namespace failed")
                finally:
                    os.close(fd)
                box["socket"] = socket.create_connection(("127.0.0.1", PORT), timeout=60)
            except OSError as exc:
                box["error"] = exc

        thread = threading.Thread(target=inside)
        thread.start()
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["socket"]

    def request(self, method: str, path: str, body: bytes | str = b"", headers: dict[str, str] | None = None
                ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        connection.sock = self._socket()
        try:
            connection.request(method, path, body=body.encode() if isinstance(body, str) else body,
                               headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def post(self, body: bytes | str, content_type: str = "text/csv", accept: str = "") -> Answer:
        headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
        return self.request("POST", "/invocations", body, headers)

    def wait_ready(self) -> None:
        deadline = self.started_at + START_TIMEOUT_S
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if self.request("GET", "/ping").status == 200:
                    self.start_seconds = time.perf_counter() - self.started_at
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"no 200 from /ping within {START_TIMEOUT_S} s:\n{self.tail()}")

    def wait_workers(self, count: int, timeout: float = 60) -> None:
        """Until the server's master has `count` worker processes (/ping answers once the first is up)."""
        deadline = time.perf_counter() + timeout
        while len(self.pids()) - 1 < count:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{len(self.pids()) - 1} of {count} workers after {timeout} s:\n{self.tail()}")
            time.sleep(0.05)

    def pids(self) -> list[int]:
        """The server's process and all its descendants."""
        return descendants(self.process.pid)

    def memory_mb(self) -> tuple[float, float]:
        """(RSS, PSS) summed over the server's processes, in MB (PSS splits shared pages among them)."""
        return memory_mb(self.process.pid)

    def process_status(self) -> dict[str, str]:
        """/proc/<pid>/status of the server's main process: Uid, Gid, CapEff, ..."""
        lines = Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        return dict(line.split(":\t", 1) for line in lines if ":\t" in line)

    def stop(self) -> tuple[int, float]:
        """SIGTERM, as SageMaker and `docker stop` send it: (exit status, seconds until every process ended);
        RuntimeError when a process outlives it."""
        pids = self.pids()
        sent = time.perf_counter()
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise RuntimeError(f"still running {STOP_TIMEOUT_S} s after SIGTERM:\n{self.tail()}") from None
        while any(_alive(pid) for pid in pids):
            if time.perf_counter() - sent > STOP_TIMEOUT_S:
                raise RuntimeError(f"processes {[p for p in pids if _alive(p)]} outlived the server's SIGTERM")
            time.sleep(0.05)
        return status, time.perf_counter() - sent

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found, queue = [], [pid]
    while queue:
        pid = queue.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                queue += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB summed over `pid` and its descendants (PSS: shared pages split among their users)."""
    totals = {"Rss:": 0, "Pss:": 0}
    for each in descendants(pid):
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line[:4] in totals:
                    totals[line[:4]] += int(line.split()[1])
        except OSError:
            pass
    return totals["Rss:"] / 1024, totals["Pss:"] / 1024


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def command(image: FreshImage) -> list[str]:
    base = Path(os.path.realpath(image.venv / "bin" / "python")).parents[1]
    private = str(base) if base.is_relative_to("/root") else "-"
    return ["unshare", "--mount", "--net", "--", "sh", "-c", ISOLATE, "isolate", private, *image.command("serve")]


@contextmanager
def started(image: FreshImage, model_tar: Path, **env: str) -> Iterator[IsolatedServer]:
    """The image's `serve` with the model unpacked into its /opt/ml/model, isolated as above, ready; killed
    afterwards unless the caller stopped it."""
    if os.geteuid() != 0 or not all(shutil.which(tool) for tool in ("unshare", "setpriv", "ip", "mount")):
        raise RuntimeError("the locked-down image tier needs root and unshare, setpriv, ip and mount (util-linux, "
                           "iproute2), as a Docker engine does")
    if image.root.resolve().is_relative_to("/tmp"):
        raise ValueError(f"{image.root}: an isolated image must live outside /tmp (use image_root())")
    unpack_model(model_tar, image.path(MODEL_DIR))
    log = image.root.parent / f"{image.root.name}.log"
    runtime = image.environment(**env)
    with open(log, "wb") as out:
        process = subprocess.Popen(command(image), env=runtime, cwd=image.workdir, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = IsolatedServer(process, log)
    try:
        server.wait_ready()
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def remove(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    Path(root.parent, f"{root.name}.log").unlink(missing_ok=True)
