"""No orphans: a test session whose parent (make, a shell, CI) is killed takes everything it started along.

`session_dies_with_parent()` asks the kernel for SIGTERM when the parent exits; SIGTERM or SIGHUP then SIGKILLs
every descendant (the Spark JVM and its Python workers, MLeap harness JVMs, servers and their workers, CLI
runs) and ends the session with 128 + the signal. The Spark JVM would also exit once its stdin pipe closes,
and servers the tests start die with the session by their own parent-death signal (tests/helpers/servers.py).
"""

from __future__ import annotations

import os
import signal

from base.processes import descendants, die_with_parent


def kill_descendants() -> list[int]:
    """SIGKILL every live descendant of this process (the whole tree read first); the pids signalled."""
    tree = descendants(os.getpid())
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return tree


def _end_session(signum: int, _frame: object) -> None:
    kill_descendants()
    os._exit(128 + signum)


def session_dies_with_parent() -> None:
    """This process ends, its descendants killed, on SIGTERM, SIGHUP (unless ignored, as under nohup) or its
    parent's exit."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is signal.SIG_DFL:
            signal.signal(sig, _end_session)
    die_with_parent(signal.SIGTERM)
