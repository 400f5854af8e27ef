"""`sparkleap train --sagemaker`: the same training as a SageMaker job on the built-in XGBoost image.

`build_request(...)` returns the `CreateTrainingJob` parameters (boto3 shape): channels `train` and
`validation` (text/csv S3 prefixes of the run), hyper-parameters as strings from training.hyperparameters
(valid for images >= 1.3-1: no `silent`), image from base.images. `submit(request)` sends it.
The job writes `<output>/<job name>/output/model.tar.gz` holding `xgboost-model`.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import uuid
from typing import Any

from base import aws
from training import hyperparameters as hp

S3_URI = re.compile(r"^s3://[^/]+(/.*)?$")
CHANNELS = ("train", "validation")
DEFAULT_RESOURCES = {"instance_type": "ml.m5.xlarge", "instance_count": 1, "volume_size_gb": 20,
                     "max_runtime_s": 3600}


def configure(parser: argparse.ArgumentParser) -> None:
    """The --sagemaker options, added to `sparkleap train`'s parser."""
    group = parser.add_argument_group("SageMaker training job (--sagemaker)")
    group.add_argument("--sagemaker", action="store_true",
                       help="submit a SageMaker training job instead of training here (DATA and --output on S3)")
    group.add_argument("--role", help="IAM role ARN the job runs as (required with --sagemaker)")
    group.add_argument("--region", help="AWS region (default: the boto3 session's)")
    group.add_argument("--image-uri", help="training image (default: sagemaker-xgboost for --region)")
    group.add_argument("--framework-version", default=None,
                       help="sagemaker-xgboost image version when no --image-uri (default: 1.7-1)")
    group.add_argument("--job-name", help="training job name (default: sparkleap-xgboost-<time>-<random>)")
    group.add_argument("--instance-type", default=DEFAULT_RESOURCES["instance_type"],
                       help=f"training instance type (default: {DEFAULT_RESOURCES['instance_type']})")
    group.add_argument("--instance-count", type=int, default=DEFAULT_RESOURCES["instance_count"],
                       help=f"training instances (default: {DEFAULT_RESOURCES['instance_count']})")
    group.add_argument("--volume-size", type=int, default=DEFAULT_RESOURCES["volume_size_gb"],
                       help="GB of training volume (default: 20)")
    group.add_argument("--max-runtime", type=int, default=DEFAULT_RESOURCES["max_runtime_s"],
                       help="seconds before SageMaker stops the job (default: 3600)")
    group.add_argument("--wait", action="store_true", help="wait for the job to finish and print its model")
    group.add_argument("--dry-run", action="store_true", help="print the CreateTrainingJob request, do not submit")


def run(args: argparse.Namespace, overrides: dict[str, Any]) -> int:
    """Build the request from the command line, then print it (--dry-run) or submit it."""
    from base import images, storage

    if not args.role:
        raise ValueError("--sagemaker needs --role (the IAM role ARN the training job runs as)")
    region = args.region or aws.session_region()
    if args.image_uri:
        image = args.image_uri
    elif region:
        image = images.image_uri("xgboost", region, args.framework_version)
    else:
        raise ValueError("no AWS region: pass --region (or --image-uri) or configure a default region")
    request = build_request(
        args.data, args.output or storage.join(args.data, "xgboost"), args.role, image, args.job_name,
        num_round=args.num_round, early_stopping_rounds=args.early_stopping_rounds,
        instance_type=args.instance_type, instance_count=args.instance_count,
        volume_size_gb=args.volume_size, max_runtime_s=args.max_runtime, classes=run_classes(args.data),
        **overrides)
    if args.dry_run:
        print(json.dumps(request, indent=2))
        return 0
    client = aws.sagemaker_client(region)
    arn = submit(request, client)
    output = request["OutputDataConfig"]["S3OutputPath"]
    print(f"submitted {arn}\nmodel will be written to {output}/{request['TrainingJobName']}/output/model.tar.gz")
    if not args.wait:
        return 0
    job = wait(request["TrainingJobName"], client)
    status = job["TrainingJobStatus"]
    print(f"{request['TrainingJobName']}: {status} {job.get('FailureReason', '')}".rstrip())
    if status == "Completed":
        print(f"model: {job['ModelArtifacts']['S3ModelArtifacts']}")
        return 0
    return 1


