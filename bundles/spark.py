"""Bundle writer for fitted PySpark models: each stage becomes op(s) through the op registry."""

from __future__ import annotations

from typing import Any

from bundles import graph
from bundles.bundle import Bundle
from bundles.context import DEFAULT_TARGET


def bundle_from_spark(model: Any, dataset: Any, target: str = DEFAULT_TARGET) -> Bundle:
    """Bundle a fitted PipelineModel (or single model); `dataset` is a sample of its input DataFrame.

    Like MLeap's SimpleSparkSerializer, the sample is transformed so that vector sizes and nullability
    of intermediate columns come from the transformed schema.
    """
    schema = model.transform(dataset.limit(1)).schema
    (root,) = graph.ops_from_spark(model, graph.context(target=target, schema=schema))
    return Bundle(root, {"name": model.uid})
