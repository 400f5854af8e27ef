"""Item 1: a run's serving schema lists the inputs in the raw file's column order (label removed)."""

from __future__ import annotations

import json

from tests.helpers.houses import REQUEST_COLUMNS, sparkleap


def test_schema_json_keeps_the_files_column_order_without_the_label(houses_run):
    schema = json.loads((houses_run / "schema.json").read_text())
    assert [c["name"] for c in schema["input"]] == REQUEST_COLUMNS  # not categoricals first
    assert {c["name"]: c["type"] for c in schema["input"]} == {
        "size": "double", "age": "double", "rooms": "double", "color": "string", "region": "string"}
    manifest = json.loads((houses_run / "manifest.json").read_text())
    assert manifest["columns"]["order"] == ["price", *REQUEST_COLUMNS]


def test_a_row_in_the_files_order_gets_the_same_features_as_spark_gave_it(houses_run, houses_csv):
    """The order matters: the run's schema maps a row of the file (label removed) to the features the
    training CSV holds for it."""
    import bundles
    from serving.codecs import CSV
    from serving.contract import Invocation
    from serving.schema import parse_schema
    from serving.sparkml.app import SparkMLModel

    model = SparkMLModel(bundles.load_bundle(houses_run / "sparkml" / "model.tar.gz"),
                         parse_schema((houses_run / "schema.json").read_text()), CSV)
    sample = (houses_run / "samples.csv").read_text().splitlines()
    header, first = sample[0].split(","), sample[1].split(",")
    row = ",".join(v for name, v in zip(header, first, strict=True) if name != "price")
    features = model.invoke(Invocation(row.encode(), CSV, CSV)).body.decode().split(",")
    validation = (houses_run / "validation" / "part-00000.csv").read_text().splitlines()[0].split(",")
    assert [float(x) for x in features] == [float(x) for x in validation[1:]]


def test_bundle_inspect_says_the_input_order_is_the_bundles_and_must_be_checked(houses_run):
    done = sparkleap("bundle", "inspect", str(houses_run / "sparkml" / "model.tar.gz"))
    assert done.returncode == 0, done.stderr
    described = json.loads(done.stdout)
    assert "order your requests send them" in described["schema_input_order"]
    assert "note: the schema's input order is the bundle's" in done.stderr
    assert "for a bundle from elsewhere check it" in done.stderr