def run_classes(data: str) -> int | None:
    """The class count in the run's manifest.json (None: a regression run, or no readable manifest)."""
    from base import storage

    try:
        classes = json.loads(storage.read_text(storage.join(data, "manifest.json"))).get("classes")
    except (storage.StorageError, ValueError, AttributeError):
        return None
    return len(classes) if isinstance(classes, list) and len(classes) >= 2 else None


def build_request(data: str, output: str, role: str, image_uri: str, job_name: str | None = None,
                  num_round: int = hp.DEFAULT_NUM_ROUND, early_stopping_rounds: int | None = None,
                  instance_type: str = DEFAULT_RESOURCES["instance_type"],
                  instance_count: int = DEFAULT_RESOURCES["instance_count"],
                  volume_size_gb: int = DEFAULT_RESOURCES["volume_size_gb"],
                  max_runtime_s: int = DEFAULT_RESOURCES["max_runtime_s"], classes: int | None = None,
                  **hyperparameters: Any) -> dict:
    """CreateTrainingJob parameters for `data` (s3:// run prefix) -> `output` (s3:// prefix); `classes`: a
    classification run's class count (objective, num_class and metrics as `sparkleap train` chooses them).

    Raises ValueError naming the bad argument (S3 locations, role ARN, job name) or hyper-parameter.
    """
    from base import storage

    for what, uri in (("data", data), ("output", output)):
        if not S3_URI.match(str(uri)):
            raise ValueError(f"a SageMaker training job needs an s3:// {what} location, got {uri!r}")
    aws.check_role(role)
    name = aws.check_name("job name", job_name or f"sparkleap-xgboost-{time.strftime('%Y%m%d-%H%M%S')}-"
                                                  f"{uuid.uuid4().hex[:6]}")
    params = hp.resolve(num_round, early_stopping_rounds, classes=classes, **hyperparameters)
    return {
        "TrainingJobName": name,
        "AlgorithmSpecification": {"TrainingImage": image_uri, "TrainingInputMode": "File"},
        "RoleArn": role,
        "HyperParameters": hp.as_strings(params),
        "InputDataConfig": [
            {
                "ChannelName": channel,
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                                "S3Uri": storage.join(data, channel) + "/",
                                                "S3DataDistributionType": "FullyReplicated"}},
                "ContentType": "text/csv",
                "CompressionType": "None",
            }
            for channel in CHANNELS
        ],
        "OutputDataConfig": {"S3OutputPath": str(output).rstrip("/")},
        "ResourceConfig": {"InstanceType": instance_type, "InstanceCount": int(instance_count),
                           "VolumeSizeInGB": int(volume_size_gb)},
        "StoppingCondition": {"MaxRuntimeInSeconds": int(max_runtime_s)},
    }


def submit(request: dict, client=None) -> str:
    """Send the request (botocore validates it against the SageMaker API model); returns the job ARN."""
    client = client or aws.sagemaker_client()
    return client.create_training_job(**request)["TrainingJobArn"]


def wait(job_name: str, client=None, delay_s: int = 30) -> dict:
    """Block until the job completes, fails or stops; returns DescribeTrainingJob's answer."""
    from botocore.exceptions import WaiterError

    client = client or aws.sagemaker_client()
    try:
        client.get_waiter("training_job_completed_or_stopped").wait(
            TrainingJobName=job_name, WaiterConfig={"Delay": delay_s, "MaxAttempts": 10_000})
    except WaiterError as exc:  # the waiter's failure state: the job failed; describe says why
        if (exc.last_response or {}).get("TrainingJobStatus") != "Failed":
            raise
    return client.describe_training_job(TrainingJobName=job_name)


