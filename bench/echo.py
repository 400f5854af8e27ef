"""The bare HTTP peer: a server that echoes the body, or passes it through the hops in ECHO_NEXT in turn.

ECHO_NEXT lists "host:port" hops, comma-separated; the body goes to each in turn (each answer feeds the
next), as the pipeline front end does with its containers. A front end with two echo hops behind it is
the "two-hop echo chain" the pipeline is compared with: the same HTTP hops and process layout, no model.

`python -m bench.echo --port P` runs it on the servers' own stack, so that the ratios stay fair: the same app
(`serving.http_app.sagemaker_app`: Flask, POST /invocations on its fast path, the body read as the servers read
it) on granian with our server setup (`serving.http_server`: keep-alive, the front end's thread count for a
front, the containers' for a hop), the hops over pooled keep-alive connections (`base.keepalive`).
"""

from __future__ import annotations

import argparse
import dataclasses
import os

from base.keepalive import Pool
from serving.http_app import Environ, HttpAnswer, SageMakerApp, read_body, reply, sagemaker_app
from serving.metrics import Metrics

LIMIT = 6 * 1024 * 1024  # bytes, the servers' payload limit


def create_app(hops: list[str]) -> SageMakerApp:
    """The echo (no hops) or pass-through app."""
    pools = [Pool(h.rsplit(":", 1)[0], int(h.rsplit(":", 1)[1]), 60.0) for h in hops]

    def invocations(environ: Environ) -> HttpAnswer:
        body = read_body(environ, LIMIT)
        content_type, status = environ.get("CONTENT_TYPE", "text/csv"), 200
        for pool in pools:
            status, content_type, body = pool.post("/invocations", body, {"Content-Type": content_type})
        return reply(status, body, content_type)

    return sagemaker_app("echo", Metrics("echo"), invocations, dict)


def main() -> None:
    from serving.http_server import CONTAINER_THREADS, serve_app
    from serving.inference_pipeline.frontend import FRONTEND_THREADS
    from serving.settings import Settings

    parser = argparse.ArgumentParser(prog="bench.echo", allow_abbrev=False)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    hops = [hop for hop in os.environ.get("ECHO_NEXT", "").split(",") if hop]  # hops in order; none: echo
    settings = dataclasses.replace(Settings.from_env(), host="127.0.0.1", port=port, workers=1)
    serve_app(lambda: create_app(hops), settings, threads=FRONTEND_THREADS if hops else CONTAINER_THREADS)


if __name__ == "__main__":
    main()
