"""Feature names from bundles: the abalone run's, a real AWS bundle, and the keep/no-indexer cases."""

from __future__ import annotations

import pytest

import bundles
from bundles import Bundle
from bundles.attributes import scalar_shape, tensor_shape
from bundles.ops.base import Shape
from bundles.ops.one_hot_encoder import OneHotEncoder
from bundles.ops.pipeline import Pipeline
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.vector_assembler import VectorAssembler
from training.feature_names import feature_names

AWS_BUNDLE = "real_bundles/aws__sagemaker-python-sdk@35484d21a/tests/data/sparkml_model/mleap_model.tar.gz"


def test_abalone_bundle_names_one_hot_slots_by_sex_label(abalone_run):
    bundle = bundles.load_bundle(abalone_run / "sparkml" / "model.tar.gz")
    assert feature_names(bundle) == ["sex=M", "sex=I", "length", "diameter", "height", "whole_weight",
                                     "shucked_weight", "viscera_weight", "shell_weight"]


def test_real_aws_bundle_with_legacy_ops_and_mixed_assembler(shared):
    bundle = bundles.load_bundle(shared / AWS_BUNDLE)
    assert feature_names(bundle) == ["Pclass", "Sex=male", "Age", "SibSp", "Fare", "Embarked=S", "Embarked=C"]


def pipeline(indexer_invalid: str, encoder_sizes: list[int], drop_last: bool, encoder_invalid: str,
             vector_input: str = "c_idx") -> Bundle:
    width = OneHotEncoder("e", Shape.indexed([vector_input], ["c_vec"]), encoder_sizes, drop_last,
                          encoder_invalid).widths[0]
    return Bundle(Pipeline("p", [
        StringIndexer("i", Shape.single("c", "c_idx"), [["a", "b"]], indexer_invalid),
        OneHotEncoder("e", Shape.indexed([vector_input], ["c_vec"]), encoder_sizes, drop_last, encoder_invalid),
        VectorAssembler("v", Shape([("input0", "c_vec"), ("input1", "x")], [("output", "features")]),
                        [tensor_shape(width), scalar_shape()]),
    ]))


def test_indexer_keep_adds_unknown_and_encoder_keep_adds_invalid_slot():
    bundle = pipeline("keep", [3], drop_last=False, encoder_invalid="keep")
    assert feature_names(bundle) == ["c=a", "c=b", "c=__unknown", "c=__invalid", "x"]


def test_drop_last_drops_the_last_label():
    assert feature_names(pipeline("error", [2], drop_last=True, encoder_invalid="error")) == ["c=a", "x"]


def test_encoder_not_fed_by_an_indexer_uses_slot_numbers():
    bundle = pipeline("error", [3], drop_last=False, encoder_invalid="error", vector_input="raw_index")
    assert feature_names(bundle) == ["raw_index=0", "raw_index=1", "raw_index=2", "x"]


def test_intermediate_column_can_be_named():
    bundle = pipeline("error", [2], drop_last=False, encoder_invalid="error")
    assert feature_names(bundle, "c_vec") == ["c=a", "c=b"]


def test_unnamed_column_is_an_error_naming_it():
    bundle = pipeline("error", [2], drop_last=False, encoder_invalid="error")
    with pytest.raises(ValueError, match="'nope'"):
        feature_names(bundle, "nope")
