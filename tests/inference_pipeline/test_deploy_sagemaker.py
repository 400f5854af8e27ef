"""`sparkleap deploy sagemaker` against the local moto server (S3 + SageMaker), botocore validating each call."""

from __future__ import annotations

import argparse
import json

import boto3
import pytest
from botocore.stub import Stubber

from base import storage
from serving.inference_pipeline import sagemaker

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"


def cli_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    sagemaker.configure(parser)
    return parser.parse_args(list(argv))


def deploy_args(run, bucket: str, name: str, *extra: str) -> argparse.Namespace:
    return cli_args("--name", name, "--sparkml-model", str(run / "sparkml" / "model.tar.gz"),
                    "--xgboost-model", str(run / "xgboost" / "model.tar.gz"), "--s3-prefix", f"s3://{bucket}/models",
                    "--role", ROLE, "--region", "us-east-1", *extra)


def test_deploy_uploads_models_and_creates_the_serial_pipeline_endpoint(abalone_trained, bucket, capsys):
    name = f"abalone-{bucket}"
    assert sagemaker.run(deploy_args(abalone_trained, bucket, name)) == 0
    assert f"endpoint {name}: InService" in capsys.readouterr().out

    client = boto3.client("sagemaker", region_name="us-east-1")
    endpoint = client.describe_endpoint(EndpointName=name)
    config = client.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    model = client.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
    sparkml, xgb = model["Containers"]
    assert sparkml["Image"] == "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-sparkml-serving:3.3"
    assert xgb["Image"] == "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    schema = json.loads(sparkml["Environment"]["SAGEMAKER_SPARKML_SCHEMA"])
    assert [c["name"] for c in schema["input"]][:2] == ["sex", "length"]
    assert sparkml["Environment"]["SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT"] == "text/csv"
    for container, local in ((sparkml, "sparkml"), (xgb, "xgboost")):
        assert container["ModelDataUrl"].startswith(f"s3://{bucket}/models/{name}/")
        assert storage.read_bytes(container["ModelDataUrl"]) == (abalone_trained / local / "model.tar.gz").read_bytes()

    assert sagemaker.run(cli_args("--name", name, "--delete", "--region", "us-east-1")) == 0
    assert f"deleted endpoint {name}" in capsys.readouterr().out
    with pytest.raises(client.exceptions.ClientError):
        client.describe_model(ModelName=model["ModelName"])


def test_update_creates_a_new_model_version_and_calls_update_endpoint(abalone_trained, bucket, monkeypatch):
    """moto has no UpdateEndpoint: that call goes to botocore's Stubber, which validates it against the model."""
    name = f"abalone-{bucket}"
    client = boto3.client("sagemaker", region_name="us-east-1")
    args = deploy_args(abalone_trained, bucket, name, "--update", "--no-wait")
    containers = sagemaker.build_containers(args, "us-east-1", "v2")
    with Stubber(client) as stub:
        stub.add_response("create_model", {"ModelArn": "arn:aws:sagemaker:us-east-1:123456789012:model/x"})
        stub.add_response("create_endpoint_config",
                          {"EndpointConfigArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/x"})
        stub.add_response("update_endpoint", {"EndpointArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/x"},
                          {"EndpointName": name, "EndpointConfigName": f"{name}-v2"})
        model = sagemaker.create(client, name, "v2", containers, ROLE, "ml.c5.xlarge", 1, update=True)
        stub.assert_no_pending_responses()
    assert model == f"{name}-v2"


def test_a_schema_over_the_environment_limit_is_refused_before_any_call(abalone_trained, bucket, tmp_path, capsys):
    wide = {"input": [{"name": f"column_{i:04d}", "type": "double"} for i in range(100)],
            "output": {"name": "features", "type": "double", "struct": "vector"}}
    (tmp_path / "wide.json").write_text(json.dumps(wide))
    args = deploy_args(abalone_trained, bucket, f"wide-{bucket}", "--schema", str(tmp_path / "wide.json"))
    assert sagemaker.run(args) == 2
    err = capsys.readouterr().err
    assert "SAGEMAKER_SPARKML_SCHEMA is" in err and "limit of 1024 bytes" in err
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket)  # nothing uploaded


@pytest.mark.parametrize("argv, message", [
    (["--role", "not-an-arn"], "is not an IAM role ARN"),
    (["--s3-prefix", "/local/folder"], "give --s3-prefix s3://"),
])
def test_bad_arguments_get_one_line_errors(abalone_trained, bucket, capsys, argv, message):
    base = {"--role": ROLE, "--s3-prefix": f"s3://{bucket}/models"}
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    args = cli_args("--name", f"bad-{bucket}", "--sparkml-model", str(abalone_trained / "sparkml" / "model.tar.gz"),
                    "--xgboost-model", str(abalone_trained / "xgboost" / "model.tar.gz"), "--region", "us-east-1",
                    *[x for pair in base.items() for x in pair])
    assert sagemaker.run(args) == 2
    assert message in capsys.readouterr().err


def test_deploy_with_a_pipeline_description_builds_the_same_containers_as_deploy_local(abalone_trained, bucket,
                                                                                         tmp_path):
    description = tmp_path / "pipeline.yaml"
    description.write_text(
        "containers:\n"
        f"  - {{name: features, kind: sparkml, model: {abalone_trained / 'sparkml' / 'model.tar.gz'}}}\n"
        f"  - {{name: rings, kind: xgboost, model: {abalone_trained / 'xgboost' / 'model.tar.gz'},"
        " environment: {SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: text/csv}}\n")
    args = cli_args("--name", f"described-{bucket}", "--pipeline", str(description),
                    "--s3-prefix", f"s3://{bucket}/models", "--role", ROLE, "--region", "us-east-1")
    features, rings = sagemaker.build_containers(args, "us-east-1", "v1")
    assert [features["ContainerHostname"], rings["ContainerHostname"]] == ["features", "rings"]
    assert features["Image"].endswith("/sagemaker-sparkml-serving:3.3")
    assert rings["Image"].endswith("/sagemaker-xgboost:1.7-1")
    derived = json.loads(features["Environment"]["SAGEMAKER_SPARKML_SCHEMA"])  # not in the file: from the bundle
    assert [c["name"] for c in derived["input"]][:2] == ["sex", "length"]
    assert rings["Environment"] == {"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv"}
    assert features["ModelDataUrl"] == f"s3://{bucket}/models/described-{bucket}/v1/features/model.tar.gz"
    assert storage.read_bytes(rings["ModelDataUrl"]) == (abalone_trained / "xgboost" / "model.tar.gz").read_bytes()


def test_deploy_with_a_pipeline_keeps_s3_models_where_they_are(abalone_trained, bucket, tmp_path):
    (url,) = storage.upload(abalone_trained / "xgboost" / "model.tar.gz", f"s3://{bucket}/given/model.tar.gz")
    args = cli_args("--name", f"s3-{bucket}", "--sparkml-model", str(abalone_trained / "sparkml" / "model.tar.gz"),
                    "--xgboost-model", url, "--s3-prefix", f"s3://{bucket}/models", "--role", ROLE)
    _, xgb = sagemaker.build_containers(args, "us-east-1", "v1")
    assert xgb["ModelDataUrl"] == url
