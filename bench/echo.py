"""The bare HTTP peers: servers that echo the body, or pass it through the hops in ECHO_NEXT in turn.

ECHO_NEXT lists "host:port" hops, comma-separated; the body goes to each in turn (each answer feeds the
next), as the pipeline front end does with its containers. A front end with two echo hops behind it is
the "two-hop echo chain" the pipeline is compared with: the same HTTP hops and process layout, no model.

Two setups, so that ratios stay honest:
- `python -m bench.echo --port P`: our server setup (serving.server: granian, keep-alive, the front end's
  thread count for a front, the containers' for a hop), a plain WSGI echo, pooled keep-alive hops;
- `gunicorn bench.echo:app`: the setup before it (gunicorn sync worker, Flask, a new connection per hop).
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import os

from flask import Flask, Response, request

from base.keepalive import Pool

NEXT = [hop for hop in os.environ.get("ECHO_NEXT", "").split(",") if hop]  # hops in order; none: echo
app = Flask("echo")


@app.get("/ping")
def ping() -> Response:
    return Response(b"", status=200)


@app.post("/invocations")
def invocations() -> Response:
    body = request.get_data()
    content_type = request.headers.get("Content-Type", "text/csv")
    if not NEXT:
        return Response(body, status=200, content_type=content_type)
    status = 200
    for hop in NEXT:
        host, port = hop.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            conn.request("POST", "/invocations", body=body, headers={"Content-Type": content_type})
            resp = conn.getresponse()
            body, status = resp.read(), resp.status
            content_type = resp.getheader("Content-Type", content_type)
        finally:
            conn.close()
    return Response(body, status=status, content_type=content_type)


class Echo:
    """A plain WSGI echo (or pass-through over pooled keep-alive connections to the hops)."""

    def __init__(self, hops: list[str]):
        self.pools = [Pool(h.rsplit(":", 1)[0], int(h.rsplit(":", 1)[1]), 60.0) for h in hops]

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "GET":
            start_response("200 OK", [("Content-Length", "0")])
            return [b""]
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        content_type, status = environ.get("CONTENT_TYPE", "text/csv"), 200
        for pool in self.pools:
            status, content_type, body = pool.post("/invocations", body, {"Content-Type": content_type})
        start_response(f"{status} X", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]


def main() -> None:
    from serving.pipeline.frontend import FRONTEND_THREADS
    from serving.server import CONTAINER_THREADS, serve_app
    from serving.settings import Settings

    parser = argparse.ArgumentParser(prog="bench.echo", allow_abbrev=False)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    settings = dataclasses.replace(Settings.from_env(), host="127.0.0.1", port=port, workers=1)
    serve_app(lambda: Echo(NEXT), settings, threads=FRONTEND_THREADS if NEXT else CONTAINER_THREADS)


if __name__ == "__main__":
    main()
