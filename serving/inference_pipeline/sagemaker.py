"""`sparkleap deploy sagemaker`: the same two artifacts as a real SageMaker serial-pipeline endpoint.

create: upload both model.tar.gz files under `--s3-prefix/<name>/<version>/`, `create_model` with
`Containers` (sagemaker-sparkml-serving with SAGEMAKER_SPARKML_SCHEMA, then sagemaker-xgboost; image URIs
from base.images), `create_endpoint_config`, `create_endpoint`, wait until InService.
`--update`: a new model + config version, then `update_endpoint` (SageMaker switches without downtime).
`--delete`: the endpoint, its config and its model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

ENV_TOTAL_LIMIT = 32 * 1024  # all containers' Environment maps together
ENV_VALUE_LIMIT = 1024  # each key and each value
ENV_ENTRIES_LIMIT = 100


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", required=True, help="endpoint name (model and config are named after it)")
    parser.add_argument("--run", help="a trained run folder: takes its sparkml/, xgboost/ models and schema.json")
    parser.add_argument("--sparkml-model", help="local path or s3:// URI of the bundle's model.tar.gz")
    parser.add_argument("--xgboost-model", help="local path or s3:// URI of the XGBoost model.tar.gz")
    parser.add_argument("--schema", help="serving schema JSON file (default: derived from the bundle)")
    parser.add_argument("--pipeline", help="a pipeline description (YAML/JSON, as for deploy local) instead of the "
                                           "model flags; models may be s3:// URIs")
    from serving.inference_pipeline.description import add_postprocess_flag

    add_postprocess_flag(parser)
    parser.add_argument("--s3-prefix", help="s3:// prefix the local model files are uploaded under")
    parser.add_argument("--role", help="IAM role ARN the model runs as")
    parser.add_argument("--region", help="AWS region (default: the boto3 session's)")
    parser.add_argument("--instance-type", default="ml.c5.xlarge", help="instance type (default: ml.c5.xlarge)")
    parser.add_argument("--instance-count", type=int, default=1, help="endpoint instances (default: 1)")
    parser.add_argument("--sparkml-version", help="sagemaker-sparkml-serving image version (default 3.3)")
    parser.add_argument("--xgboost-version", help="sagemaker-xgboost image version (default 1.7-1)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--update", action="store_true", help="switch the existing endpoint to these models")
    action.add_argument("--delete", action="store_true", help="delete the endpoint, its config and model")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for the endpoint to be InService")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the CreateModel, CreateEndpointConfig and CreateEndpoint requests; upload "
                             "and submit nothing")


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError, WaiterError

    from base import aws, exits
    from base.storage import StorageError
    from serving.inference_pipeline.description import DescriptionError

    try:
        if args.delete:
            for line in delete(aws.sagemaker_client(args.region), args.name):
                print(line)
            return 0
        role = aws.check_role(args.role, "the endpoint's model")
        version = time.strftime("%Y%m%d-%H%M%S")
        if args.dry_run:
            region = args.region or aws.session_region()
            if not region:
                raise ValueError("no AWS region: pass --region (or configure a default region)")
            containers = build_containers(args, region, version, upload=False)
            requests = endpoint_requests(args.name, version, containers, role, args.instance_type,
                                         args.instance_count, args.update)
            print(json.dumps(requests, indent=2))
            return 0
        client = aws.sagemaker_client(args.region)
        containers = build_containers(args, args.region or client.meta.region_name, version)
        model = create(client, args.name, version, containers, role, args.instance_type, args.instance_count,
                       update=args.update)
        chain = " -> ".join(c["ContainerHostname"] for c in containers)
        print(f"model {model}: {'updating' if args.update else 'creating'} endpoint {args.name}: {chain}")
        if not args.no_wait:
            status = wait(client, args.name)
            print(f"endpoint {args.name}: {status}")
            return 0 if status == "InService" else 1
        return 0
    except (ValueError, StorageError, DescriptionError) as exc:
        return exits.fail("deploy sagemaker", exc, exits.BAD_INPUT)
    except (ClientError, BotoCoreError, WaiterError) as exc:
        return exits.fail("deploy sagemaker", exc, exits.FAILED)


def build_containers(args: argparse.Namespace, region: str, version: str, upload: bool = True) -> list[dict[str, Any]]:
    """The ContainerDefinitions of the pipeline the options describe (`--run RUN`, `--pipeline FILE`, or the
    model flags), model files uploaded when local (unless not `upload`: then the URL they would get);
    ValueError/DescriptionError naming what is missing or too large."""
    from base import images
    from serving.inference_pipeline.description import order_line, pipeline_from_options
    from serving.loader import CONTAINERS

    pipeline = pipeline_from_options(getattr(args, "pipeline", None), args.sparkml_model, args.xgboost_model,
                                     args.schema, getattr(args, "run", None),
                                     not getattr(args, "no_postprocess", False))
    containers = []
    for c in pipeline.containers:
        kind = CONTAINERS[c.kind]
        environment = dict(c.environment)
        if kind.reads_schema:  # AWS's container needs the schema; compact JSON keeps it under 1024 bytes
            schema = environment.get("SAGEMAKER_SPARKML_SCHEMA")
            environment["SAGEMAKER_SPARKML_SCHEMA"] = compact_schema(schema, c.model)
            source = "from the schema file" if schema else "derived from the bundle: if your rows differ, pass --schema"
            print(order_line(environment["SAGEMAKER_SPARKML_SCHEMA"], source), file=sys.stderr, flush=True)
        containers.append({"ContainerHostname": c.name, "Environment": environment,
                           "Image": images.image_uri(kind.aws_image, region, getattr(args, kind.aws_version_option))})
    check_environment(containers)  # before anything is uploaded
    for container, c in zip(containers, pipeline.containers, strict=True):
        container["ModelDataUrl"] = model_url(c.model, args.s3_prefix, args.name, version, c.name, upload)
    return containers


def compact_schema(schema: str | None, sparkml_model: str) -> str:
    """SAGEMAKER_SPARKML_SCHEMA as compact JSON: `schema` (JSON text), else derived from the bundle."""
    if schema:
        return json.dumps(json.loads(schema), separators=(",", ":"))
    return serving_schema(None, sparkml_model)


def serving_schema(schema_file: str | None, sparkml_model: str) -> str:
    """The compact JSON for SAGEMAKER_SPARKML_SCHEMA: the file's, else derived from the bundle."""
    from base import storage

    if schema_file:
        doc = json.loads(storage.read_text(schema_file))
    else:
        from bundles import load_bundle

        with storage.local_copy(sparkml_model) as path:
            doc = load_bundle(path).serving_schema()
    return json.dumps(doc, separators=(",", ":"))


