"""Item 7: loose options are errors, every option has help, one exit code per kind of error, --run, --dry-run."""

from __future__ import annotations

import argparse
import json

import pytest

from sparkleap.cli import COMMANDS, build_parser, main


def _parsers(parser: argparse.ArgumentParser, path: str):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_every_subcommand_and_option_has_a_help_line():
    missing = []
    for command in COMMANDS:
        for path, parser in _parsers(build_parser(command), "sparkleap"):
            if not path.startswith(f"sparkleap {command}"):
                continue
            for action in parser._actions:
                if isinstance(action, argparse._SubParsersAction):
                    helped = {c.dest for c in action._choices_actions if c.help}
                    missing += [f"{path} {name}" for name in action.choices if name not in helped]
                elif not action.help and action.dest != "help":
                    missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_engine_help_names_the_default_and_each_engine():
    transform = next(p for path, p in _parsers(build_parser("transform"), "sparkleap") if path.endswith("transform"))
    engine = next(a for a in transform._actions if a.dest == "engine")
    assert "default: http" in engine.help and all(k in engine.help for k in ("http =", "inprocess =", "spark ="))


@pytest.mark.parametrize("extra, message", [
    (["--engine", "spark", "--endpoint", "http://127.0.0.1:9"], "--endpoint is for --engine http"),
    (["--max-concurrent-transforms", "0"], "MaxConcurrentTransforms must be >= 1, got 0"),
    (["--dry-run"], "--dry-run goes with --sagemaker"),
])
def test_loose_transform_options_are_errors(extra, message, tmp_path, capsys):
    code = main(["transform", "--input", str(tmp_path), "--output", str(tmp_path / "o"), *extra])
    assert code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_same_kind_of_error_exits_with_the_same_code_in_every_command(tmp_path, capsys):
    """A path that does not exist is bad input (2) everywhere; an endpoint that does not answer is a failure (1)."""
    nowhere = str(tmp_path / "nowhere")
    bad_input = {
        "preprocess": ["preprocess", "--input", nowhere, "--output", str(tmp_path / "r"), "--label", "y"],
        "train": ["train", "--data", nowhere],
        "transform": ["transform", "--run", nowhere, "--input", nowhere, "--output", str(tmp_path / "o"),
                      "--engine", "inprocess"],
        "predict": ["predict", nowhere, "--endpoint", "http://127.0.0.1:9"],
        "bundle inspect": ["bundle", "inspect", nowhere],
        "deploy local": ["deploy", "local", "--run", nowhere],
        "demo": ["demo", "--run", nowhere],
    }
    codes = {name: main(argv) for name, argv in bad_input.items()}
    assert codes == dict.fromkeys(bad_input, 2)
    err = capsys.readouterr().err
    assert all(f"sparkleap {name}: error:" in err for name in bad_input), err
    (tmp_path / "rows.csv").write_text("1,2\n")
    assert main(["predict", str(tmp_path / "rows.csv"), "--endpoint", "http://127.0.0.1:9"]) == 1


def test_deploy_local_run_takes_both_models_and_the_schema_from_a_run(houses_run):
    from serving.inference_pipeline.deploy import pipeline_from_args

    args = argparse.Namespace(run=str(houses_run), pipeline=None, sparkml_model=None, xgboost_model=None, schema=None)
    sparkml, xgboost = pipeline_from_args(args).containers
    assert sparkml.model == str(houses_run / "sparkml" / "model.tar.gz")
    assert xgboost.model == str(houses_run / "xgboost" / "model.tar.gz")
    schema = json.loads(sparkml.environment["SAGEMAKER_SPARKML_SCHEMA"])
    assert schema == json.loads((houses_run / "schema.json").read_text())


def _validate(operation: str, params: dict) -> None:
    """botocore's own validation of a SageMaker request."""
    import botocore.session
    from botocore.validate import ParamValidator

    model = botocore.session.get_session().get_service_model("sagemaker")
    report = ParamValidator().validate(params, model.operation_model(operation).input_shape)
    assert not report.has_errors(), report.generate_report()


def test_dry_run_on_deploy_sagemaker_prints_valid_requests_and_uploads_nothing(houses_run, capsys, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    code = main(["deploy", "sagemaker", "--name", "houses", "--run", str(houses_run), "--role",
                 "arn:aws:iam::123456789012:role/sm", "--s3-prefix", "s3://bucket/models", "--dry-run"])
    assert code == 0, capsys.readouterr().err
    requests = json.loads(capsys.readouterr().out)
    for operation, params in requests.items():
        _validate(operation, params)
    containers = requests["CreateModel"]["Containers"]
    assert containers[0]["ModelDataUrl"].startswith("s3://bucket/models/houses/")
    schema = json.loads(containers[0]["Environment"]["SAGEMAKER_SPARKML_SCHEMA"])
    assert [c["name"] for c in schema["input"]] == ["size", "age", "rooms", "color", "region"]


def test_dry_run_on_transform_sagemaker_prints_a_valid_request(capsys, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    code = main(["transform", "--sagemaker", "--dry-run", "--model-name", "houses", "--input",
                 "s3://bucket/in.manifest", "--output", "s3://bucket/out", "--s3-data-type", "ManifestFile",
                 "--compression-type", "Gzip"])
    assert code == 0, capsys.readouterr().err
    request = json.loads(capsys.readouterr().out)
    _validate("CreateTransformJob", request)
    assert request["TransformInput"]["DataSource"]["S3DataSource"]["S3DataType"] == "ManifestFile"
    assert request["TransformInput"]["CompressionType"] == "Gzip"
