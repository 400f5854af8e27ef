"""sklearn_binarizer: the binarizer as real MLeap's runtime writes it (read; written back as read).

MLeap's runtime registers two ops for its Binarizer model and its bundle writer picks `sklearn_binarizer`, so
every binarizer that real MLeap (0.20) saves has this op name, with `threshold` and `input_shapes` as a LIST of
one data_shape. The transform is the binarizer's.
"""

from __future__ import annotations

from bundles import attributes as v
from bundles.context import Context
from bundles.ops.base import Shape
from bundles.ops.binarizer import Binarizer


class SklearnBinarizer(Binarizer):
    op_name = "sklearn_binarizer"
    spark_classes = ()

    @classmethod
    def load(cls, name: str, shape: Shape, attrs: v.Attributes, ctx: Context) -> Binarizer:
        shapes = attrs.data_shapes("input_shapes", [])
        return cls(name, shape, attrs.double("threshold", 0.0), shapes[0] if shapes else None)

    def store(self, ctx: Context) -> tuple[dict[str, dict], Shape]:
        return {"threshold": v.double(self.threshold), "input_shapes": v.data_shapes([self.input_shape])}, self.shape
