"""Item 2: an empty cell (or JSON null) for a numeric input the bundle imputes is imputed at serving and in
the batch engines; for one it does not impute, the 400 says what to send."""

from __future__ import annotations

import json

import pytest

from serving.codecs import CSV, JSON
from serving.contract import Invocation
from serving.errors import BadInput
from serving.http_errors import status_of
from tests.helpers.houses import request_rows


def _sparkml(run):
    import bundles
    from serving.schema import parse_schema
    from serving.sparkml.app import SparkMLModel

    return SparkMLModel(bundles.load_bundle(run / "sparkml" / "model.tar.gz"),
                        parse_schema((run / "schema.json").read_text()), CSV)


def _imputed(run) -> dict[str, float]:
    """The surrogate per numeric column, from the bundle's imputer nodes."""
    import bundles
    from bundles.ops.imputer import Imputer

    bundle = bundles.load_bundle(run / "sparkml" / "model.tar.gz")
    return {op.shape.input_cols[0]: op.surrogate for op in bundle.ops if isinstance(op, Imputer)}


def test_an_empty_number_is_imputed_where_the_bundle_imputes_it(houses_run):
    model = _sparkml(houses_run)
    surrogate = _imputed(houses_run)
    empty = model.invoke(Invocation(b",49,4,green,west", CSV, CSV)).body.decode().split(",")
    filled = model.invoke(Invocation(f"{surrogate['size']!r},49,4,green,west".encode(), CSV, CSV)).body.decode()
    assert empty == filled.split(",")
    many = model.invoke(Invocation(b"\n".join([b"  ,,4,green,west", b"100.5,49,4,,"] * 5), CSV, CSV))
    assert many.rows == 10


def test_a_json_null_number_is_imputed_too(houses_run):
    model = _sparkml(houses_run)
    body = json.dumps({"data": [None, 49, 4, "green", "west"]}).encode()
    nan_body = json.dumps({"data": ["", 49, 4, "green", "west"]}).encode()
    assert model.invoke(Invocation(body, JSON, CSV)).body == model.invoke(Invocation(nan_body, JSON, CSV)).body


def test_an_empty_number_the_bundle_does_not_impute_is_a_400_saying_what_to_send(abalone_run):
    model = _sparkml(abalone_run)
    with pytest.raises(BadInput) as caught:
        model.invoke(Invocation(b"F,,0.425,0.14,0.766,0.304,0.1725,0.255", CSV, CSV))
    assert status_of(caught.value) == 400
    assert caught.value.message == ("row 1, column 'length': empty value, and the model does not impute 'length' "
                                    "(its run was preprocessed without --impute); send a double")
    with pytest.raises(BadInput, match="null value, and the model does not impute 'length'"):
        model.invoke(Invocation(json.dumps({"data": ["F", None, 0.4, 0.1, 0.7, 0.3, 0.1, 0.2]}).encode(), JSON, CSV))


def test_the_batch_engines_impute_empty_numbers(houses_pipeline, houses_csv, tmp_path):
    from serving.batch.engines.inprocess import InprocessEngine
    from serving.batch.job import run_job
    from serving.batch.options import TransformOptions

    rows = request_rows(houses_csv, 40)
    assert any(r.startswith(",") or ",," in r for r in rows)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "rows.csv").write_text("\n".join(rows) + "\n")
    result = run_job(str(tmp_path / "in"), str(tmp_path / "out"), TransformOptions(), InprocessEngine(houses_pipeline))
    assert not result.failed, result.failed
    assert len((tmp_path / "out" / "rows.csv.out").read_text().splitlines()) == 40
