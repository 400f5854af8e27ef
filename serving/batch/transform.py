"""`sparkleap transform`: batch transform files with SageMaker Batch Transform semantics.

Engines: http (the local pipeline containers started here, or `--endpoint URL`), inprocess (no HTTP),
spark (the same per file on Spark executors). `--sagemaker` submits the equivalent CreateTransformJob instead.
Exit codes (base.exits): 0 every file completed, 1 some failed (each named once on stderr, with its
1-based record), 2 bad options or input (nothing was run).
"""

from __future__ import annotations

import argparse
import sys

ENGINES_HELP = ("where records are scored (default: http): http = the two containers started here as processes "
                "(or --endpoint URL), exactly as SageMaker calls them; inprocess = the same model code in this "
                "process, no HTTP (fastest on one machine); spark = files spread over Spark executors")


def configure(parser: argparse.ArgumentParser) -> None:
    from serving.codecs import CSV

    models = parser.add_argument_group("model (a sparkml -> xgboost pipeline)")
    models.add_argument("--run", help="a trained run folder: its sparkml/, xgboost/ models and schema.json")
    models.add_argument("--sparkml-model", help="bundle directory or model.tar.gz")
    models.add_argument("--xgboost-model", help="XGBoost model directory or model.tar.gz")
    models.add_argument("--schema", help="serving schema JSON file (default: derived from the bundle)")
    models.add_argument("--pipeline", help="pipeline description file (YAML/JSON) instead of the two models")
    from serving.inference_pipeline.description import add_postprocess_flag

    add_postprocess_flag(models)
    parser.add_argument("--input", required=True,
                        help="input file, folder or s3:// prefix (TransformInput S3Uri); with --s3-data-type "
                             "ManifestFile, a JSON manifest listing the objects")
    parser.add_argument("--output", required=True, help="output folder or s3:// prefix (S3OutputPath)")
    parser.add_argument("--s3-data-type", default="S3Prefix", choices=["S3Prefix", "ManifestFile"],
                        help='S3DataType (default: S3Prefix); ManifestFile: --input is [{"prefix": ...}, "path", ...]')
    parser.add_argument("--compression-type", default="None", choices=["None", "Gzip"],
                        help="CompressionType: Gzip inputs are gunzipped before splitting (default: None)")
    parser.add_argument("--content-type", default=CSV, help=f"TransformInput.ContentType (default: {CSV})")
    parser.add_argument("--accept", default=CSV, help=f"TransformOutput.Accept (default: {CSV})")
    parser.add_argument("--split-type", default="Line", choices=["None", "Line", "RecordIO", "TFRecord"],
                        help="how a file is cut into records (default: Line)")
    parser.add_argument("--batch-strategy", choices=["SingleRecord", "MultiRecord"],
                        help="records per request; default: the endpoint's /execution-parameters, else MultiRecord")
    parser.add_argument("--max-payload-mb", type=int, help="MaxPayloadInMB (0 = no limit; default: as above, else 6)")
    parser.add_argument("--max-concurrent-transforms", type=int,
                        help="requests in flight, >= 1 (default: as above, else 1)")
    parser.add_argument("--assemble-with", default="Line", choices=["None", "Line"],
                        help="how answers are joined in the output file (default: Line)")
    parser.add_argument("--input-filter", default="$", help="DataProcessing.InputFilter (JSONPath)")
    parser.add_argument("--join-source", default="None", choices=["None", "Input"],
                        help="DataProcessing.JoinSource: Input appends each answer to its input record")
    parser.add_argument("--output-filter", default="$", help="DataProcessing.OutputFilter (JSONPath)")
    parser.add_argument("--max-retries", type=int, default=3, help="ModelClientConfig.InvocationsMaxRetries (0-3)")
    parser.add_argument("--timeout", type=int, default=600, help="InvocationsTimeoutInSeconds (1-3600, default 600)")
    parser.add_argument("--engine", default="http", choices=["http", "inprocess", "spark"], help=ENGINES_HELP)
    parser.add_argument("--endpoint", help="http engine only: an endpoint URL to use instead of starting the pipeline")
    parser.add_argument("--overwrite", action="store_true",
                        help="transform every file again even if --output holds outputs (of other options)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines, only the summary of failures")
    aws = parser.add_argument_group("--sagemaker: submit a CreateTransformJob instead of running locally")
    aws.add_argument("--sagemaker", action="store_true", help="submit the job to SageMaker (s3:// input and output)")
    aws.add_argument("--dry-run", action="store_true", help="print the CreateTransformJob request, do not submit")
    aws.add_argument("--job-name", help="TransformJobName (default: MODEL-transform-TIME)")
    aws.add_argument("--model-name", help="an existing SageMaker (pipeline) model")
    aws.add_argument("--instance-type", default="ml.m5.xlarge", help="TransformResources (default: ml.m5.xlarge)")
    aws.add_argument("--instance-count", type=int, default=1, help="TransformResources (default: 1)")
    aws.add_argument("--region", help="AWS region (default: the boto3 session's)")


def options_from_args(args: argparse.Namespace):
    from serving.batch.options import OptionsError, TransformOptions

    options = TransformOptions(
        content_type=args.content_type, accept=args.accept, split_type=args.split_type,
        batch_strategy=args.batch_strategy, max_payload_mb=args.max_payload_mb,
        max_concurrent_transforms=args.max_concurrent_transforms, assemble_with=args.assemble_with,
        input_filter=args.input_filter, join_source=args.join_source, output_filter=args.output_filter,
        max_retries=args.max_retries, timeout_s=args.timeout, s3_data_type=args.s3_data_type,
        compression_type=args.compression_type)
    options.validate()
    if args.endpoint and args.engine != "http":
        raise OptionsError(f"--endpoint is for --engine http; --engine {args.engine} runs the models itself "
                           "(give --run or the models, and no --endpoint)")
    if args.dry_run and not args.sagemaker:
        raise OptionsError("--dry-run goes with --sagemaker (it prints the CreateTransformJob request)")
    return options


def pipeline_from_args(args: argparse.Namespace):
    from serving.inference_pipeline.deploy import pipeline_from_args as from_args

    return from_args(args)


def run(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from base import exits
    from base.storage import StorageError
    from serving.batch.engines.run import run_with_engine
    from serving.inference_pipeline.description import DescriptionError

    try:
        options = options_from_args(args)
        if args.sagemaker:
            from serving.batch.sagemaker import submit

            print(submit(args, options))
            return exits.OK
        pipeline = None if (args.engine == "http" and args.endpoint) else pipeline_from_args(args)
        result = run_with_engine(args.engine, pipeline, args.input, args.output, options, args.endpoint, args.quiet,
                                 args.overwrite)
    except (ValueError, StorageError, OSError, DescriptionError) as exc:
        return exits.fail("transform", exc, exits.BAD_INPUT)
    except (ClientError, BotoCoreError) as exc:
        return exits.fail("transform", exc, exits.FAILED)
    if result.failed:
        print(f"sparkleap transform: {len(result.failed)} of {len(result.files)} file(s) failed:", file=sys.stderr)
        for f in result.failed:
            print(f"  {f.report_line()}", file=sys.stderr)
        return exits.FAILED
    return exits.OK
