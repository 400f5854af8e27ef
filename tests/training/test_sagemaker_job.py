"""The SageMaker CreateTrainingJob request: botocore's own validation, moto round trip, CLI."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from botocore.stub import Stubber

from base.images import image_uri
from sparkleap.cli import main
from training import hyperparameters as hp
from training.sagemaker_job import build_request, submit

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = image_uri("xgboost", "us-west-2", "1.7-1")
ARN = "arn:aws:sagemaker:us-west-2:123456789012:training-job/job"


@pytest.fixture
def stubbed():
    """A real sagemaker client whose calls stop after botocore's parameter validation."""
    client = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x").client(
        "sagemaker", region_name="us-west-2")
    with Stubber(client) as stubber:
        yield client, stubber


def request(**kwargs):
    return build_request("s3://bucket/runs/abalone", "s3://bucket/models", ROLE, IMAGE, "job-1", **kwargs)


def test_request_passes_botocore_validation(stubbed):
    client, stubber = stubbed
    req = request(early_stopping_rounds=5, max_depth=4)
    stubber.add_response("create_training_job", {"TrainingJobArn": ARN}, expected_params=req)
    assert submit(req, client) == ARN
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize("breakage", [
    lambda r: r.pop("RoleArn"),
    lambda r: r["ResourceConfig"].update(InstanceCount="1"),
    lambda r: r["HyperParameters"].update(num_round=50),
    lambda r: r["InputDataConfig"][0]["DataSource"]["S3DataSource"].pop("S3Uri"),
])
def test_a_malformed_request_is_refused_by_botocore(stubbed, breakage):
    client, stubber = stubbed
    req = request()
    breakage(req)
    stubber.add_response("create_training_job", {"TrainingJobArn": ARN})
    with pytest.raises(ParamValidationError):
        submit(req, client)


def test_hyperparameters_are_the_sample_settings_as_strings_without_silent():
    params = request(early_stopping_rounds=5)["HyperParameters"]
    assert params == {"objective": "reg:squarederror", "eta": "0.2", "gamma": "4", "max_depth": "5",
                      "min_child_weight": "6", "subsample": "0.7", "eval_metric": "rmse", "seed": "0",
                      "num_round": "50", "early_stopping_rounds": "5"}
    assert params == hp.as_strings(hp.resolve(50, 5))  # the same settings as local training


def test_silent_is_refused():
    with pytest.raises(ValueError, match="silent.*verbosity"):
        request(silent=0)


def test_channels_are_the_run_splits_as_csv_prefixes():
    req = request()
    channels = {c["ChannelName"]: c for c in req["InputDataConfig"]}
    assert set(channels) == {"train", "validation"}
    assert channels["train"]["DataSource"]["S3DataSource"]["S3Uri"] == "s3://bucket/runs/abalone/train/"
    assert all(c["ContentType"] == "text/csv" for c in channels.values())
    assert req["AlgorithmSpecification"]["TrainingImage"] == IMAGE


@pytest.mark.parametrize(("args", "message"), [
    (("/local/run", "s3://b/m", ROLE, IMAGE, "j"), "s3:// data location"),
    (("s3://b/run", "/local/models", ROLE, IMAGE, "j"), "s3:// output location"),
    (("s3://b/run", "s3://b/m", "SageMakerRole", IMAGE, "j"), "not an IAM role ARN"),
    (("s3://b/run", "s3://b/m", ROLE, IMAGE, "bad_name!"), "job name 'bad_name!'"),
])
def test_bad_arguments_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        build_request(*args)


def test_cli_dry_run_prints_a_request_botocore_accepts(stubbed, capsys):
    code = main(["train", "--sagemaker", "--dry-run", "--data", "s3://bucket/run", "--role", ROLE,
                 "--region", "eu-west-1", "--job-name", "dry", "--num-round", "20", "--set", "eta=0.1"])
    assert code == 0
    req = json.loads(capsys.readouterr().out)
    assert req["AlgorithmSpecification"]["TrainingImage"] == \
        "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    assert req["HyperParameters"]["num_round"] == "20" and req["HyperParameters"]["eta"] == "0.1"
    assert req["OutputDataConfig"]["S3OutputPath"] == "s3://bucket/run/xgboost"
    client, stubber = stubbed
    stubber.add_response("create_training_job", {"TrainingJobArn": ARN}, expected_params=req)
    assert submit(req, client) == ARN


def test_cli_without_role_is_a_clear_error(capsys):
    assert main(["train", "--sagemaker", "--data", "s3://bucket/run", "--region", "us-east-1"]) == 2
    assert "--role" in capsys.readouterr().err


def test_cli_submits_and_waits_against_moto(s3_server, capsys):
    name = f"sparkleap-{uuid.uuid4().hex[:8]}"
    code = main(["train", "--sagemaker", "--wait", "--data", "s3://bucket/run", "--output", "s3://bucket/out",
                 "--role", ROLE, "--region", "us-east-1", "--job-name", name])
    assert code == 0
    out = capsys.readouterr().out
    assert f"training-job/{name}" in out and "Completed" in out
    job = boto3.client("sagemaker", region_name="us-east-1").describe_training_job(TrainingJobName=name)
    assert job["HyperParameters"]["objective"] == "reg:squarederror"
    assert job["AlgorithmSpecification"]["TrainingImage"] == image_uri("xgboost", "us-east-1")
