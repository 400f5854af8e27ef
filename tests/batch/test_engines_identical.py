"""The http and inprocess engines write byte-identical files, equal to bundle runtime + booster."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from serving.batch.engines.http import HttpEngine
from serving.batch.engines.inprocess import InprocessEngine
from serving.batch.job import run_job
from serving.batch.options import TransformOptions
from serving.batch.progress import Progress

CASES = {
    "multi": TransformOptions(batch_strategy="MultiRecord", max_payload_mb=1),
    "single": TransformOptions(batch_strategy="SingleRecord", max_payload_mb=1, max_concurrent_transforms=2),
    "assemble-none": TransformOptions(batch_strategy="MultiRecord", max_payload_mb=1, assemble_with="None"),
    "join-filter": TransformOptions(batch_strategy="MultiRecord", max_payload_mb=1, input_filter="$[1:]",
                                    join_source="Input", output_filter="$[0,-1]"),
}


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.out"))}


@pytest.mark.parametrize("case", list(CASES))
def test_http_and_inprocess_write_identical_files(case, three_files, tmp_path, pipeline, endpoint_url):
    options = CASES[case]
    if case == "join-filter":  # an id column first, so the filter has something to drop and the join to keep
        for p in three_files.rglob("*.csv"):
            p.write_text("".join(f"id{i},{line}\n" for i, line in enumerate(p.read_text().splitlines())))
    quiet = Progress(3, quiet=True)
    http = run_job(str(three_files), str(tmp_path / "http"), options, HttpEngine(endpoint_url), quiet)
    inproc = run_job(str(three_files), str(tmp_path / "inproc"), options, InprocessEngine(pipeline),
                     Progress(3, quiet=True))
    assert not http.failed and not inproc.failed
    assert list(outputs(tmp_path / "http")) == ["a.csv.out", "b.csv.out", "sub/c.csv.out"]
    assert outputs(tmp_path / "http") == outputs(tmp_path / "inproc")


def test_outputs_equal_bundle_and_booster(three_files, tmp_path, pipeline):
    from bundles import load_bundle
    from serving.xgboost.app import load_booster

    run_job(str(three_files), str(tmp_path / "out"), TransformOptions(), InprocessEngine(pipeline),
            Progress(3, quiet=True))
    rows = [line.split(",") for line in (three_files / "a.csv").read_text().splitlines()]
    bundle = load_bundle(pipeline.containers[0].model)
    names = [c["name"] for c in bundle.serving_schema()["input"]]
    columns = {n: np.array([r[j] if j == 0 else float(r[j]) for r in rows], dtype=object if j == 0 else float)
               for j, n in enumerate(names)}
    features = bundle.transform(columns).column("features")
    expected = load_booster(pipeline.containers[1].model).inplace_predict(np.asarray(features, dtype=float))
    got = [float(x) for x in (tmp_path / "out" / "a.csv.out").read_text().splitlines()]
    assert got == [float(x) for x in np.asarray(expected).tolist()]


def test_fast_prediction_text_equals_pythons_str_in_every_notation():
    from serving.fastcsv import python_lines

    rng = np.random.default_rng(1)
    values = np.concatenate([
        (rng.random(20_000) * 20).astype(np.float32).astype(np.float64),  # what XGBoost predicts
        rng.standard_normal(20_000) * 10.0 ** rng.integers(-30, 30, 20_000),  # every exponent
        [0.0, -0.0, 15.0, 1e16, 1e-4, 9.999e-5, np.inf, -np.inf, np.nan, 1234567890123456.0, 5e-324],
    ])
    assert python_lines(values) == "".join(f"{x}\n" for x in values.tolist()).encode()



def test_concurrent_http_transforms_each_start_their_own_endpoint(three_files, tmp_path, pipeline, monkeypatch):
    """Two local http transforms at once each run their own pipeline, with its own state file (read by its
    front end), removed when it ends; both write the in-process engine's bytes. They once shared the endpoint
    name "transform", so the second overwrote the first's state and the first one's end removed the second's."""
    from concurrent.futures import ThreadPoolExecutor

    from serving.batch.engines.run import run_with_engine
    from serving.inference_pipeline.supervisor import Supervisor

    state_files = []
    start = Supervisor.start

    def recording_start(self, *args, **kwargs):
        state_files.append(self.state_file)
        return start(self, *args, **kwargs)

    monkeypatch.setattr(Supervisor, "start", recording_start)
    options = TransformOptions(batch_strategy="MultiRecord", max_payload_mb=1)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda name: run_with_engine("http", pipeline, str(three_files),
                                                             str(tmp_path / name), options, quiet=True),
                                ["one", "two"]))
    assert not any(r.failed for r in results)
    assert len(set(state_files)) == 2 and not any(p.exists() for p in state_files)
    run_job(str(three_files), str(tmp_path / "inproc"), options, InprocessEngine(pipeline), Progress(3, quiet=True))
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two") == outputs(tmp_path / "inproc")
