"""Every real MLeap bundle in ../shared/real_bundles: supported ones load and transform, others name the op."""

from __future__ import annotations

import io
import json
import math
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest

import bundles
from bundles.frame import object_column
from bundles.graph import load_node
from bundles.ops import OPS
from bundles.ops.binarizer import Binarizer
from bundles.ops.bucketizer import Bucketizer
from bundles.ops.imputer import Imputer
from bundles.ops.model_op import ModelOp
from bundles.ops.one_hot_encoder import OneHotEncoder
from bundles.ops.row_map import RowMapOp
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.vector_assembler import VectorAssembler
from bundles.ops.vector_map import VectorMapOp
from jvm.vectors import SparseVector

PARITY_ZIP = "combust__mleap-docs@95b3bc0/assets/bundles/spark-parity.zip"
PARITY_BUNDLES = 52  # the zip's 53 entries are its folder entry + 52 bundles
FEATURE_PARITY_SPECS = ("ImputerParitySpec", "BinarizerParitySpec", "BucketizerParitySpec", "MaxAbsScalerParitySpec",
                        "MinMaxScalerParitySpec", "NormalizerParitySpec", "StandardScalerParitySpec",
                        "StringIndexerParitySpec", "VectorAssemblerParitySpec", "OneHotEncoderParitySpec")
TEXT_PARITY_SPECS = ("TokenizerParitySpec", "RegexTokenizerParitySpec", "StopWordsRemoverParitySpec",
                     "NGramsParitySpec", "HashingTermFrequencyParitySpec", "CountVectorizerParitySpec", "IDFParitySpec",
                     "WordToVectorParitySpec", "ReverseStringIndexerParitySpec", "WordLengthFilterParitySpec")
NUMERIC_PARITY_SPECS = ("PcaParitySpec", "InteractionParitySpec", "PolynomialExpansionParitySpec", "DCTParitySpec",
                        "ElementWiseProductParitySpec", "VectorIndexerParitySpec", "VectorSlicerParitySpec",
                        "ChiSqSelectorParitySpec", "BucketedRandomProjectionLSHParitySpec", "MinHashLSHParitySpec",
                        "MathUnaryParitySpec", "MathBinaryParitySpec", "MultinomialLabelerParitySpec")
MODEL_PARITY_SPECS = ("LinearRegressionParitySpec", "LogisticRegressionParitySpec", "NaiveBayesClassifierParitySpec",
                      "MultiLayerPerceptronClassifierParitySpec", "OneVsRestParitySpec", "KMeansParitySpec",
                      "BisectingKMeansParitySpec", "GaussianMixtureParitySpec", "AFTSurvivalRegressionParitySpec",
                      "GeneralizedLinearRegressionParitySpec", "IsotonicRegressionParitySpec",
                      "SupportVectorMachineParitySpec")
NUMERIC_PARITY_SPECS = ("PcaParitySpec", "InteractionParitySpec", "PolynomialExpansionParitySpec", "DCTParitySpec",
                        "ElementWiseProductParitySpec", "VectorIndexerParitySpec", "VectorSlicerParitySpec",
                        "ChiSqSelectorParitySpec", "BucketedRandomProjectionLSHParitySpec", "MinHashLSHParitySpec",
                        "MathUnaryParitySpec", "MathBinaryParitySpec", "MultinomialLabelerParitySpec")
TREE_PARITY_SPECS = ("DecisionTreeClassifierParitySpec", "DecisionTreeRegressionParitySpec",
                     "RandomForestClassifierParitySpec", "RandomForestRegressionParitySpec", "GBTClassifierParitySpec",
                     "GBTRegressionParitySpec")


def real_bundle_paths(root: Path) -> list[Path]:
    """Archives (zip, tar.gz) and unpacked bundle folders, except the zip of zips (expanded separately)."""
    archives = [p for p in root.rglob("*") if p.is_file() and p.name.endswith((".zip", ".tar.gz"))]
    folders = [p.parent for p in root.rglob("bundle.json")]
    return sorted(p for p in archives + folders if not str(p).endswith(PARITY_ZIP))


def parity_bundles(root: Path, tmp: Path) -> list[Path]:
    out = []
    with zipfile.ZipFile(root / PARITY_ZIP) as outer:
        for name in outer.namelist():
            if name.endswith(".zip"):
                path = tmp / Path(name).name
                path.write_bytes(outer.read(name))
                out.append(path)
    return out


BUNDLE_FILES = ("bundle.json", "model.json", "node.json")


