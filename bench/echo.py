"""The bare HTTP peer: a Flask app under gunicorn that echoes the body, or passes it through ECHO_NEXT.

ECHO_NEXT lists "host:port" hops, comma-separated; the body goes to each in turn (each answer feeds the
next), as the pipeline front end does with its containers. A front end with two echo hops behind it is
the "two-hop echo chain" the pipeline is compared with: the same HTTP hops and process layout, no model.
"""

from __future__ import annotations

import http.client
import os

from flask import Flask, Response, request

app = Flask("echo")
NEXT = [hop for hop in os.environ.get("ECHO_NEXT", "").split(",") if hop]  # hops in order; none: echo


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
