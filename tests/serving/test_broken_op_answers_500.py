"""A bug inside an op is the server's fault: a real SparkML container answers 500 with a generic body and logs
the node and op that failed, while bad input still answers 400 naming the column and row. The op is broken on
purpose in the server process (`tests.helpers.broken_op`, installed by a `sitecustomize` module, which Python
imports at start-up)."""

from __future__ import annotations

import pytest

from serving.http_errors import INTERNAL_MESSAGE
from tests.helpers.broken_op import BROKEN_ROW, GOOD_ROW, LOGGED
from tests.helpers.servers import REPO, TITANIC_SCHEMA, running, schema_json

pytestmark = pytest.mark.process  # a real container process


@pytest.fixture(scope="module")
def broken_sparkml(titanic, tmp_path_factory):
    shim = tmp_path_factory.mktemp("broken-op")
    (shim / "sitecustomize.py").write_text("from tests.helpers.broken_op import break_vector_assembler\n"
                                           "break_vector_assembler()\n")
    with running("sparkml", titanic, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA),
                 PYTHONPATH=f"{shim}:{REPO}") as srv:
        yield srv


@pytest.mark.parametrize("rows", [[BROKEN_ROW], [GOOD_ROW] * 3 + [BROKEN_ROW], [GOOD_ROW] * 9 + [BROKEN_ROW]],
                         ids=["one row", "a batch", "the fast CSV path"])
def test_an_op_failing_on_its_own_is_a_500_naming_the_op_in_the_log(broken_sparkml, rows):
    before = broken_sparkml.process.log_path.read_text()
    resp = broken_sparkml.post("\n".join(rows), accept="text/csv")
    assert resp.status_code == 500
    assert resp.text == INTERNAL_MESSAGE  # generic: no exception text reaches the client
    assert LOGGED in broken_sparkml.process.log_path.read_text()[len(before):]


def test_the_server_stays_up_and_bad_input_is_still_a_400_naming_column_and_row(broken_sparkml):
    assert broken_sparkml.post(BROKEN_ROW).status_code == 500
    assert broken_sparkml.post(GOOD_ROW).status_code == 200
    resp = broken_sparkml.post(f"{GOOD_ROW}\n1.0,C,old,71.5,1.0,female")
    assert resp.status_code == 400
    assert "row 2" in resp.text and "Age" in resp.text
    resp = broken_sparkml.post(f"{GOOD_ROW}\n1.0,Q,38.0,71.5,1.0,unknown")
    assert resp.status_code == 400
    assert "row 2" in resp.text and "'Sex'" in resp.text and "unknown" in resp.text
