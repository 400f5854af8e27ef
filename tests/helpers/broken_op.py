"""An op broken on purpose, for the tests that pin who is at fault: the Titanic bundle's VectorAssembler
raising ZeroDivisionError (a bug, not the input's fault) on rows with Age = BROKEN_AGE, a value the serving
warm-up row never holds, on the columnar and the single-row paths alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

BROKEN_AGE = 13.5
NODE = "VectorAssembler_4791887787e56e13d677"  # the Titanic bundle's VectorAssembler node
LOGGED = f"node '{NODE}' (op vector_assembler) failed: ZeroDivisionError: float division by zero"
GOOD_ROW = "1.0,C,38.0,71.5,1.0,female"  # Titanic CSV rows in TITANIC_SCHEMA's order
BROKEN_ROW = f"3.0,S,{BROKEN_AGE},7.25,0.0,male"


def break_vector_assembler(set_attribute: Callable[[Any, str, Any], None] = setattr) -> None:
    """Break VectorAssembler (with pytest's `monkeypatch.setattr`, or for good in a server process)."""
    from bundles.ops.vector_assembler import VectorAssembler

    transform, row_function = VectorAssembler.transform, VectorAssembler.row_function

    def broken_transform(self, frame):
        if (np.asarray(frame.column("Age"), dtype=np.float64) == BROKEN_AGE).any():
            raise ZeroDivisionError("float division by zero")
        transform(self, frame)

    def broken_row_function(self):
        run = row_function(self)

        def broken(row):
            if row.get("Age") == BROKEN_AGE:
                raise ZeroDivisionError("float division by zero")
            run(row)

        return broken

    set_attribute(VectorAssembler, "transform", broken_transform)
    set_attribute(VectorAssembler, "row_function", broken_row_function)
