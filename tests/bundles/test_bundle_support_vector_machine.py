"""support_vector_machine (MLeap's op for spark.mllib's SVMModel): the real spark-parity bundle against real
MLeap 0.20, a model fitted by spark.mllib's SVMWithSGD against its own predict, thresholds, round trips."""

from __future__ import annotations

import math
import zipfile

import numpy as np
import pytest

import bundles
from bundles.ops.base import Shape
from bundles.ops.support_vector_machine import SupportVectorMachine
from interop.suite import real_mleap_transform, serving_frame

PARITY_ZIP = "combust__mleap-docs@95b3bc0/assets/bundles/spark-parity.zip"
SPEC = "spark-parity/org.apache.spark.ml.mleap.parity.classification.SupportVectorMachineParitySpec.zip"
OUTPUTS = ["raw_prediction", "probability", "prediction"]


@pytest.fixture
def parity_svm(real_bundles, tmp_path):
    path = tmp_path / "svm.zip"
    with zipfile.ZipFile(real_bundles / PARITY_ZIP) as outer:
        path.write_bytes(outer.read(SPEC))
    return path


def svm(thresholds=None, outputs=tuple(OUTPUTS)) -> SupportVectorMachine:
    return SupportVectorMachine("svm", Shape([("features", "f")], [(p, p) for p in outputs]),
                                np.array([2.0, -1.0]), 0.5, thresholds)


def test_the_parity_bundle_gives_real_mleaps_raw_probability_and_prediction(parity_svm):
    bundle = bundles.load_bundle(parity_svm)
    assert [op.op_name for op in bundle.ops] == ["string_indexer", "vector_assembler", "support_vector_machine"]
    labels = bundle.ops[0].labels[0]
    rows = [{"fico_score_group_fnl": labels[i % len(labels)], "dti": dti}
            for i, dti in enumerate([0.0, 1.5, -3.25, 12.0, -1.149253731343284, 250.0, -7.0])]
    mleap = real_mleap_transform(parity_svm, serving_frame(bundle, rows), OUTPUTS, "0.20.0")
    columnar = bundle.transform({"fico_score_group_fnl": np.array([r["fico_score_group_fnl"] for r in rows],
                                                                  dtype=object),
                                 "dti": np.array([r["dti"] for r in rows])}).columns
    singles = [bundle.transform_row(r) for r in rows]
    for name in OUTPUTS:
        want = np.array(mleap[name], dtype=np.float64)
        np.testing.assert_array_equal(np.asarray(columnar[name], dtype=np.float64), want, err_msg=name)
        np.testing.assert_array_equal(np.array([s[name] for s in singles], dtype=np.float64), want, err_msg=name)
    assert {p for p in mleap["prediction"]} == {0.0, 1.0}


def test_a_model_fitted_by_spark_mllib_predicts_as_its_svm_model_does(spark):
    from pyspark.mllib.classification import SVMWithSGD
    from pyspark.mllib.regression import LabeledPoint

    rng = np.random.default_rng(5)
    xs = rng.normal(size=(40, 3)) * [1.0, 10.0, 0.1]
    labels = (xs @ [1.0, -0.2, 3.0] > 0.3).astype(float)
    points = spark.sparkContext.parallelize([LabeledPoint(y, x.tolist()) for x, y in zip(xs, labels, strict=True)])
    model = SVMWithSGD.train(points, iterations=20, intercept=True)
    op = SupportVectorMachine.from_mllib(model, features="f")
    bundle = bundles.Bundle(op)
    frame = bundle.transform({"f": xs}).columns
    singles = [bundle.transform_row({"f": x.tolist()}) for x in xs]
    want = [float(model.predict(x.tolist())) for x in xs]
    assert frame["prediction"].tolist() == want == [s["prediction"] for s in singles]
    model.clearThreshold()
    margins = np.array([model.predict(x.tolist()) for x in xs])  # numpy's dot: the last bits may differ
    np.testing.assert_allclose(frame["raw_prediction"][:, 1], margins, rtol=1e-12)
    np.testing.assert_array_equal(frame["raw_prediction"], frame["probability"])  # MLeap's identity
    np.testing.assert_array_equal(frame["raw_prediction"][:, 0], -frame["raw_prediction"][:, 1])


def test_a_zero_margin_and_nan_predict_the_first_class_and_thresholds_scale_the_raw_margins():
    rows = np.array([[0.0, 0.5], [1.0, 0.0], [-1.0, 0.0], [math.nan, 0.0], [0.25, 0.0]])  # margins 0, 2.5, -1.5, nan, 1
    for thresholds, want in ((None, [0.0, 1.0, 0.0, 0.0, 1.0]),  # [-0.0, 0.0]: equal, the first wins
                             ([0.5, 0.5], [0.0, 1.0, 0.0, 0.0, 1.0]),
                             ([1.0, 4.0], [0.0, 1.0, 0.0, 0.0, 1.0]),  # -m / 1 against m / 4: the sign decides
                             ([0.0, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0]),  # t = 0: +inf, the first maximum
                             ([1.0, 0.0], [1.0, 1.0, 1.0, 0.0, 1.0])):  # NaN first: nothing is greater
        bundle = bundles.Bundle(svm(thresholds))
        assert bundle.transform({"f": rows}).columns["prediction"].tolist() == want, thresholds
        assert [bundle.transform_row({"f": r.tolist()})["prediction"] for r in rows] == want, thresholds


def test_it_writes_and_reads_back_both_targets_and_refuses_another_class_count(tmp_path):
    op = svm([0.4, 0.6], outputs=("prediction", "raw_prediction"))
    for target in ("0.20", "0.9"):
        path = bundles.save_bundle(bundles.Bundle(op), tmp_path / f"svm-{target}.zip", target=target)
        (back,) = bundles.load_bundle(path).ops
        assert (back.coefficients.tolist(), back.intercept, back.thresholds) == ([2.0, -1.0], 0.5, [0.4, 0.6])
        assert back.shape.outputs == [("raw_prediction", "raw_prediction"), ("prediction", "prediction")]
    model = tmp_path / "three" / "root" / "model.json"
    (tmp_path / "three").mkdir()
    bundles.save_bundle(bundles.Bundle(op), tmp_path / "three", target="0.20")
    model.write_text(model.read_text().replace('"long": 2', '"long": 3'))
    with pytest.raises(bundles.BundleError, match="support_vector_machine is binary"):
        bundles.load_bundle(tmp_path / "three")


def test_from_mllib_refuses_a_threshold_mleaps_op_cannot_hold():
    class Model:  # the attributes of pyspark.mllib.classification.SVMModel that from_mllib reads
        threshold = 0.7
        intercept = 0.0

    with pytest.raises(bundles.BundleError, match="threshold 0.7 cannot be written"):
        SupportVectorMachine.from_mllib(Model())
