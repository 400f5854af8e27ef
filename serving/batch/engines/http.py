"""The http engine: requests to a SageMaker-style endpoint (`POST /invocations`), as Batch Transform sends them.

`MaxConcurrentTransforms` requests in flight (over a pool of keep-alive connections), Content-Type and Accept
from the job, retries with back-off (InvocationsMaxRetries) for what may pass: no connection, a timeout,
429/500/502/503/504. Anything else (a 4xx, the pipeline's 424 ModelError) fails the request at once; a 413
or a 424 for a hop over 5 MB says so (the job re-packs the records into smaller requests).
"""

from __future__ import annotations

import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from base.keepalive import Pool
from serving.batch import fingerprint
from serving.batch.engines import InvocationError
from serving.batch.options import TransformOptions
from serving.batch.records import Request
from serving.errors import OversizedHop

TRANSIENT = {429, 500, 502, 503, 504}
BACKOFF_S = 0.2


class HttpEngine:
    name = "http"

    def __init__(self, url: str, model: dict[str, Any] | None = None):
        """`model`: the fingerprint of the pipeline behind `url` when it is known (started here)."""
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"--endpoint {url!r}: expected http://host:port")
        self.url = url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port or 80
        self._pools: dict[float, Pool] = {}  # by call timeout
        self.model = model or fingerprint.of_endpoint(self.url)

    def execution_parameters(self) -> dict[str, Any] | None:
        """The endpoint's answer to GET /execution-parameters, None when it has none (404 or not JSON)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request("GET", "/execution-parameters")
            resp = conn.getresponse()
            body = resp.read()
            return json.loads(body) if resp.status == 200 else None
        except (OSError, ValueError, http.client.HTTPException):
            return None
        finally:
            conn.close()

    def invoke(self, requests: list[Request], options: TransformOptions) -> list[bytes]:
        """Response bodies in request order; InvocationError for the first request that failed."""
        workers = max(1, options.max_concurrent_transforms or 1)
        if workers == 1 or len(requests) == 1:
            return [self.call(r, options) for r in requests]
        with ThreadPoolExecutor(workers, thread_name_prefix="transform") as pool:
            return list(pool.map(lambda r: self.call(r, options), requests))

    def call(self, request: Request, options: TransformOptions) -> bytes:
        headers = {"Content-Type": options.content_type, "Accept": options.accept}
        for attempt in range(options.max_retries + 1):
            try:
                status, body = self._post(request.payload, headers, options.timeout_s)
            except (OSError, http.client.HTTPException) as exc:
                status, body = 0, f"{type(exc).__name__}: {exc}".encode()
            if status in (200, 204):
                return body if status == 200 else b""
            if status and status not in TRANSIENT or attempt == options.max_retries:
                text = " ".join(body.decode("utf-8", "replace").split())[:2000]
                what = f"ClientError: {status}" if status else "no response"
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise InvocationError(request.first, f"{what}{tries}: {text}",
                                      transient=not status or status in TRANSIENT, oversized=status == 413,
                                      hop=OversizedHop.parse(text) if status == 424 else None)
            time.sleep(BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")

    def _post(self, payload: bytes, headers: dict[str, str], timeout_s: float) -> tuple[int, bytes]:
        pool = self._pools.get(timeout_s) or self._pools.setdefault(timeout_s, Pool(self.host, self.port, timeout_s))
        status, _, body = pool.post("/invocations", payload, headers)
        return status, body
