"""The op registry: Bundle.ML op name -> module class. A new op is one module and one line here."""

from bundles.ops.base import Op
from bundles.ops.one_hot_encoder import OneHotEncoder
from bundles.ops.pipeline import Pipeline
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.vector_assembler import VectorAssembler

OPS: dict[str, type[Op]] = {
    op.op_name: op
    for op in (
        Pipeline,
        StringIndexer,
        OneHotEncoder,
        VectorAssembler,
    )
}

SPARK_CLASSES: dict[str, type[Op]] = {name: op for op in OPS.values() for name in op.spark_classes}
