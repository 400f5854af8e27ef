"""xgboost.regression / xgboost.classifier: the real pixar bundle's legacy booster, and boosters written from
the official xgboost.spark models.

Oracles: treelite (an independent reader of the legacy binary format) for the pixar booster and for the
files we write; xgboost.spark's own transform for exported models (exact). Treelite adds the trees first and
the base score last, xgboost (>= 1.2, and so MLeap 0.20's xgboost4j 1.5.2) adds them to the base score one
by one; in float32 the two orders can differ in the last bit, so against treelite the leaves we find are
summed in treelite's order, and then the sums must be equal (exactly, but for the float32 ulp of a logistic
base score, which treelite turns into a margin in double precision).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest

import bundles
from bundles.graph import load_node
from bundles.spark import bundle_from_spark
from bundles.xgboost_model import read_legacy, write_legacy

PIXAR = "combust__mleap@deec845e/mleap-xgboost-runtime/src/main/resources/pixar_movie_mleap_bundle.zip"
PIXAR_NODE = "/".join((PIXAR + ".unpacked", "root", "xgbc_fcc70362ee8d.node"))  # the bundle's root/ folder
ROWS = np.array([[1, 2.5], [0, -1], [3, math.nan], [math.nan, 7.0], [100, 0.1], [-3, 1e6]])


def treelite_order_margins(model, x: np.ndarray) -> np.ndarray:
    """Our leaves of every tree, added in float32 as treelite does: trees first, the base score last."""
    values = model.leaf_value[model.forest.leaves(model._inputs(x))]
    total = np.zeros((len(x), model.num_groups), dtype=np.float32)
    for t, g in enumerate(model.groups):
        total[:, g] += values[:, t]
    return total + model.base_margin


def treelite_margins(path: Path, x: np.ndarray) -> np.ndarray:
    import treelite
    from treelite import gtil

    model = treelite.frontend.load_xgboost_model_legacy_binary(str(path))
    return gtil.predict(model, x.astype(np.float32), pred_margin=True).reshape(len(x), -1)


def test_the_pixar_bundle_is_refused_naming_its_non_mleap_assembler(real_bundles):
    with pytest.raises(bundles.UnsupportedOpError, match="sparse_vector_assembler"):
        bundles.load_bundle(real_bundles / PIXAR)


def test_the_pixar_xgboost_node_loads_and_transforms_like_treelite(real_bundles):
    op = load_node(real_bundles / PIXAR_NODE)
    assert op.op_name == "xgboost.classifier" and op.params()["objective"] == "reg:linear"
    assert op.params()["trees"] == 7 and op.num_classes == 2
    frame = bundles.Frame({"__assembler_features_col": ROWS.copy()})
    op.transform(frame)
    np.testing.assert_array_equal(treelite_order_margins(op.model, ROWS),
                                  treelite_margins(real_bundles / PIXAR_NODE / "xgboost.model", ROWS))
    raw = frame.columns["rawPrediction"]
    np.testing.assert_allclose(raw[:, 1], treelite_margins(real_bundles / PIXAR_NODE / "xgboost.model", ROWS)[:, 0],
                               rtol=0, atol=1e-6)
    np.testing.assert_array_equal(raw[:, 0], -raw[:, 1])
    # reg:linear: MLeap's runtime gives p1 = the margin itself, probability [1 - p1, p1] in float32
    p1 = raw[:, 1].astype(np.float32)
    np.testing.assert_array_equal(frame.columns["probability"], np.column_stack([1 - p1, p1]).astype(np.float64))
    for i, row in enumerate(ROWS):
        single = {"__assembler_features_col": row.tolist()}
        op.transform_row(single)
        for col in ("rawPrediction", "probability", "prediction"):
            np.testing.assert_array_equal(single[col], frame.columns[col][i])


def test_written_legacy_files_read_back_the_same_and_treelite_agrees(real_bundles, tmp_path):
    original = read_legacy((real_bundles / PIXAR_NODE / "xgboost.model").read_bytes())
    (tmp_path / "xgboost.model").write_bytes(write_legacy(original))
    again = read_legacy((tmp_path / "xgboost.model").read_bytes())
    assert again == original
    np.testing.assert_array_equal(treelite_margins(tmp_path / "xgboost.model", ROWS),
                                  treelite_margins(real_bundles / PIXAR_NODE / "xgboost.model", ROWS))


def _xgb_data(spark, kind: str):
    from pyspark.ml.linalg import Vectors

    rng = np.random.default_rng(5)
    x = rng.normal(size=(120, 4))
    x[rng.random(x.shape) < 0.1] = math.nan  # missing values follow each split's default direction
    signal = np.nan_to_num(x[:, 0]) + 0.5 * np.nan_to_num(x[:, 1])
    label = {"regression": signal + rng.normal(size=120) * 0.1, "binary": (signal > 0).astype(float),
             "multiclass": np.digitize(signal, [-0.5, 0.5]).astype(float)}[kind]
    return spark.createDataFrame([(Vectors.dense(r), float(y)) for r, y in zip(x, label, strict=True)],
                                 ["features", "label"])


@pytest.mark.parametrize("kind", ["regression", "binary", "multiclass"])
def test_xgboost_spark_models_export_and_transform_exactly(spark, kind):
    from xgboost.spark import SparkXGBClassifier, SparkXGBRegressor

    df = _xgb_data(spark, kind)
    est = SparkXGBRegressor(n_estimators=8, max_depth=3) if kind == "regression" else \
        SparkXGBClassifier(n_estimators=6, max_depth=3)
    model = est.fit(df)
    columns = [c for c in ("rawPrediction", "probability", "prediction") if c in model.transform(df.limit(1)).columns]
    out = model.transform(df).select("features", *columns).collect()
    features = np.array([r.features.toArray() for r in out])
    for target in ("0.20", "0.9"):  # the booster's base score is written in each target's convention
        with tempfile.TemporaryDirectory() as tmp:
            path = bundles.save_bundle(bundle_from_spark(model, df, target), Path(tmp) / "xgb.zip", target=target)
            bundle = bundles.load_bundle(path)
            legacy = Path(tmp) / "legacy.model"
            legacy.write_bytes(write_legacy(bundle.ops[-1].model.booster, margin_base=target == "0.9"))
            # treelite turns a logistic base score into a margin in double precision, xgboost in float32: 1 ulp
            np.testing.assert_allclose(treelite_margins(legacy, features),
                                       treelite_order_margins(bundle.ops[-1].model, features), rtol=2.4e-7,
                                       atol=1.2e-7)
        check_outputs(bundle, features, out, columns)


def check_outputs(bundle: bundles.Bundle, features: np.ndarray, out: list, columns: list[str]) -> None:
    frame = bundle.transform({"features": features})
    for col in columns:
        want = np.array([np.asarray(r[col].toArray() if hasattr(r[col], "toArray") else r[col]) for r in out],
                        dtype=np.float64)
        np.testing.assert_array_equal(np.asarray(frame.columns[col]).reshape(want.shape), want, err_msg=col)
        rows = [bundle.transform_row({"features": r.tolist()})[col] for r in features]
        np.testing.assert_array_equal(np.array(rows, dtype=np.float64).reshape(want.shape), want, err_msg=col)
