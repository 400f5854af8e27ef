"""`sparkleap transform --sagemaker`: the same job as a SageMaker CreateTransformJob on a pipeline model.

The model is `--model-name` (an existing pipeline model, e.g. from `sparkleap deploy sagemaker`); input and
output must be s3:// locations. Unset BatchStrategy / MaxPayloadInMB / MaxConcurrentTransforms are left out,
so SageMaker asks the containers' /execution-parameters, as it does for any job.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from serving.batch.options import TransformOptions


def transform_job_request(name: str, model: str, input_uri: str, output_uri: str, options: TransformOptions,
                          instance_type: str = "ml.m5.xlarge", instance_count: int = 1) -> dict[str, Any]:
    """The CreateTransformJob keyword arguments for these options."""
    from base import aws, storage

    aws.check_name("transform job name", name)
    for flag, uri in (("--input", input_uri), ("--output", output_uri)):
        if not storage.is_s3(uri):
            raise ValueError(f"{flag} {uri}: SageMaker reads and writes S3 only; give an s3:// location")
    request: dict[str, Any] = {
        "TransformJobName": name,
        "ModelName": model,
        "ModelClientConfig": {"InvocationsTimeoutInSeconds": options.timeout_s,
                              "InvocationsMaxRetries": options.max_retries},
        "Environment": {},
        "TransformInput": {"DataSource": {"S3DataSource": {"S3DataType": options.s3_data_type, "S3Uri": input_uri}},
                           "ContentType": options.content_type, "SplitType": options.split_type,
                           "CompressionType": options.compression_type},
        "TransformOutput": {"S3OutputPath": output_uri, "Accept": options.accept,
                            "AssembleWith": options.assemble_with},
        "TransformResources": {"InstanceType": instance_type, "InstanceCount": instance_count},
        "DataProcessing": {"InputFilter": options.input_filter, "JoinSource": options.join_source,
                           "OutputFilter": options.output_filter},
    }
    if options.batch_strategy:
        request["BatchStrategy"] = options.batch_strategy
    if options.max_payload_mb is not None:
        request["MaxPayloadInMB"] = options.max_payload_mb
    if options.max_concurrent_transforms:
        request["MaxConcurrentTransforms"] = options.max_concurrent_transforms
    return request


def submit(args: argparse.Namespace, options: TransformOptions, client=None) -> str:
    """Create the transform job; a line naming it (with --dry-run: the request as JSON, nothing submitted)."""
    from base import aws

    if not args.model_name:
        raise ValueError("--sagemaker needs --model-name (an existing pipeline model)")
    name = args.job_name or f"{args.model_name}-transform-{time.strftime('%Y%m%d-%H%M%S')}"
    request = transform_job_request(name, args.model_name, args.input, args.output, options,
                                    args.instance_type, args.instance_count)
    if getattr(args, "dry_run", False):
        return json.dumps(request, indent=2)
    client = client or aws.sagemaker_client(args.region)
    arn = client.create_transform_job(**request)["TransformJobArn"]
    return f"transform job {name} submitted: {arn}"
