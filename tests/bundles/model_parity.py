"""Shared checks for the model-op property tests: fit in Spark, export, save, load, transform, compare.

`check_model` compares every output column of Spark's transform with the bundle's, row by row, columnar
and single-row, for the bundle as built, and after a save/load round trip for each writer target.
Rows drawn by `sparse_feature_rows` (wide, mostly zeros) reach Spark as SparseVectors and the runtime as a
`SparseMatrix` (columnar) and `SparseVector`s (single row): the sparse paths of every model op.
`exact` lists the columns that must be bit-identical; other columns must be within `rel` relative
(plus `abs_` absolute, for values that are rounding noise around zero).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

import bundles
from bundles.spark import bundle_from_spark
from jvm.vectors import SparseMatrix, SparseVector

QUICK = settings(max_examples=4, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # no shrinking:
# each Spark fit costs seconds; a failing case is printed as drawn
SOAK = settings(QUICK, max_examples=25)

FEATURE = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_subnormal=False).map(lambda x: x + 0.0)


@st.composite
def feature_rows(draw, min_rows: int = 8, max_rows: int = 20, min_features: int = 1, max_features: int = 9,
                 value=FEATURE):
    """A random matrix as a list of rows (every row the same width)."""
    k = draw(st.integers(min_features, max_features))
    n = draw(st.integers(min_rows, max_rows))
    return [[draw(value) for _ in range(k)] for _ in range(n)]


class SparseRows(list):
    """Rows (lists of floats, mostly zeros) that `frame_of` gives Spark as SparseVectors of their non-zeros."""


@st.composite
def sparse_feature_rows(draw, min_rows: int = 8, max_rows: int = 20, widths: tuple[int, ...] = (20, 200),
                        value=FEATURE, max_stored: int = 6) -> SparseRows:
    """Wide rows with at most `max_stored` drawn values each (a drawn 0.0 is not stored), the rest zeros."""
    width = draw(st.sampled_from(widths))
    rows = SparseRows()
    for _ in range(draw(st.integers(min_rows, max_rows))):
        row = [0.0] * width
        for i in draw(st.lists(st.integers(0, width - 1), max_size=max_stored, unique=True)):
            row[i] = draw(value)
        rows.append(row)
    return rows


def some_rows(sparse: bool, value=FEATURE, max_features: int = 9, widths: tuple[int, ...] = (20, 200)):
    """`sparse_feature_rows` (of `widths`) when `sparse`, else `feature_rows` (up to `max_features` wide)."""
    if sparse:
        return sparse_feature_rows(value=value, widths=widths)
    return feature_rows(max_features=max_features, value=value)


def spark_vector(row: list[float], sparse: bool):
    from pyspark.ml.linalg import Vectors

    return Vectors.sparse(len(row), {i: x for i, x in enumerate(row) if x != 0.0}) if sparse else Vectors.dense(row)


def frame_of(spark, rows: list[list[float]], labels: list[float] | None = None, **extra_columns):
    """A DataFrame with `id`, `features` (dense, or sparse for `SparseRows`) and optional `label` and scalar
    columns."""
    names = ["id", "features"] + (["label"] if labels is not None else []) + list(extra_columns)
    data = []
    for i, row in enumerate(rows):
        record = [i, spark_vector(row, isinstance(rows, SparseRows))]
        if labels is not None:
            record.append(float(labels[i]))
        record.extend(float(col[i]) for col in extra_columns.values())
        data.append(tuple(record))
    return spark.createDataFrame(data, names)


def spark_outputs(model, data) -> tuple[list[str], dict[str, list]]:
    out = model.transform(data).orderBy("id")
    names = [c for c in out.columns if c not in data.columns]
    collected = out.select(*names).collect()
    return names, {n: [r[n].toArray().tolist() if hasattr(r[n], "toArray") else r[n] for r in collected]
                   for n in names}


def _compare(got, want, name: str, how: str, exact: set[str], rel: float, abs_: float) -> None:
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    message = f"{how}: column {name!r}"
    if name in exact:
        np.testing.assert_array_equal(got, want, err_msg=message)
    else:
        np.testing.assert_allclose(got, want, rtol=rel, atol=abs_, err_msg=message)


def check_bundle(bundle: bundles.Bundle, inputs: dict[str, np.ndarray], names: list[str], expected: dict,
                 how: str, exact: set[str], rel: float, abs_: float) -> None:
    frame = bundle.transform(dict(inputs))
    n = len(next(iter(inputs.values())))
    singles = [bundle.transform_row({k: row_value(v, i) for k, v in inputs.items()}) for i in range(n)]
    for name in names:
        _compare(frame.columns[name], expected[name], name, f"{how}, columnar", exact, rel, abs_)
        _compare([s[name] for s in singles], expected[name], name, f"{how}, single-row", exact, rel, abs_)


def row_value(column: np.ndarray | SparseMatrix, i: int):
    """Row i of an input column as the single-row path takes it: SparseVector, list of floats or a number."""
    if isinstance(column, SparseMatrix):
        return column.row(i)
    return column[i].tolist() if column.ndim == 2 else column[i].item()


def input_column(values: list):
    """Spark's collected values of one input column as the runtime's column: SparseVectors as a SparseMatrix,
    dense vectors as a (rows, size) array, numbers as an array."""
    if values and type(values[0]).__name__ == "SparseVector":
        return SparseMatrix.from_rows([SparseVector(v.size, v.indices.tolist(), v.values.tolist()) for v in values],
                                      values[0].size)
    return np.array([v.toArray() if hasattr(v, "toArray") else v for v in values], dtype=np.float64)


def check_model(model, train, data, exact: set[str], rel: float = 0.0, abs_: float = 0.0,
                input_columns: tuple[str, ...] = ("features",), targets: tuple[str, ...] = ("0.20",)) -> None:
    """Spark's transform of `data` equals the bundle runtime's for every output column of `model`."""
    names, expected = spark_outputs(model, data)
    rows = data.orderBy("id").collect()
    inputs = {c: input_column([r[c] for r in rows]) for c in input_columns}
    with tempfile.TemporaryDirectory() as tmp:
        for target in targets:
            bundle = bundle_from_spark(model, train, target=target)
            check_bundle(bundle, inputs, names, expected, f"built for {target}", exact, rel, abs_)
            path = bundles.save_bundle(bundle, Path(tmp) / f"b-{target}.zip", target=target)
            check_bundle(bundles.load_bundle(path), inputs, names, expected, f"round trip {target}", exact, rel,
                         abs_)