def model_url(path: str, s3_prefix: str | None, name: str, version: str, kind: str, upload: bool = True) -> str:
    from base import storage

    if storage.is_s3(path):
        return path
    if not s3_prefix or not storage.is_s3(s3_prefix):
        raise ValueError(f"the {kind} model {path} is local: give --s3-prefix s3://bucket/prefix to upload it to")
    target = storage.join(s3_prefix, name, version, kind, "model.tar.gz")
    if not upload:
        return target
    (url,) = storage.upload(path, target)
    return url


def check_environment(containers: list[dict[str, Any]]) -> None:
    """SageMaker's limits on Environment: 1024 bytes per key/value, 100 entries, 32 KB over all containers."""
    total = 0
    for c in containers:
        env = c.get("Environment", {})
        if len(env) > ENV_ENTRIES_LIMIT:
            raise ValueError(f"container {c['ContainerHostname']}: {len(env)} environment entries, over "
                             f"SageMaker's limit of {ENV_ENTRIES_LIMIT}")
        for key, value in env.items():
            size = len(value.encode())
            if size > ENV_VALUE_LIMIT or len(key.encode()) > ENV_VALUE_LIMIT:
                raise ValueError(f"container {c['ContainerHostname']}: {key} is {size} bytes, over SageMaker's "
                                 f"limit of {ENV_VALUE_LIMIT} bytes per environment value (a wide schema does not "
                                 "fit: serve with sparkleap's container, which derives the schema from the bundle)")
            total += len(key.encode()) + size
    if total > ENV_TOTAL_LIMIT:
        raise ValueError(f"the containers' environments total {total} bytes, over SageMaker's 32 KB limit")


def create(client, name: str, version: str, containers: list[dict[str, Any]], role: str, instance_type: str,
           instance_count: int, update: bool = False) -> str:
    """Model `<name>-<version>`, its endpoint config, then create_endpoint (or update_endpoint); the model name."""

    requests = endpoint_requests(name, version, containers, role, instance_type, instance_count, update)
    client.create_model(**requests["CreateModel"])
    client.create_endpoint_config(**requests["CreateEndpointConfig"])
    if update:
        client.update_endpoint(**requests["UpdateEndpoint"])
    else:
        client.create_endpoint(**requests["CreateEndpoint"])
    return requests["CreateModel"]["ModelName"]


def endpoint_requests(name: str, version: str, containers: list[dict[str, Any]], role: str, instance_type: str,
                      instance_count: int, update: bool = False) -> dict[str, dict[str, Any]]:
    """The three requests `create` sends, by API name (what --dry-run prints)."""
    from base import aws

    model = aws.check_name("model name", f"{name}-{version}")
    endpoint = {"EndpointName": name, "EndpointConfigName": model}
    return {
        "CreateModel": {"ModelName": model, "ExecutionRoleArn": role, "Containers": containers,
                        "InferenceExecutionConfig": {"Mode": "Serial"}},
        "CreateEndpointConfig": {"EndpointConfigName": model, "ProductionVariants": [{
            "VariantName": "AllTraffic", "ModelName": model, "InitialInstanceCount": instance_count,
            "InstanceType": instance_type, "InitialVariantWeight": 1.0}]},
        "UpdateEndpoint" if update else "CreateEndpoint": endpoint,
    }


def wait(client, name: str, delay_s: int = 30) -> str:
    """Block until the endpoint leaves Creating/Updating; its final status."""
    from botocore.exceptions import WaiterError

    try:
        client.get_waiter("endpoint_in_service").wait(EndpointName=name,
                                                      WaiterConfig={"Delay": delay_s, "MaxAttempts": 120})
    except WaiterError as exc:
        if (exc.last_response or {}).get("EndpointStatus") != "Failed":
            raise
    return client.describe_endpoint(EndpointName=name)["EndpointStatus"]


def delete(client, name: str) -> list[str]:
    """Delete the endpoint, then its config and the config's models; lines saying what went."""
    config = client.describe_endpoint(EndpointName=name)["EndpointConfigName"]
    models = [v["ModelName"] for v in client.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"]]
    client.delete_endpoint(EndpointName=name)
    client.delete_endpoint_config(EndpointConfigName=config)
    for model in models:
        client.delete_model(ModelName=model)
    return [f"deleted endpoint {name}", f"deleted endpoint config {config}", *(f"deleted model {m}" for m in models)]
