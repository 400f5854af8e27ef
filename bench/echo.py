"""The bare HTTP peer: a Flask app under gunicorn that echoes the body, or forwards it to ECHO_NEXT.

Two of them (front forwarding to back) are the "two-hop echo chain" the pipeline front end is compared
with: the same HTTP hops and process layout, with no model work at all.
"""

from __future__ import annotations

import http.client
import os

from flask import Flask, Response, request

app = Flask("echo")
NEXT = os.environ.get("ECHO_NEXT", "")  # "host:port" of the next hop, or empty to echo


@app.get("/ping")
def ping() -> Response:
    return Response(b"", status=200)


@app.post("/invocations")
def invocations() -> Response:
    body = request.get_data()
    content_type = request.headers.get("Content-Type", "text/csv")
    if not NEXT:
        return Response(body, status=200, content_type=content_type)
    host, port = NEXT.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        conn.request("POST", "/invocations", body=body, headers={"Content-Type": content_type})
        resp = conn.getresponse()
        return Response(resp.read(), status=resp.status, content_type=resp.getheader("Content-Type", content_type))
    finally:
        conn.close()