def json_members(path: Path) -> dict[str, dict]:
    """The bundle.json/model.json/node.json files of a directory or zip/tar.gz, by their path inside."""
    if path.is_dir():
        return {str(p.relative_to(path)): json.loads(p.read_text()) for p in path.rglob("*.json")
                if p.name in BUNDLE_FILES}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            return {n: json.loads(zf.read(n)) for n in zf.namelist() if Path(n).name in BUNDLE_FILES}
    with tarfile.open(path) as tf:
        return {m.name: json.load(tf.extractfile(m)) for m in tf if m.isfile() and Path(m.name).name in BUNDLE_FILES}


def ops_in(path: Path) -> set[str]:
    """Every op named by a model.json in the bundle."""
    return {data["op"] for name, data in json_members(path).items() if name.endswith("model.json")}


def sample_row(bundle: bundles.Bundle) -> dict:
    """One valid row for the bundle's raw inputs, chosen from what each consuming op accepts."""
    row: dict = {}
    produced: set[str] = set()
    for op in bundle.ops:
        for k, col in enumerate(op.shape.input_cols):
            if col in produced or col in row:
                continue
            if isinstance(op, StringIndexer):
                row[col] = op.labels[k][0]
            elif isinstance(op, RowMapOp) and op.input_kind == "text":
                row[col] = "Debt consolidation  Loan, alice said"
            elif isinstance(op, RowMapOp) and op.input_kind == "tokens":
                row[col] = ["debt", "consolidation", "loan", "alice"]
            elif isinstance(op, Bucketizer):
                row[col] = op.splits[1]
            elif isinstance(op, Imputer):
                row[col] = math.nan
            elif isinstance(op, OneHotEncoder):
                row[col] = 0.0
            elif isinstance(op, VectorMapOp):
                row[col] = [1.5] * op.size
            elif isinstance(op, Binarizer) and op.is_vector:
                row[col] = [0.5] * int(op.input_shape["tensorShape"]["dimensions"][0]["size"])
            elif isinstance(op, ModelOp) and op.input_struct == "vector":
                row[col] = [1.0] * (op.num_features or 1)
            elif isinstance(op, VectorAssembler) and op.input_shapes[k].get("base") == "tensor":
                row[col] = [1.5] * op.sizes[k]
            else:
                row[col] = 2.5
        produced.update(op.shape.output_cols)
    return row


def columns_of(row: dict, copies: int = 3) -> dict[str, np.ndarray]:
    cols = {}
    for name, value in row.items():
        if isinstance(value, str) or (isinstance(value, list) and value and isinstance(value[0], str)):
            cols[name] = object_column([value] * copies)
        elif isinstance(value, list):
            cols[name] = np.array([value] * copies, dtype=np.float64)
        else:
            cols[name] = np.full(copies, value, dtype=np.float64)
    return cols


def check_bundle(path: Path) -> str:
    """Load and transform a supported bundle (both paths agree), or check the unsupported op is named."""
    if not any(Path(name).name == "bundle.json" for name in json_members(path)):
        with pytest.raises(bundles.BundleError, match="no bundle.json"):
            bundles.load_bundle(path)
        return "not a bundle"
    unsupported = sorted(ops_in(path) - set(OPS))
    if unsupported:
        with pytest.raises(bundles.UnsupportedOpError) as err:
            bundles.load_bundle(path)
        assert err.value.op in unsupported
        assert repr(err.value.op) in str(err.value)
        return "unsupported"
    bundle = bundles.load_bundle(path)
    row = sample_row(bundle)
    single = bundle.transform_row(row)
    assert single is not None
    frame = bundle.transform(columns_of(row))
    for op in bundle.ops:
        for col in op.shape.output_cols:
            for i in range(3):
                assert plain(frame.columns[col], i) == plain_value(single[col]), f"{path}: {col}"
    return "transformed"


def plain_value(value):
    """A runtime value as comparable Python (sparse vectors dense, arrays as lists)."""
    if isinstance(value, SparseVector):
        return value.dense()
    return value.tolist() if isinstance(value, np.ndarray | np.generic) else value


def plain(column, i: int):
    return plain_value(column[i])


