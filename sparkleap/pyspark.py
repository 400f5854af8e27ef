"""Bundle.ML export for PySpark users with no MLeap JAR, mirroring `mleap.pyspark`.

    import sparkleap.pyspark
    model.serializeToBundle("jar:file:/tmp/model.zip", model.transform(df))   # or a plain path

Importing this module sets `serializeToBundle(path, dataset, target="0.20")` on every PySpark Transformer
(PipelineModel and single models). The PyPI `mleap` package patches the same method to call its JVM
serializer (which needs the mleap-spark JARs); this module imports `mleap.pyspark.spark_support` first when
it is installed, so ours wins whatever the import order. Also a plain function: `serialize_to_bundle`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from bundles import save_bundle
from bundles.context import DEFAULT_TARGET
from bundles.spark import bundle_from_spark


def bundle_path(path: str | os.PathLike) -> Path:
    """A local path from MLeap's URI forms (`jar:file:/tmp/m.zip`, `file:/tmp/m`) or a plain path."""
    text = os.fspath(path)
    for prefix in ("jar:file://", "jar:file:", "file://", "file:"):
        if text.startswith(prefix):
            return Path(text[len(prefix):])
    return Path(text)


def serialize_to_bundle(model: Any, path: str | os.PathLike, dataset: Any, target: str = DEFAULT_TARGET) -> Path:
    """Write fitted `model` (PipelineModel or single model) as a bundle: folder, .zip or .tar.gz by suffix.
    `dataset` is its input or transformed DataFrame (a sample is enough: it gives vector sizes)."""
    if dataset is None:
        raise ValueError("serializeToBundle needs a dataset (the model's input DataFrame, as MLeap requires)")
    return save_bundle(bundle_from_spark(model, dataset, target=target), bundle_path(path), target=target)


def _serialize_to_bundle(self: Any, path: str, dataset: Any = None, target: str = DEFAULT_TARGET) -> Path:
    return serialize_to_bundle(self, path, dataset, target)


def install() -> None:
    from pyspark.ml.base import Transformer

    with contextlib.suppress(ImportError):  # let mleap patch first, then replace its method
        import mleap.pyspark.spark_support  # noqa: F401
    Transformer.serializeToBundle = _serialize_to_bundle


install()
