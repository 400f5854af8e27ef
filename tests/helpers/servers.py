"""Container processes for the tests: `sparkleap serve <kind>` as a real server process (granian), and HTTP to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from base.processes import ServerProcess, free_port

REPO = Path(__file__).resolve().parents[2]
TITANIC = "real_bundles/aws__sagemaker-python-sdk@35484d21a/tests/data"
TITANIC_MODEL = f"{TITANIC}/sparkml_model/mleap_model.tar.gz"  # the SDK's SparkML model.tar.gz, under shared/
TITANIC_SCHEMA = {
    "input": [{"name": "Pclass", "type": "float"}, {"name": "Embarked", "type": "string"},
              {"name": "Age", "type": "float"}, {"name": "Fare", "type": "float"},
              {"name": "SibSp", "type": "float"}, {"name": "Sex", "type": "string"}],
    "output": {"name": "features", "struct": "vector", "type": "double"},
}
START_TIMEOUT_S = 60
SERVE = [sys.executable, "-m", "sparkleap.cli", "serve"]


def serve_env(model_dir: Path | str, port: int, **extra: str) -> dict[str, str]:
    """The environment SageMaker would give the container (one worker unless `extra` says otherwise)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SAGEMAKER_", "SPARKLEAP_ALLOW", "MAX_CONTENT_LENGTH"))}
    env.update(SM_MODEL_DIR=str(model_dir), SAGEMAKER_BIND_TO_PORT=str(port), SAGEMAKER_MODEL_SERVER_WORKERS="1",
               PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def run_serve(kind: str, model_dir: Path | str, timeout: float = START_TIMEOUT_S,
              **env: str) -> subprocess.CompletedProcess:
    """Run `sparkleap serve kind` to completion (for start-ups that must fail)."""
    return subprocess.run(SERVE + [kind],
                          env=serve_env(model_dir, free_port(), **env), cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


@dataclass
class Server:
    url: str
    process: ServerProcess

    def post(self, body: bytes | str, content_type: str | None = "text/csv", accept: str | None = None,
             **headers: str) -> requests.Response:
        hdrs = dict(headers)
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        if accept is not None:
            hdrs["Accept"] = accept
        data = body.encode() if isinstance(body, str) else body
        return requests.post(f"{self.url}/invocations", data=data, headers=hdrs, timeout=30)

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}{path}", timeout=10)

    def request(self, method: str, path: str) -> requests.Response:
        return requests.request(method, f"{self.url}{path}", timeout=10)


@contextmanager
def running(kind: str, model_dir: Path | str, **env: str) -> Iterator[Server]:
    """A `sparkleap serve kind` process, healthy (/ping 200) for the duration of the block."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix=f"sparkleap-test-{kind}-") as logs:
        process = ServerProcess(SERVE + [kind], serve_env(model_dir, port, **env), port, Path(logs) / "serve.log",
                                label=f"{kind} server", cwd=REPO, die_with_parent=True)
        with process:
            process.wait_ready(START_TIMEOUT_S)
            yield Server(f"http://127.0.0.1:{port}", process)


def write_model_tar(folder: Path, files: dict[str, bytes]) -> Path:
    """A SageMaker model.tar.gz holding `files` at the top level."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    target = folder / "model.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        for name in files:
            tar.add(folder / name, arcname=name)
    return target


def schema_json(schema: dict) -> str:
    return json.dumps(schema)


def assert_one_line_failure(result, *words: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def train_tiny_booster(folder: Path):
    """A 3-feature regression Booster saved as `xgboost-model` (XGBoost's own format) in a model.tar.gz;
    returns (tar path, Booster) so tests compare the server with in-process predictions."""
    import numpy as np
    import xgboost as xgb

    rng = np.random.default_rng(7)
    features = rng.uniform(0, 10, size=(200, 3))
    labels = features[:, 0] * 2 + features[:, 1] - features[:, 2] + rng.normal(0, 0.1, 200)
    booster = xgb.train({"max_depth": 3, "eta": 0.3, "nthread": 1, "objective": "reg:squarederror"},
                        xgb.DMatrix(features, label=labels), 20)
    return write_model_tar(folder, {"xgboost-model": bytes(booster.save_raw("ubj"))}), booster