def test_every_real_bundle_file_and_folder_loads_or_names_its_unsupported_op(real_bundles):
    paths = real_bundle_paths(real_bundles)
    assert len(paths) >= 20
    outcomes = {str(p.relative_to(real_bundles)): check_bundle(p) for p in paths}
    assert outcomes["aws__sagemaker-python-sdk@35484d21a/tests/data/sparkml_model/mleap_model.tar.gz"] == "transformed"
    assert outcomes["combust__mleap@88de54dd/mleap-runtime/src/test/resources/min_max_scaler_tf.zip"] == "transformed"
    assert outcomes["rstudio__mleap@7d6ffe05/inst/app/sff.zip"] == "transformed"
    for model in ("combust__mleap@88de54dd/mleap-benchmark/src/main/resources/models/airbnb.model.lr.zip",
                  "combust__mleap@88de54dd/mleap-spring-boot/src/test/resources/demo.zip",
                  "combust__mleap@deec845e/mleap-xgboost-runtime/src/main/resources/pixar_movie_mleap_bundle.zip"):
        assert outcomes[model] == "transformed", model
    assert outcomes["aws__sagemaker-python-sdk@35484d21a/tests/data/xgboost_model/xgb_model.tar.gz"] == "not a bundle"


def test_every_spark_parity_bundle_loads_or_names_its_unsupported_op(real_bundles, tmp_path):
    paths = parity_bundles(real_bundles, tmp_path)
    assert len(paths) == PARITY_BUNDLES
    outcomes = [(p.name.split(".")[-2], check_bundle(p)) for p in paths]
    supported = sorted(spec for spec, outcome in outcomes if outcome == "transformed")
    refused = sorted(spec for spec, outcome in outcomes if outcome == "unsupported")
    print(f"spark-parity: {len(supported)} of {len(outcomes)} transform; refused: {', '.join(refused)}")
    assert set(MODEL_PARITY_SPECS) | set(FEATURE_PARITY_SPECS) | set(TEXT_PARITY_SPECS) | set(TREE_PARITY_SPECS) \
        | set(NUMERIC_PARITY_SPECS) <= set(supported)
    assert len(supported) + len(refused) == PARITY_BUNDLES


def test_the_sff_logistic_regression_node_reads_its_coefficient_matrix_column_major(real_bundles):
    node = real_bundles / "rstudio__mleap@7d6ffe05/inst/app/sff.zip.unpacked/root"
    (folder,) = node.glob("logistic_regression__*.node")
    op = load_node(folder)
    raw = json.loads((folder / "model.json").read_text())["attributes"]
    flat, intercepts = raw["coefficient_matrix"]["double"], raw["intercept_vector"]["double"]
    assert (op.num_classes, op.num_features) == (3, 4096)
    for feature in (0, 1, 17, 4095):
        x = [0.0] * 4096
        x[feature] = 1.0
        row = {op.features_col: x}
        op.transform_row(row)
        want = [b + w for b, w in zip(intercepts, flat[3 * feature:3 * feature + 3], strict=True)]
        np.testing.assert_allclose(row[op.columns["raw_prediction"]], want, rtol=1e-15)
        probability = np.exp(np.array(want) - max(want))
        np.testing.assert_allclose(row[op.columns["probability"]], probability / probability.sum(), rtol=1e-12)
        assert row[op.columns["prediction"]] == float(np.argmax(want))


def parity(real_bundles: Path, tmp_path: Path, spec: str) -> bundles.Bundle:
    (path,) = [p for p in parity_bundles(real_bundles, tmp_path) if p.name.endswith(f".{spec}.zip")]
    return bundles.load_bundle(path)


def test_parity_imputer_replaces_nan_and_the_missing_value_with_the_surrogate(real_bundles, tmp_path):
    bundle = parity(real_bundles, tmp_path, "ImputerParitySpec")
    out = bundle.transform({"mv": np.array([math.nan, 23.4, 7.0])}).columns["mv_imputed"]
    assert out.tolist() == [21.722356950479124, 21.722356950479124, 7.0]
    assert bundle.transform_row({"mv": None})["mv_imputed"] == 21.722356950479124


def test_parity_bucketizer_restores_infinite_splits(real_bundles, tmp_path):
    bundle = parity(real_bundles, tmp_path, "BucketizerParitySpec")
    values = np.array([-1e300, 999.9, 1000.0, 9999.0, 10000.0, 1e300])
    assert bundle.transform({"loan_amount": values}).columns["loan_amount_bucket"].tolist() == [0, 0, 1, 1, 2, 2]
    with pytest.raises(bundles.TransformError, match="NaN"):
        bundle.transform_row({"loan_amount": math.nan})


