"""Spark work under a time limit: a named job group, cancelled when the limit passes.

`with time_limit(spark, "interop case gaussian_mixture", 120):` runs the block's Spark jobs in their own job
group (interrupting task threads on cancel). When `seconds` pass, `cancelJobGroup` cancels every job of the
group, and again every second from then on: the block's Spark call fails at once and `SparkTimeout` names the
label. A block stuck on the driver
outside any job (no job to cancel) is interrupted `grace_s` seconds later by SIGALRM sent to the main thread,
when the block runs there. A block that still ends without error (it was between jobs at the limit and done
within the grace) keeps its result: the limit stops hung work, it is no speed target. The job group that was
set before the block is set again on the way out.

A task thread spinning in JVM code that never checks its interrupt flag (F2J LAPACK looping on NaN) is not
stopped by a cancel: its job is over for Spark and the caller, but in local mode the thread keeps one core
until the JVM exits (Spark kills only a cluster executor for such a task).
"""

from __future__ import annotations

import math
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

GROUP_ID, GROUP_DESCRIPTION, INTERRUPT = "spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel"


class SparkTimeout(TimeoutError):
    """Spark work passed its time limit; its jobs were cancelled. The message names the work."""


@contextmanager
def time_limit(spark, label: str, seconds: float, grace_s: float = 10.0) -> Iterator[str]:
    """Run the block's Spark jobs in a new job group (yielded), cancelled after `seconds`; SparkTimeout
    naming `label` when the limit passed (whatever error the cancel made the block raise is its cause)."""
    sc = spark.sparkContext
    group = f"{label} [{uuid.uuid4().hex[:8]}]"
    before = {key: sc.getLocalProperty(key) for key in (GROUP_ID, GROUP_DESCRIPTION, INTERRUPT)}
    expired = threading.Event()
    main = threading.current_thread() is threading.main_thread()
    message = f"{label}: Spark work passed its {seconds:g} s limit; the jobs of group {group!r} were cancelled"

    def interrupt(*_: object) -> None:
        if not done.is_set():
            raise SparkTimeout(message + " (the driver did not return after the cancel)")

    def cancel() -> None:
        """Cancel the group now and every second from now on (a job started later in it, even by JVM code the
        block gave up on, is cancelled too) until the SparkContext stops; SIGALRM once after the grace."""
        expired.set()
        alarm_at = time.monotonic() + grace_s if main else math.inf
        while True:
            try:
                sc.cancelJobGroup(group)
            except Exception:  # the SparkContext stopped: nothing is left to cancel
                return
            if time.monotonic() >= alarm_at:
                alarm_at = math.inf
                with lock:  # never once the block has left and the handler is restored
                    if not done.is_set():
                        signal.pthread_kill(threading.main_thread().ident, signal.SIGALRM)
            time.sleep(1.0)

    done, lock = threading.Event(), threading.Lock()
    previous = signal.signal(signal.SIGALRM, interrupt) if main else None
    sc.setJobGroup(group, f"{label} (limit {seconds:g} s)", interruptOnCancel=True)
    timer = threading.Timer(seconds, cancel)
    timer.daemon = True
    timer.start()
    try:
        yield group
    except SparkTimeout:
        raise
    except Exception as exc:
        if expired.is_set():
            raise SparkTimeout(message) from exc
        raise
    finally:
        done.set()
        timer.cancel()
        with lock:
            if main:
                signal.signal(signal.SIGALRM, previous)
        for key, value in before.items():
            sc.setLocalProperty(key, value)
