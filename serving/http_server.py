"""Run a WSGI app under granian (a Rust HTTP/1.1 server), in the foreground, as SageMaker's `serve` does.

Every server here (both containers and the pipeline front end) runs this one setup: `workers` processes
(forked; the app is built in each worker, never in the master), each with `threads` Python threads running
the app (further requests wait in the server, not in Python), HTTP/1.1 keep-alive, a crashed worker
respawned. Request heads are limited to 8 KB and 100 fields (431 above). Bound to
`settings.host` (127.0.0.1 unless opted out) and `settings.port`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from serving.loader import container_module
from serving.metrics import multiprocess_dir
from serving.settings import Settings

CONTAINER_THREADS = 4  # per worker: /ping answers while requests run; the model work holds the GIL anyway
HEADER_BUFFER = 8192  # bytes: hyper's smallest read buffer, the bound on a request's head (431 above)
KEEPALIVE_MS = 75_000  # an idle keep-alive connection is closed after this long
BACKPRESSURE = 256  # connections a worker holds at once: idle keep-alive connections (the front end's pool) count too


def serve_app(factory: Callable[[], Any], settings: Settings, threads: int = CONTAINER_THREADS) -> None:
    """Serve the WSGI app built by `factory` (called once in each worker) until SIGTERM/SIGINT; /metrics sums
    every worker's samples."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    multiprocess_dir()
    server = Granian(
        "sparkleap", address=settings.host, port=settings.port, interface=Interfaces.WSGI,
        workers=settings.workers, blocking_threads=threads, backpressure=BACKPRESSURE, runtime_threads=1,
        http=HTTPModes.http1,
        websockets=False, log_level=LogLevels.warning, log_access=False,
        http1_settings=HTTP1Settings(header_read_timeout=KEEPALIVE_MS, keep_alive=True,
                                     max_buffer_size=HEADER_BUFFER),
        respawn_failed_workers=True, respawn_interval=0.2, workers_kill_timeout=5,
    )
    server.serve(target_loader=lambda *_args, **_kwargs: factory(), wrap_loader=False)


def serve_container(kind: str, settings: Settings) -> None:
    """Check the model once (fail fast with a clear message), then serve the `kind` container."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # xgboost imports scikit-learn whenever it is installed (1.5 s of every start or restart); no container uses it
    sys.modules.setdefault("sklearn", None)
    # one OpenMP thread: each request predicts on one thread (the Booster's nthread=1), as AWS's image sets it;
    # idle OpenMP teams per worker thread only burn the CPU the other processes need
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    module = container_module(kind)
    module.check(settings)
    serve_app(lambda: module.create(settings), settings)
