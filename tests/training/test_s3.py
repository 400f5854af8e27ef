"""Training from and to s3:// locations through a real S3 endpoint (moto server)."""

from __future__ import annotations

import json
import uuid

from base import storage
from training.train import PLOTS, train


def test_train_reads_run_from_s3_and_writes_outputs_under_it(s3_server, synthetic_run):
    bucket = f"train-{uuid.uuid4().hex[:10]}"
    storage.s3_client().create_bucket(Bucket=bucket)
    run = f"s3://{bucket}/runs/synthetic"
    storage.upload(synthetic_run, run)

    metrics = train(run, num_round=10)

    written = {uri.rsplit("/", 1)[1] for uri in storage.list_files(f"{run}/xgboost")}
    assert written == {"model.tar.gz", "metrics.json", *PLOTS.values()}
    assert json.loads(storage.read_text(f"{run}/xgboost/metrics.json")) == metrics
    assert metrics["output"] == f"{run}/xgboost" and metrics["rows"] == {"train": 400, "validation": 100}
