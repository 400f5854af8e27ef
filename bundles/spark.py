"""Bundle writer for fitted PySpark models: each stage becomes op(s) through the op registry."""

from __future__ import annotations

from typing import Any

from bundles import graph
from bundles.bundle import Bundle
from bundles.context import DEFAULT_TARGET
from bundles.ops.pipeline import Pipeline
from bundles.provenance import SPARK_KEY, spark_record


def output_columns(model: Any) -> list[str]:
    """The columns the model's last stage writes (output, prediction, …) that are set."""
    stage = model.stages[-1] if hasattr(model, "stages") and model.stages else model
    cols: list[str] = []
    for param in ("outputCol", "predictionCol", "outputCols"):
        if stage.hasParam(param) and stage.isDefined(param):
            value = stage.getOrDefault(param)
            cols += value if isinstance(value, list) else [value] if value else []
    return cols


def transformed_schema(model: Any, dataset: Any) -> Any:
    """The schema of the transformed sample. Like MLeap's `serializeToBundle`, `dataset` may already be the
    transformed DataFrame (it then holds the model's output columns); otherwise it is transformed once."""
    outputs = output_columns(model)
    if outputs and all(c in dataset.columns for c in outputs):
        return dataset.schema
    return model.transform(dataset.limit(1)).schema


def bundle_from_spark(model: Any, dataset: Any, target: str = DEFAULT_TARGET) -> Bundle:
    """Bundle a fitted PipelineModel (or single model); `dataset` is a sample of its input (or transformed)
    DataFrame, from which vector sizes and nullability of intermediate columns come, as in MLeap's
    SimpleSparkSerializer. The bundle records the session's Spark version and BLAS order (`bundles.provenance`),
    which its model ops follow."""
    schema = transformed_schema(model, dataset)
    record = spark_record(dataset.sparkSession)
    ctx = graph.context(target=target, schema=schema, vector_lanes=record["vector_lanes"],
                        spark_version=record["version"])
    ops = graph.ops_from_spark(model, ctx)
    # a bare multi-column stage (Imputer, TargetEncoder with inputCols) is one node per column: a pipeline of them
    root = ops[0] if len(ops) == 1 else Pipeline(model.uid, ops)
    return Bundle(root, {"name": model.uid, SPARK_KEY: record})
