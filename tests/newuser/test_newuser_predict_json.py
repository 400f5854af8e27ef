"""Item 4: `sparkleap predict --content-type application/json|jsonlines` sends the user's records as JSON."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.helpers.houses import sparkleap


@pytest.fixture
def recorder():
    """A loopback endpoint that records each body and answers one CSV line per row it holds."""
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server hook name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            bodies.append(body)
            try:
                if self.headers["Content-Type"] == "application/json":
                    docs = [json.loads(body)]
                else:
                    docs = [json.loads(line) for line in body.splitlines() if line.strip()]
            except ValueError:
                self.send_response(400)
                self.end_headers()
                self.wfile.write(b"not JSON")
                return
            rows = sum(len(d["data"]) if isinstance(d["data"][0], list) else 1 for d in docs if "data" in d)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"1.5\n" * rows)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", bodies
    server.shutdown()


def test_a_json_body_is_sent_as_is(recorder, tmp_path):
    url, bodies = recorder
    body = json.dumps({"data": [[182.9, 49, 4, "green", ""], [95.3, None, 7, "blue", "east"]]})
    (tmp_path / "rows.json").write_text(body)
    done = sparkleap("predict", str(tmp_path / "rows.json"), "--endpoint", url, "--content-type", "application/json")
    assert done.returncode == 0, done.stderr
    assert bodies == [body.encode()] and done.stdout == "1.5\n1.5\n"


def test_a_big_json_body_is_split_by_rows_into_valid_json(recorder, tmp_path):
    url, bodies = recorder
    rows = [[float(i), i, 4, "green", "west"] for i in range(300)]
    (tmp_path / "rows.json").write_text(json.dumps({"data": rows}))
    done = sparkleap("predict", str(tmp_path / "rows.json"), "--endpoint", url, "--content-type", "application/json",
                     "--max-payload-mb", "0.002")
    assert done.returncode == 0, done.stderr
    assert len(bodies) > 1 and all(len(b) <= 0.002 * 1024 * 1024 for b in bodies)
    assert [r for b in bodies for r in json.loads(b)["data"]] == rows
    assert done.stdout.count("\n") == 300


def test_json_lines_are_packed_by_line_with_the_schema_line_in_every_request(recorder, tmp_path):
    url, bodies = recorder
    schema = {"schema": {"input": [{"name": "a", "type": "double"}], "output": {"name": "f", "type": "double"}}}
    lines = [json.dumps(schema)] + [json.dumps({"data": [float(i)]}) for i in range(100)]
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n")
    done = sparkleap("predict", str(tmp_path / "rows.jsonl"), "--endpoint", url, "--content-type",
                     "application/jsonlines", "--max-payload-mb", "0.0005")
    assert done.returncode == 0, done.stderr
    assert len(bodies) > 1 and all(b.startswith(lines[0].encode() + b"\n") for b in bodies)
    sent = [line for b in bodies for line in b.decode().splitlines()[1:]]
    assert sent == lines[1:] and done.stdout.count("\n") == 100
