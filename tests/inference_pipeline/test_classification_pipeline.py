"""Classification end to end on generated data: preprocess -> train -> deploy (three containers) -> predict,
with class names and accuracy checked against XGBoost's own predictions; the XGBoost container's answers per
Accept; batch engines byte-identical; the same three containers in deploy local, deploy sagemaker and demo."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
import requests

from serving.inference_pipeline.description import pipeline_from_options
from serving.inference_pipeline.local import LocalEndpoint
from sparkleap.cli import main

pytestmark = pytest.mark.process  # starts server processes
RUNS = {"flowers_run": "species", "churn_run": "churned"}


def samples(run: Path, label: str) -> tuple[list[str], list[str]]:
    """(request rows without the label, their labels) from the run's samples.csv."""
    rows = list(csv.DictReader(open(run / "samples.csv")))
    names = [n for n in rows[0] if n != label]
    lines = []
    for row in rows:
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([row[n] for n in names])
        lines.append(out.getvalue())
    return lines, [row[label] for row in rows]


def xgboost_probabilities(run: Path, lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(features, XGBoost's own predictions) for raw request rows, through the run's bundle and booster."""
    import bundles
    from serving.xgboost.app import load_booster

    bundle = bundles.load_bundle(run / "sparkml" / "model.tar.gz")
    schema = json.loads((run / "schema.json").read_text())
    cells = list(csv.reader(lines))
    columns = {}
    for j, column in enumerate(schema["input"]):
        values = [row[j] for row in cells]
        columns[column["name"]] = (np.array([v or None for v in values], dtype=object) if column["type"] == "string"
                                   else np.array([float(v) if v else np.nan for v in values]))
    features = np.asarray(bundle.transform(columns).column("features"), dtype=np.float64)
    return features, np.asarray(load_booster(str(run / "xgboost" / "model.tar.gz")).predict(
        __import__("xgboost").DMatrix(features)))


@pytest.fixture(scope="module", params=list(RUNS))
def deployed(request, tmp_path_factory):
    run = request.getfixturevalue(request.param)
    pipeline = pipeline_from_options(None, None, None, None, str(run))
    state = tmp_path_factory.mktemp("classifier-endpoint") / "state.json"
    with LocalEndpoint(pipeline, workers=1, state_file=state, name=f"cls-{request.param[:5]}") as endpoint:
        yield run, RUNS[request.param], endpoint


def test_predictions_name_the_class_xgboost_predicts_with_its_probability(deployed):
    run, label, endpoint = deployed
    lines, actual = samples(run, label)
    answer = requests.post(f"{endpoint.url}/invocations", data="\n".join(lines),
                           headers={"Content-Type": "text/csv", "Accept": "text/csv"}, timeout=30)
    assert answer.status_code == 200, answer.text
    got = list(csv.reader(answer.text.splitlines()))
    assert len(got) == len(lines) and all(len(row) == 2 for row in got)
    classes = json.loads((run / "manifest.json").read_text())["classes"]
    _, probabilities = xgboost_probabilities(run, lines)
    if probabilities.ndim == 1:
        winners = (probabilities > 0.5).astype(int)
        best = np.where(winners == 1, probabilities, 1 - probabilities)
    else:
        winners, best = probabilities.argmax(axis=1), probabilities.max(axis=1)
    assert [row[0] for row in got] == [classes[w] for w in winners]
    assert np.max(np.abs(np.array([float(row[1]) for row in got]) - best)) <= 0.0005 + 1e-7
    served = np.mean([row[0] == a for row, a in zip(got, actual, strict=True)])
    assert served == np.mean([classes[w] == a for w, a in zip(winners, actual, strict=True)])
    assert served >= 0.7


def test_predict_prints_label_and_probability_per_row(deployed, tmp_path, capsys):
    run, label, endpoint = deployed
    lines, _ = samples(run, label)
    (tmp_path / "rows.csv").write_text("\n".join(lines[:5]) + "\n")
    assert main(["predict", "--endpoint", endpoint.url, str(tmp_path / "rows.csv")]) == 0
    out = capsys.readouterr().out.splitlines()
    classes = json.loads((run / "manifest.json").read_text())["classes"]
    assert len(out) == 5
    for line in out:
        name, probability = line.split(",")
        assert name in classes and 0.0 <= float(probability) <= 1.0


def test_xgboost_container_answers_per_accept_as_aws_does(deployed):
    run, label, endpoint = deployed
    lines, _ = samples(run, label)
    features, probabilities = xgboost_probabilities(run, lines[:4])
    url = f"http://127.0.0.1:{endpoint.supervisor.containers[1].port}/invocations"
    body = "\n".join(",".join(repr(float(x)) for x in row) for row in features)
    as_csv = requests.post(url, data=body, headers={"Content-Type": "text/csv", "Accept": "text/csv"}, timeout=30)
    rows = [[np.float32(x) for x in line.split(",")] for line in as_csv.text.splitlines()]
    expected = probabilities.reshape(len(features), -1)
    assert np.array_equal(np.array(rows, dtype=np.float32), expected)  # one probability, or k, per line
    as_json = requests.post(url, data=body, headers={"Content-Type": "text/csv", "Accept": "application/json"},
                            timeout=30).json()
    scores = [p["score"] for p in as_json["predictions"]]
    assert np.array_equal(np.array(scores, dtype=np.float32).reshape(len(features), -1), expected)
    assert isinstance(scores[0], list) == (probabilities.ndim == 2)  # a vector per row for multi:softprob


def test_batch_engines_write_identical_class_and_probability_files(deployed, tmp_path, spark):
    from serving.batch.engines.run import run_with_engine
    from serving.batch.options import TransformOptions

    run, label, _ = deployed
    lines, _ = samples(run, label)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("\n".join(lines) + "\n")
    (tmp_path / "in" / "b.csv").write_text("\n".join(lines[::-1][:7]) + "\n")
    pipeline = pipeline_from_options(None, None, None, None, str(run))
    outputs = {}
    for engine in ("http", "inprocess", "spark"):
        options = TransformOptions(batch_strategy="SingleRecord")
        result = run_with_engine(engine, pipeline, str(tmp_path / "in"), str(tmp_path / engine), options, quiet=True)
        assert not result.failed
        outputs[engine] = {p.name: p.read_bytes() for p in sorted((tmp_path / engine).glob("*.out"))}
    assert outputs["http"] == outputs["inprocess"] == outputs["spark"]
    classes = json.loads((run / "manifest.json").read_text())["classes"]
    first = outputs["http"]["a.csv.out"].decode().splitlines()
    assert len(first) == len(lines) and all(line.split(",")[0] in classes for line in first)


def test_deploy_local_and_sagemaker_describe_the_same_three_containers(deployed, capsys):
    from serving.inference_pipeline import sagemaker

    run, _, endpoint = deployed
    pipeline = pipeline_from_options(None, None, None, None, str(run))
    assert pipeline.describe() == "sparkml -> xgboost -> postprocess"
    assert [c.name for c in endpoint.supervisor.containers] == ["sparkml", "xgboost", "postprocess"]
    assert pipeline_from_options(None, None, None, None, str(run), postprocess=False).describe() == \
        "sparkml -> xgboost"
    parser = __import__("argparse").ArgumentParser()
    sagemaker.configure(parser)
    args = parser.parse_args(["--name", "cls", "--run", str(run), "--s3-prefix", "s3://bucket/models", "--role",
                              "arn:aws:iam::123456789012:role/SageMakerRole", "--region", "us-east-1", "--dry-run"])
    assert sagemaker.run(args) == 0
    model = json.loads(capsys.readouterr().out)["CreateModel"]
    assert [c["ContainerHostname"] for c in model["Containers"]] == ["sparkml", "xgboost", "postprocess"]
    post = model["Containers"][2]
    assert post["Image"].endswith("sagemaker-sparkml-serving:3.3")
    schema = json.loads(post["Environment"]["SAGEMAKER_SPARKML_SCHEMA"])
    assert schema["output"] == {"name": "predicted_label", "type": "string", "struct": "array"}
    assert post["ModelDataUrl"].endswith("/postprocess/model.tar.gz")


def test_demo_prints_label_and_probability(deployed, capsys):
    run, label, _ = deployed
    assert main(["demo", "--run", str(run), "--rows", "3"]) == 0
    out = capsys.readouterr().out
    assert "(sparkml -> xgboost -> postprocess)" in out and "label,probability" in out
    classes = json.loads((run / "manifest.json").read_text())["classes"]
    printed = [line for line in out.splitlines() if any(f" {c}," in line for c in classes)]
    assert len(printed) == 3
