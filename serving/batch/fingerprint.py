"""What a transform's outputs were made from, as recorded in its manifest and compared on a re-run.

A job's fingerprint: the input location, every container's model file (sha256 of a model.tar.gz, or of a
model directory's files in name order), the serving schema (SAGEMAKER_SPARKML_SCHEMA), the containers'
other environment, and the options that change an output. With `--endpoint URL` the models are not known
here: the URL stands for them. An input's fingerprint is its size in bytes and the sha256 of its bytes as
stored (before any gunzip).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

HOW_NOT_WHAT = ("max_concurrent_transforms", "max_retries", "timeout_s")  # options that never change an output
NOT_RECORDED_ENV = ("SAGEMAKER_BATCH", "SAGEMAKER_SPARKML_SCHEMA")  # the schema is recorded on its own
CHUNK = 1024 * 1024


def of_input(data: bytes) -> dict[str, Any]:
    """{"size": bytes, "sha256": hex} of an input object's stored bytes."""
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def of_model(path: str) -> str:
    """The sha256 of a model file, or of a model directory's files (relative names and bytes, in name order)."""
    digest = hashlib.sha256()
    root = Path(path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for file in files:
        if file is not root:
            digest.update(str(file.relative_to(root)).encode() + b"\0")
        with open(file, "rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def of_pipeline(pipeline) -> dict[str, Any]:
    """The models and schema of a pipeline (serving.inference_pipeline.description.Pipeline) with local model files."""
    containers, schema = [], None
    for c in pipeline.containers:
        if "SAGEMAKER_SPARKML_SCHEMA" in c.environment:
            schema = json.loads(c.environment["SAGEMAKER_SPARKML_SCHEMA"])
        env = {k: v for k, v in sorted(c.environment.items()) if k not in NOT_RECORDED_ENV}
        containers.append({"name": c.name, "kind": c.kind, "file": c.model, "sha256": of_model(c.model),
                           "environment": env})
    return {"containers": containers, "schema": schema}


def of_endpoint(url: str) -> dict[str, Any]:
    return {"endpoint": url}


def of_job(input_location: str, model: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    return {"input": input_location, "model": model,
            "options": {k: v for k, v in options.items() if k not in HOW_NOT_WHAT}}


def _model_terms(model: dict[str, Any]) -> dict[str, Any]:
    """What of a model fingerprint must match: each container's name, kind, sha256 and environment, the schema
    (not where the files are)."""
    if "endpoint" in model:
        return {"endpoint": model["endpoint"]}
    terms: dict[str, Any] = {"schema": model.get("schema")}
    for c in model.get("containers", []):
        terms[f"{c['name']} ({c['kind']}) model sha256"] = c["sha256"][:12]
        terms[f"{c['name']} environment"] = c["environment"]
    return terms


def differences(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs between two job fingerprints, one phrase each (empty: the same work)."""
    changed = []
    if before.get("input") != now["input"]:
        changed.append(f"input {before.get('input')!r} -> {now['input']!r}")
    old, new = _model_terms(before.get("model", {})), _model_terms(now["model"])
    if old.keys() != new.keys():
        changed.append(f"model {_short(before.get('model'))} -> {_short(now['model'])}")
    else:
        changed += [f"{k} {_short(old[k])} -> {_short(new[k])}" for k in new if old[k] != new[k]]
    options = before.get("options", {})
    changed += [f"{k} {options.get(k)!r} -> {v!r}" for k, v in now["options"].items() if options.get(k) != v]
    return changed


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."
