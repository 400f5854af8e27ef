"""The SageMaker SDK's Titanic bundle with the SDK's schema gives the real container's features."""

from __future__ import annotations

import pytest

import bundles
from serving.codecs import read_csv
from serving.schema import SchemaError, parse_schema, row_to_dict, rows_to_columns

SDK_SCHEMA = {
    "input": [{"name": "Pclass", "type": "float"}, {"name": "Embarked", "type": "string"},
              {"name": "Age", "type": "float"}, {"name": "Fare", "type": "float"},
              {"name": "SibSp", "type": "float"}, {"name": "Sex", "type": "string"}],
    "output": {"name": "features", "struct": "vector", "type": "double"},
}
CONTAINER_FEATURES = [1.0, 0.0, 38.0, 1.0, 71.5, 0.0, 1.0]  # reference §5, text/csv `1.0,0.0,38.0,1.0,71.5,0.0,1.0`


@pytest.fixture(scope="module")
def bundle(titanic):
    return bundles.load_bundle(titanic / "sparkml_model" / "mleap_model.tar.gz")


def test_the_valid_sdk_row_becomes_the_containers_features_on_both_paths(bundle, titanic):
    schema = parse_schema(SDK_SCHEMA)
    rows = read_csv((titanic / "sparkml_xgboost_pipeline" / "valid_input.csv").read_bytes())
    assert rows == [["1.0", "C", "38.0", "71.5", "1.0", "female"]]
    assert bundle.transform_row(row_to_dict(schema, rows[0]))["features"] == CONTAINER_FEATURES
    assert bundle.transform(rows_to_columns(schema, rows)).columns["features"].tolist() == [CONTAINER_FEATURES]


def test_the_unpacked_folder_and_the_tar_give_the_same_features(titanic):
    folder = bundles.load_bundle(titanic / "sparkml_model" / "mleap_model.unpacked")
    row = {"Pclass": 1.0, "Embarked": "C", "Age": 38.0, "Fare": 71.5, "SibSp": 1.0, "Sex": "female"}
    assert folder.transform_row(row)["features"] == CONTAINER_FEATURES


def test_the_invalid_sdk_row_is_rejected_naming_the_column_and_value(titanic):
    rows = read_csv((titanic / "sparkml_xgboost_pipeline" / "invalid_input.csv").read_bytes())
    with pytest.raises(SchemaError, match=r"column 'Age': 'C' is not a float"):
        row_to_dict(parse_schema(SDK_SCHEMA), rows[0])


def test_an_unseen_category_is_rejected_with_mleaps_message(bundle):
    row = {"Pclass": 1.0, "Embarked": "X", "Age": 38.0, "Fare": 71.5, "SibSp": 1.0, "Sex": "female"}
    with pytest.raises(bundles.TransformError, match=r"column 'Embarked': Unseen label: X"):
        bundle.transform_row(row)


def test_the_derived_schema_lists_every_raw_input_and_the_features_vector(bundle):
    schema = bundle.serving_schema()
    assert {c["name"] for c in schema["input"]} == {c["name"] for c in SDK_SCHEMA["input"]}
    assert schema["output"] == {"name": "features", "type": "double", "struct": "vector"}
