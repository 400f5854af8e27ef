"""A bug inside an op is the server's fault: a real SparkML container answers 500 with a generic body and logs
the node and op that failed, while bad input still answers 400 naming the column and row.

The op is broken on purpose in the server process: a `sitecustomize` module (imported by Python at start-up)
replaces the Titanic bundle's VectorAssembler so that it raises ZeroDivisionError on rows with Age = 13.5
(a value the warm-up row never holds), on the columnar and the single-row paths alike."""

from __future__ import annotations

import textwrap

import pytest

from serving.http_errors import INTERNAL_MESSAGE
from tests.helpers.servers import REPO, TITANIC_SCHEMA, running, schema_json

BROKEN_AGE = 13.5
SITECUSTOMIZE = textwrap.dedent(f"""
    import numpy as np

    from bundles.ops.vector_assembler import VectorAssembler

    _transform, _row_function = VectorAssembler.transform, VectorAssembler.row_function


    def transform(self, frame):
        if (np.asarray(frame.column("Age"), dtype=np.float64) == {BROKEN_AGE}).any():
            raise ZeroDivisionError("float division by zero")
        _transform(self, frame)


    def row_function(self):
        run = _row_function(self)

        def broken(row):
            if row.get("Age") == {BROKEN_AGE}:
                raise ZeroDivisionError("float division by zero")
            run(row)

        return broken


    VectorAssembler.transform, VectorAssembler.row_function = transform, row_function
""")
GOOD = "1.0,C,38.0,71.5,1.0,female"
BROKEN = f"3.0,S,{BROKEN_AGE},7.25,0.0,male"
NODE = "VectorAssembler_4791887787e56e13d677"


@pytest.fixture(scope="module")
def broken_sparkml(titanic, tmp_path_factory):
    shim = tmp_path_factory.mktemp("broken-op")
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
    with running("sparkml", titanic, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA),
                 PYTHONPATH=f"{shim}:{REPO}") as srv:
        yield srv


@pytest.mark.parametrize("rows", [[BROKEN], [GOOD] * 3 + [BROKEN], [GOOD] * 9 + [BROKEN]],
                         ids=["one row", "a batch", "the fast CSV path"])
def test_an_op_failing_on_its_own_is_a_500_naming_the_op_in_the_log(broken_sparkml, rows):
    before = broken_sparkml.process.log_path.read_text()
    resp = broken_sparkml.post("\n".join(rows), accept="text/csv")
    assert resp.status_code == 500
    assert resp.text == INTERNAL_MESSAGE  # generic: no exception text reaches the client
    logged = broken_sparkml.process.log_path.read_text()[len(before):]
    assert f"node '{NODE}' (op vector_assembler) failed: ZeroDivisionError: float division by zero" in logged


def test_the_server_stays_up_and_bad_input_is_still_a_400_naming_column_and_row(broken_sparkml):
    assert broken_sparkml.post(BROKEN).status_code == 500
    assert broken_sparkml.post(GOOD).status_code == 200
    resp = broken_sparkml.post(f"{GOOD}\n1.0,C,old,71.5,1.0,female")
    assert resp.status_code == 400
    assert "row 2" in resp.text and "Age" in resp.text
    resp = broken_sparkml.post(f"{GOOD}\n1.0,Q,38.0,71.5,1.0,unknown")
    assert resp.status_code == 400
    assert "row 2" in resp.text and "'Sex'" in resp.text and "unknown" in resp.text
