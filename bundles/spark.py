"""Bundle writer for fitted PySpark models: each stage becomes op(s) through the op registry."""

from __future__ import annotations

from typing import Any

from bundles.bundle import Bundle
from bundles.errors import BundleError
from bundles.ops import SPARK_CLASSES
from bundles.ops.base import DEFAULT_TARGET, Op


def ops_from_spark(stage: Any, schema: Any, target: str) -> list[Op]:
    op_class = SPARK_CLASSES.get(type(stage).__name__)
    if op_class is None:
        raise BundleError(
            f"Spark stage {type(stage).__name__} ({stage.uid}) has no bundle op; "
            f"supported: {', '.join(sorted(SPARK_CLASSES))}"
        )
    return op_class.from_spark(stage, schema, target)


def bundle_from_spark(model: Any, dataset: Any, target: str = DEFAULT_TARGET) -> Bundle:
    """Bundle a fitted PipelineModel (or single model); `dataset` is a sample of its input DataFrame.

    Like MLeap's SimpleSparkSerializer, the sample is transformed so that vector sizes and nullability
    of intermediate columns come from the transformed schema.
    """
    schema = model.transform(dataset.limit(1)).schema
    (root,) = ops_from_spark(model, schema, target)
    return Bundle(root, {"name": model.uid})