def test_parity_scalers_apply_their_stored_statistics(real_bundles, tmp_path):
    row = {"dti": 16128.0, "loan_amount": 600000.0}
    std = parity(real_bundles, tmp_path, "StandardScalerParitySpec").transform_row(row)["scaled_features"]
    assert std == [16128.0 * (1 / 425.1706226276576), 600000.0 * (1 / 17219.77767984543)]
    max_abs = parity(real_bundles, tmp_path, "MaxAbsScalerParitySpec").transform_row(row)["scaled_features"]
    assert max_abs == [16128.0 * (1 / 32256.0), 600000.0 * (1 / 1200000.0)]
    min_max = parity(real_bundles, tmp_path, "MinMaxScalerParitySpec").transform_row(
        {"dti": -0.01, "loan_amount": 1200000.0})["scaled_features"]
    assert min_max == [0.0, 1.0]
    norm = parity(real_bundles, tmp_path, "NormalizerParitySpec").transform_row({"dti": 3.0, "loan_amount": 4.0})
    assert norm["scaled_features"] == [0.6, 0.8]


def test_parity_binarizer_thresholds_scalars_and_vectors(real_bundles, tmp_path):
    bundle = parity(real_bundles, tmp_path, "BinarizerParitySpec")
    out = bundle.transform({"dti": np.array([0.12, 0.13, math.nan])}).columns
    assert out["thresholded_features_double"].tolist() == [0.0, 1.0, 0.0]
    assert out["thresholded_features"].tolist() == [[0.0], [1.0], [0.0]]  # the assembler makes 1 slot


def test_python_written_bundle_with_an_unreferenced_node_loads_only_the_listed_nodes(real_bundles):
    path = real_bundles / "combust__mleap@88de54dd/mleap-runtime/src/test/resources/one_hot_encoder_pipeline.zip"
    bundle = bundles.load_bundle(path)
    assert [op.op_name for op in bundle.ops] == ["string_indexer", "one_hot_encoder"]


def test_the_hand_made_empty_pipeline_loads_with_no_ops(real_bundles):
    folder = real_bundles / ("aws__sagemaker-sparkml-serving-container@79619706/src/test/resources/"
                             "com/amazonaws/sagemaker/configuration/model")
    bundle = bundles.load_bundle(folder)
    assert bundle.ops == []
    assert bundle.transform({"x": np.zeros(2)}).columns.keys() == {"x"}


def test_the_parity_zip_bytes_are_what_the_index_describes(real_bundles):
    with zipfile.ZipFile(real_bundles / PARITY_ZIP) as outer:
        assert len(outer.namelist()) == PARITY_BUNDLES + 1
        inner = zipfile.ZipFile(io.BytesIO(outer.read(next(n for n in outer.namelist() if n.endswith(".zip")))))
        assert "bundle.json" in inner.namelist()


def test_sff_text_stages_run_sparse_from_hashing_tf_to_the_assembler(real_bundles, tmp_path):
    """sff.zip (MLeap 0.20, Spark 3): tokenizer -> stop words -> hashing_tf(4096, binary, version 2) ->
    normalizer -> vector_assembler; the model node is dropped so the feature stages are checked on their own."""
    import shutil

    folder = tmp_path / "sff"
    shutil.copytree(real_bundles / "rstudio__mleap@7d6ffe05/inst/app/sff.zip.unpacked", folder)
    root = json.loads((folder / "root/model.json").read_text())
    root["attributes"]["nodes"]["string"] = [n for n in root["attributes"]["nodes"]["string"]
                                             if not n.startswith("logistic_regression")]
    (folder / "root/model.json").write_text(json.dumps(root))
    bundle = bundles.load_bundle(folder)
    text = "This movie was GREAT  great fun, the best"
    row = bundle.transform_row({"review": text, "score": "5"})
    assert row["word_list"] == ["this", "movie", "was", "great", "", "great", "fun,", "the", "best"]
    features = row["features"]
    assert isinstance(features, SparseVector) and features.size == 4096
    assert len(features.indices) == len(set(row["wo_stop_words"]))  # binary: one slot per distinct term
    norm = math.sqrt(sum(x * x for x in features.values))
    assert abs(norm - 1.0) < 1e-12
    frame = bundle.transform({"review": object_column([text, ""]), "score": object_column(["5", "1"])})
    assert frame.columns["features"].tolist()[0] == features
    assert frame.columns["features"].tolist()[1].indices == [index_of_empty(bundle)]


def index_of_empty(bundle: bundles.Bundle) -> int:
    from bundles.ops.hashing_term_frequency import HashingTermFrequency

    (op,) = [op for op in bundle.ops if isinstance(op, HashingTermFrequency)]
    return op.index_of("")
