"""Shared checks for the model-op property tests: fit in Spark, export, save, load, transform, compare.

`check_model` compares every output column of Spark's transform with the bundle's, row by row, columnar
and single-row, for the bundle as built, and after a save/load round trip for each writer target.
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


def frame_of(spark, rows: list[list[float]], labels: list[float] | None = None, **extra_columns):
    """A DataFrame with `id`, dense `features` and optional `label` and scalar columns."""
    from pyspark.ml.linalg import Vectors

    names = ["id", "features"] + (["label"] if labels is not None else []) + list(extra_columns)
    data = []
    for i, row in enumerate(rows):
        record = [i, Vectors.dense(row)]
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
    singles = [bundle.transform_row({k: (v[i].tolist() if v.ndim == 2 else v[i].item()) for k, v in inputs.items()})
               for i in range(n)]
    for name in names:
        _compare(frame.columns[name], expected[name], name, f"{how}, columnar", exact, rel, abs_)
        _compare([s[name] for s in singles], expected[name], name, f"{how}, single-row", exact, rel, abs_)


def check_model(model, train, data, exact: set[str], rel: float = 0.0, abs_: float = 0.0,
                input_columns: tuple[str, ...] = ("features",), targets: tuple[str, ...] = ("0.20",)) -> None:
    """Spark's transform of `data` equals the bundle runtime's for every output column of `model`."""
    names, expected = spark_outputs(model, data)
    rows = data.orderBy("id").collect()
    inputs = {c: np.array([r[c].toArray() if hasattr(r[c], "toArray") else r[c] for r in rows], dtype=np.float64)
              for c in input_columns}
    with tempfile.TemporaryDirectory() as tmp:
        for target in targets:
            bundle = bundle_from_spark(model, train, target=target)
            check_bundle(bundle, inputs, names, expected, f"built for {target}", exact, rel, abs_)
            path = bundles.save_bundle(bundle, Path(tmp) / f"b-{target}.zip", target=target)
            check_bundle(bundles.load_bundle(path), inputs, names, expected, f"round trip {target}", exact, rel,
                         abs_)
