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

import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest

import bundles
from bundles.graph import load_node
from bundles.spark import bundle_from_spark
from bundles.xgboost_model import read_legacy, write_legacy
from jvm.vectors import SparseMatrix, SparseVector

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


def pixar_inputs(rows: np.ndarray) -> dict[str, np.ndarray]:
    return {"long_feature": rows[:, 0].copy(), "double_feature": rows[:, 1].copy()}


def test_the_pixar_bundle_transforms_as_the_booster_with_left_out_values_missing(real_bundles):
    bundle = bundles.load_bundle(real_bundles / PIXAR)
    assert [op.op_name for op in bundle.ops] == ["sparse_vector_assembler", "xgboost.classifier"]
    rows = np.vstack([ROWS, [[0.0, 0.0], [math.nan, math.nan]]])
    frame = bundle.transform(pixar_inputs(rows))
    assembled = frame.columns["__assembler_features_col"]
    assert [assembled.row(i).indices for i in range(len(rows))] == [[0, 1], [0, 1], [0], [1], [0, 1], [0, 1],
                                                                    [0, 1], []]  # an explicit 0.0 is kept
    assert assembled.row(2) == SparseVector(2, [0], [3.0]) and assembled.row(3) == SparseVector(2, [1], [7.0])
    # the booster on the same features with the left-out values as NaN (missing), treelite reading the file
    booster = treelite_margins(real_bundles / PIXAR_NODE / "xgboost.model", rows)[:, 0]
    raw = frame.columns["rawPrediction"]
    np.testing.assert_allclose(raw[:, 1], booster, rtol=0, atol=1e-6)
    node = bundles.Frame({"__assembler_features_col": rows.copy()})
    load_node(real_bundles / PIXAR_NODE).transform(node)
    for col in ("rawPrediction", "probability", "prediction"):
        np.testing.assert_array_equal(frame.columns[col], node.columns[col], err_msg=col)
    for i, row in enumerate(rows):
        single = bundle.transform_row({"long_feature": row[0], "double_feature": row[1]})
        assert single["__assembler_features_col"] == assembled.row(i)
        for col in ("rawPrediction", "probability", "prediction"):
            np.testing.assert_array_equal(single[col], frame.columns[col][i], err_msg=col)


def test_the_pixar_assembler_refuses_a_null_naming_the_column_as_missing_none_is_unset(real_bundles):
    bundle = bundles.load_bundle(real_bundles / PIXAR)
    with pytest.raises(bundles.TransformError, match="row 2, column 'double_feature': null value"):
        bundle.transform({"long_feature": np.array([1.0, 2.0]), "double_feature": np.array([0.5, None], dtype=object)})
    with pytest.raises(bundles.TransformError, match="double_feature.*null value"):
        bundle.transform_row({"long_feature": 1, "double_feature": None})


def test_the_pixar_bundle_stores_back_what_it_read(real_bundles, tmp_path):
    bundle = bundles.load_bundle(real_bundles / PIXAR)
    out = bundles.save_bundle(bundle, tmp_path / "pixar")
    original = real_bundles / (PIXAR + ".unpacked") / "root"
    for node in ("SparseVectorAssembler_307725d8f842.node", "xgbc_fcc70362ee8d.node"):
        for name in ("model.json", "node.json"):
            written = json.loads((out / "root" / node / name).read_text())
            read = json.loads((original / node / name).read_text())
            if node.startswith("xgbc") and name == "model.json":  # our writer adds the booster's objective and
                assert written["attributes"].pop("objective") == {"string": "reg:linear"}  # missing (NaN)
                assert written["attributes"].pop("missing") == {"float": None}
            if node.startswith("xgbc") and name == "node.json":  # model ops write their ports in Spark's order
                written["shape"]["outputs"].sort(key=str)
                read["shape"]["outputs"].sort(key=str)
            assert written == read, f"{node}/{name}"
    again = bundles.load_bundle(out).transform(pixar_inputs(ROWS))
    np.testing.assert_array_equal(again.columns["rawPrediction"],
                                  bundle.transform(pixar_inputs(ROWS)).columns["rawPrediction"])


def test_sparse_features_feed_the_booster_their_absent_entries_as_missing(real_bundles):
    op = load_node(real_bundles / PIXAR_NODE)
    dense = ROWS.copy()
    sparse = SparseMatrix.from_rows([SparseVector(2, [i for i in range(2) if not math.isnan(r[i])],
                                                  [x for x in r if not math.isnan(x)]) for r in ROWS], 2)
    by_dense, by_sparse = bundles.Frame({"f": dense}), bundles.Frame({"f": sparse})
    op.features_col = "f"
    op.transform(by_dense)
    op.transform(by_sparse)
    for col in ("rawPrediction", "probability", "prediction"):
        np.testing.assert_array_equal(by_sparse.columns[col], by_dense.columns[col], err_msg=col)
    for i in range(len(ROWS)):
        row = {"f": sparse.row(i)}
        op.transform_row(row)
        np.testing.assert_array_equal(row["rawPrediction"], by_dense.columns["rawPrediction"][i])


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
