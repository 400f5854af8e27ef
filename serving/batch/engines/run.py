"""Choosing and starting an engine for a job: `run_with_engine(kind, pipeline, input, output, options)`."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from serving.batch.job import JobResult, run_job
from serving.batch.options import TransformOptions
from serving.batch.progress import Progress
from serving.inference_pipeline.description import Container, Pipeline


def batch_pipeline(pipeline: Pipeline) -> Pipeline:
    """The pipeline with SAGEMAKER_BATCH=true in every container, as Batch Transform runs them."""
    return Pipeline(tuple(Container(c.name, c.kind, c.model, {**c.environment, "SAGEMAKER_BATCH": "true"})
                          for c in pipeline.containers))


def run_with_engine(kind: str, pipeline: Pipeline | None, input_location: str, output: str,
                    options: TransformOptions, endpoint: str | None = None, quiet: bool = False,
                    overwrite: bool = False) -> JobResult:
    """Run the job with engine `kind` (http | inprocess | spark); `pipeline` may be None with an `endpoint`."""
    from serving.batch import fingerprint
    from serving.batch.inputs import input_files
    from serving.batch.outputs import check_resume

    total = len(input_files(input_location, options.s3_data_type))  # bad input: an error before anything starts
    model = fingerprint.of_endpoint(endpoint) if endpoint else fingerprint.of_pipeline(pipeline)
    if not endpoint:  # refuse a mismatched output before starting anything (the local pipeline answers these)
        from serving.batch.engines.inprocess import InprocessEngine

        resolved = options.resolved(InprocessEngine.execution_parameters())
        check_resume(output, fingerprint.of_job(input_location, model, asdict(resolved)), overwrite)
    progress = Progress(total, quiet=quiet)
    if kind == "inprocess":
        from serving.batch.engines.inprocess import InprocessEngine

        return run_job(input_location, output, options, InprocessEngine(pipeline, model), progress, overwrite)
    if kind == "spark":
        from serving.batch.engines.spark import run_spark_job

        return run_spark_job(pipeline, input_location, output, options, progress=progress, overwrite=overwrite)
    from serving.batch.engines.http import HttpEngine

    if endpoint:
        return run_job(input_location, output, options, HttpEngine(endpoint), progress, overwrite)
    from serving.inference_pipeline.local import LocalEndpoint

    # a name of its own: concurrent transforms must not share (and overwrite) one state file
    with LocalEndpoint(batch_pipeline(pipeline), name=f"transform-{uuid.uuid4().hex[:12]}") as local:
        return run_job(input_location, output, options, HttpEngine(local.url, model), progress, overwrite)
