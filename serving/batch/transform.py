"""`sparkleap transform`: batch transform files with SageMaker Batch Transform semantics.

Engines: http (the local pipeline containers started here, or `--endpoint URL`), inprocess (no HTTP),
spark (the same per file on Spark executors). `--sagemaker` submits the equivalent CreateTransformJob instead.
Exit code 0 when every file completed, 1 when some failed (report on stderr), 2 for bad options.
"""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    models = parser.add_argument_group("model (a sparkml -> xgboost pipeline)")
    models.add_argument("--sparkml-model", help="bundle directory or model.tar.gz")
    models.add_argument("--xgboost-model", help="XGBoost model directory or model.tar.gz")
    models.add_argument("--schema", help="serving schema JSON file (default: derived from the bundle)")
    models.add_argument("--pipeline", help="pipeline description file (YAML/JSON) instead of the two models")
    parser.add_argument("--input", required=True, help="input file, folder or s3:// prefix (TransformInput S3Uri)")
    parser.add_argument("--output", required=True, help="output folder or s3:// prefix (S3OutputPath)")
    parser.add_argument("--content-type", default="text/csv", help="TransformInput.ContentType")
    parser.add_argument("--accept", default="text/csv", help="TransformOutput.Accept")
    parser.add_argument("--split-type", default="Line", choices=["None", "Line", "RecordIO", "TFRecord"])
    parser.add_argument("--batch-strategy", choices=["SingleRecord", "MultiRecord"],
                        help="default: the endpoint's /execution-parameters, else MultiRecord")
    parser.add_argument("--max-payload-mb", type=int, help="MaxPayloadInMB (0 = no limit; default: as above, else 6)")
    parser.add_argument("--max-concurrent-transforms", type=int, help="default: as above, else 1")
    parser.add_argument("--assemble-with", default="Line", choices=["None", "Line"])
    parser.add_argument("--input-filter", default="$", help="DataProcessing.InputFilter (JSONPath)")
    parser.add_argument("--join-source", default="None", choices=["None", "Input"])
    parser.add_argument("--output-filter", default="$", help="DataProcessing.OutputFilter (JSONPath)")
    parser.add_argument("--max-retries", type=int, default=3, help="ModelClientConfig.InvocationsMaxRetries (0-3)")
    parser.add_argument("--timeout", type=int, default=600, help="InvocationsTimeoutInSeconds")
    parser.add_argument("--engine", default="http", choices=["http", "inprocess", "spark"])
    parser.add_argument("--endpoint", help="http engine: an endpoint URL to use instead of starting the pipeline")
    parser.add_argument("--quiet", action="store_true", help="no progress lines, only the summary of failures")
    aws = parser.add_argument_group("--sagemaker: submit a CreateTransformJob instead of running locally")
    aws.add_argument("--sagemaker", action="store_true")
    aws.add_argument("--job-name", help="TransformJobName")
    aws.add_argument("--model-name", help="an existing SageMaker (pipeline) model")
    aws.add_argument("--instance-type", default="ml.m5.xlarge")
    aws.add_argument("--instance-count", type=int, default=1)
    aws.add_argument("--region")


def options_from_args(args: argparse.Namespace):
    from serving.batch.options import TransformOptions

    options = TransformOptions(
        content_type=args.content_type, accept=args.accept, split_type=args.split_type,
        batch_strategy=args.batch_strategy, max_payload_mb=args.max_payload_mb,
        max_concurrent_transforms=args.max_concurrent_transforms, assemble_with=args.assemble_with,
        input_filter=args.input_filter, join_source=args.join_source, output_filter=args.output_filter,
        max_retries=args.max_retries, timeout_s=args.timeout)
    options.validate()
    return options


def pipeline_from_args(args: argparse.Namespace):
    from serving.pipeline.description import default_pipeline, load_pipeline

    if args.pipeline:
        return load_pipeline(args.pipeline)
    if not (args.sparkml_model and args.xgboost_model):
        raise ValueError("give --sparkml-model and --xgboost-model, or --pipeline FILE")
    return default_pipeline(args.sparkml_model, args.xgboost_model, args.schema)


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from base.storage import StorageError
    from serving.batch.engines.run import run_with_engine

    try:
        options = options_from_args(args)
        if args.sagemaker:
            from serving.batch.sagemaker import submit

            print(submit(args, options))
            return 0
        pipeline = None if (args.engine == "http" and args.endpoint) else pipeline_from_args(args)
        result = run_with_engine(args.engine, pipeline, args.input, args.output, options, args.endpoint, args.quiet)
    except (ValueError, StorageError, OSError, ClientError, BotoCoreError) as exc:
        print(f"sparkleap transform: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    if result.failed:
        print(f"sparkleap transform: {len(result.failed)} of {len(result.files)} file(s) failed:", file=sys.stderr)
        for f in result.failed:
            print(f"  {f.report_line()}", file=sys.stderr)
        return 1
    return 0
