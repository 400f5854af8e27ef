"""Pipeline descriptions: SageMaker's limits and clear errors for files users write by hand."""

from __future__ import annotations

import pytest

from serving.inference_pipeline.description import (
    Container,
    DescriptionError,
    Pipeline,
    default_pipeline,
    load_pipeline,
)


@pytest.fixture
def models(tmp_path):
    for name in ("bundle.tar.gz", "xgb.tar.gz"):
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


def test_yaml_description_resolves_models_relative_to_the_file(models):
    (models / "pipeline.yaml").write_text(
        "containers:\n"
        "  - {name: features, kind: sparkml, model: bundle.tar.gz,\n"
        "     environment: {SAGEMAKER_SPARKML_SCHEMA: {input: [], output: {}}}}\n"
        "  - {kind: xgboost, model: xgb.tar.gz}\n")
    pipeline = load_pipeline(str(models / "pipeline.yaml"))
    first, second = pipeline.containers
    assert (first.name, second.name) == ("features", "xgboost")
    assert first.model == str(models / "bundle.tar.gz")
    assert first.environment["SAGEMAKER_SPARKML_SCHEMA"] == '{"input": [], "output": {}}'


@pytest.mark.parametrize("text, message", [
    ("containers: []", "2 to 15 containers, got 0"),
    ("[1, 2]", 'expected an object with a "containers" list'),
    ("containers:\n  - {kind: sparkml}\n  - {kind: xgboost, model: xgb.tar.gz}", 'needs at least "kind" and "model"'),
    ("containers:\n  - {kind: tf, model: xgb.tar.gz}\n  - {kind: xgboost, model: xgb.tar.gz}",
     "kind must be one of sparkml, xgboost"),
    ("containers:\n  - {kind: xgboost, model: xgb.tar.gz}\n  - {kind: xgboost, model: xgb.tar.gz}",
     "name is used by more than one container"),
    ("containers:\n  - {name: -bad, kind: xgboost, model: xgb.tar.gz}\n  - {kind: sparkml, model: bundle.tar.gz}",
     "ContainerHostname"),
    ("containers:\n  - {kind: xgboost, model: nope.tar.gz}\n  - {kind: sparkml, model: bundle.tar.gz}",
     "does not exist"),
    ("containers:\n  - {kind: xgboost, model: xgb.tar.gz, image: x}\n  - {kind: sparkml, model: bundle.tar.gz}",
     "unknown field(s) image"),
    ("containers: [", "pipeline description"),
])
def test_bad_descriptions_are_refused_with_the_reason(models, text, message):
    (models / "p.yaml").write_text(text)
    with pytest.raises(DescriptionError) as caught:
        load_pipeline(str(models / "p.yaml"))
    assert message in str(caught.value)


def test_sixteen_containers_are_too_many(models):
    containers = tuple(Container(f"c{i}", "xgboost", str(models / "xgb.tar.gz")) for i in range(16))
    with pytest.raises(DescriptionError, match="2 to 15 containers, got 16"):
        Pipeline(containers)


def test_default_pipeline_sets_csv_between_containers_and_the_schema(models):
    (models / "schema.json").write_text('{"input": [{"name": "a", "type": "double"}],\n "output": {}}')
    pipeline = default_pipeline(str(models / "bundle.tar.gz"), str(models / "xgb.tar.gz"), str(models / "schema.json"))
    sparkml = pipeline.containers[0]
    assert sparkml.environment["SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT"] == "text/csv"
    expected = '{"input": [{"name": "a", "type": "double"}], "output": {}}'
    assert sparkml.environment["SAGEMAKER_SPARKML_SCHEMA"] == expected
    with pytest.raises(DescriptionError, match="schema file"):
        default_pipeline(str(models / "bundle.tar.gz"), str(models / "xgb.tar.gz"), str(models / "missing.json"))
