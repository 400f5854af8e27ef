"""The numeric feature ops on their own: MLeap's extension ops as MLeap's sources define them (no Spark class
exists for them), the parity bundles of MLeap's 2017 tests, VectorIndexer's handle_invalid against Spark,
and the writer's refusals."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pytest

import bundles
from bundles import graph
from bundles.bundle import Bundle
from bundles.frame import object_column
from bundles.ops.base import Shape
from bundles.ops.map_entry_selector import MapEntrySelector
from bundles.ops.math_binary import MathBinary
from bundles.ops.math_ops import KNOWN
from bundles.ops.math_unary import MathUnary
from bundles.ops.multinomial_labeler import MultinomialLabeler
from bundles.ops.pipeline import Pipeline
from bundles.ops.polynomial_expansion import dense_terms
from bundles.ops.string_map import StringMap
from bundles.spark import bundle_from_spark
from jvm.java_math import java_pow, java_rem, java_round
from jvm.vectors import SparseMatrix, SparseVector

from .test_bundle_real_files import PARITY_ZIP
from .test_bundle_writer_fields import dir_files, kind, nodes_of, zip_files


def round_trip(bundle: Bundle, tmp_path: Path) -> Bundle:
    return bundles.load_bundle(bundles.save_bundle(bundle, tmp_path / "b.zip"))


def identical(got: float, want: float) -> bool:
    """Equal as IEEE doubles, sign of zero included; NaN equals NaN."""
    return (math.isnan(got) and math.isnan(want)) or (got == want and math.copysign(1, got) == math.copysign(1, want))


def both_paths(bundle: Bundle, columns: dict, row: dict) -> tuple[dict, dict]:
    return bundle.transform(columns).columns, bundle.transform_row(row)


@pytest.mark.parametrize(("operation", "x", "want"), [
    ("log", 0.0, -math.inf), ("log", -1.0, math.nan), ("exp", 1000.0, math.inf), ("sqrt", -4.0, math.nan),
    ("sqrt", 6.25, 2.5), ("sin", math.inf, math.nan), ("abs", -2.5, 2.5), ("logit", 0.5, 0.0),
    ("logit", 1.0, math.inf), ("floor", -0.5, -1.0), ("ceil", -0.5, -0.0), ("round", 2.5, 3.0),
    ("round", -2.5, -2.0), ("round", 0.49999999999999994, 0.0), ("round", math.nan, 0.0),
    ("round", 1e300, 9.223372036854776e18), ("tan", 0.0, 0.0),
])
def test_math_unary_follows_javas_math(operation, x, want, tmp_path):
    bundle = Bundle(MathUnary("u", Shape.single("x", "y"), operation))
    if operation in KNOWN["0.20"]:
        bundle = round_trip(bundle, tmp_path)
    else:  # floor, ceil, round came after MLeap 0.20: it could not load them
        with pytest.raises(bundles.BundleError, match=f"MLeap 0.20 has no math operation '{operation}'"):
            round_trip(bundle, tmp_path)
    cols, row = both_paths(bundle, {"x": np.array([x])}, {"x": x})
    for got in (cols["y"][0], row["y"]):
        assert identical(got, want)


def test_math_ops_unknown_to_the_legacy_target_are_refused(tmp_path):
    shape = Shape([("input_a", "a"), ("input_b", "b")], [("output", "y")])
    with pytest.raises(bundles.BundleError, match="MLeap 0.9 has no math operation 'max'; write target 0.20"):
        bundles.save_bundle(Bundle(MathBinary("m", shape, "max")), tmp_path / "b.zip", target="0.9")
    with pytest.raises(bundles.BundleError, match="MLeap 0.9 has no math operation 'abs'; write target 0.20"):
        bundles.save_bundle(Bundle(MathUnary("u", Shape.single("x", "y"), "abs")), tmp_path / "b.zip", target="0.9")
    with pytest.raises(bundles.BundleError, match="MLeap 0.20 has no math operation 'round'; no MLeap runtime"):
        bundles.save_bundle(Bundle(MathUnary("u", Shape.single("x", "y"), "round")), tmp_path / "b.zip")
    map_shape = Shape([("input", "m"), ("key", "k")], [("output", "v")])
    with pytest.raises(bundles.BundleError, match="MLeap 0.9 has no map_entry_selector"):
        bundles.save_bundle(Bundle(MapEntrySelector("s", map_shape, "double", 0.0)), tmp_path / "b.zip", target="0.9")


def test_string_map_keep_is_refused_for_the_legacy_target_whose_runtime_always_errors(tmp_path):
    """MLeap 0.9.6's StringMap reads no handle_invalid/default_value: a missing label fails (real MLeap, interop)."""
    shape = Shape.single("c", "n")
    with pytest.raises(bundles.BundleError, match="MLeap 0.9's string_map has no handle_invalid.*write target 0.20"):
        bundles.save_bundle(Bundle(StringMap("s", shape, ["a"], [1.0], "keep", 2.0)), tmp_path / "k.zip", target="0.9")
    path = bundles.save_bundle(Bundle(StringMap("s", shape, ["a"], [1.0])), tmp_path / "e.zip", target="0.9")
    assert bundles.load_bundle(path).transform_row({"c": "a"})["n"] == 1.0


def test_math_unary_logit_outside_the_unit_interval_is_an_error_naming_the_row():
    bundle = Bundle(MathUnary("u", Shape.single("x", "y"), "logit"))
    with pytest.raises(bundles.TransformError, match="row 2.*out of \\[0, 1\\]"):
        bundle.transform({"x": np.array([0.2, 1.5])})


def test_math_unary_refuses_an_unknown_operation():
    with pytest.raises(bundles.BundleError, match="unknown math_unary operation 'cube'"):
        MathUnary("u", Shape.single("x", "y"), "cube")


@pytest.mark.parametrize(("operation", "a", "b", "want"), [
    ("add", 1.5, 2.25, 3.75), ("sub", 1.0, 3.0, -2.0), ("mul", -0.0, 5.0, -0.0), ("div", 1.0, 0.0, math.inf),
    ("div", -1.0, 0.0, -math.inf), ("div", 0.0, 0.0, math.nan), ("rem", -7.0, 3.0, -1.0), ("rem", 7.0, 0.0, math.nan),
    ("log_n", 8.0, 2.0, math.log(8.0) / math.log(2.0)), ("pow", -8.0, 1 / 3, math.nan), ("pow", math.nan, 0.0, 1.0),
    ("pow", 1.0, math.nan, math.nan), ("pow", -0.0, -1.0, -math.inf), ("pow", 10.0, 400.0, math.inf),
    ("min", -0.0, 0.0, -0.0), ("max", -0.0, 0.0, 0.0), ("min", 1.0, math.nan, math.nan),
])
def test_math_binary_follows_javas_arithmetic(operation, a, b, want, tmp_path):
    shape = Shape([("input_a", "a"), ("input_b", "b")], [("output", "y")])
    bundle = round_trip(Bundle(MathBinary("m", shape, operation)), tmp_path)
    cols, row = both_paths(bundle, {"a": np.array([a]), "b": np.array([b])}, {"a": a, "b": b})
    for got in (cols["y"][0], row["y"]):
        assert identical(got, want)


def test_math_binary_takes_a_missing_operand_from_its_constant_even_zero(tmp_path):
    shape = Shape([("input_b", "b")], [("output", "y")])
    op = MathBinary("m", shape, "sub", da=0.0)
    bundle = round_trip(Bundle(op), tmp_path)
    (node,) = bundle.ops
    assert node.constants == {"input_a": 0.0, "input_b": None} and node.shape.input_cols == ["b"]
    cols, row = both_paths(bundle, {"b": np.array([2.0, -1.0])}, {"b": 2.0})
    assert cols["y"].tolist() == [-2.0, 1.0] and row["y"] == -2.0
    with pytest.raises(bundles.BundleError, match="neither port 'input_a' nor its constant"):
        MathBinary("m", shape, "sub")


def test_multinomial_labeler_keeps_slots_at_or_above_the_threshold_in_slot_order(tmp_path):
    shape = Shape([("features", "p")], [("probabilities", "probs"), ("labels", "names")])
    bundle = round_trip(Bundle(MultinomialLabeler("ml", shape, 0.25, ["a", "b", "c"])), tmp_path)
    dense = np.array([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]])
    cols, row = both_paths(bundle, {"p": dense}, {"p": [0.5, 0.25, 0.25]})
    assert cols["probs"].tolist() == [[0.5, 0.25, 0.25], [0.8]] and cols["names"].tolist() == [["a", "b", "c"], ["c"]]
    assert row["probs"] == [0.5, 0.25, 0.25] and row["names"] == ["a", "b", "c"]
    sparse = bundle.transform({"p": SparseMatrix.from_dense(dense)}).columns
    assert sparse["names"].tolist() == [["a", "b", "c"], ["c"]]
    assert bundle.transform_row({"p": SparseVector(3, [2], [0.9])})["names"] == ["c"]


def test_map_entry_selector_returns_the_value_or_the_default_for_each_type(tmp_path):
    shape = Shape([("input", "m"), ("key", "k")], [("output", "v")])
    maps = object_column([{"x": 1.5, "y": 2.0}, {"y": 3.0}])
    for value_type, default, want in (("double", 7.0, [1.5, 7.0]), ("string", "none", ["a", "none"]),
                                      ("long", 0, [1, 0]), ("boolean", True, [False, True])):
        values = {"double": maps, "string": object_column([{"x": "a"}, {}]),
                  "long": object_column([{"x": 1}, {}]), "boolean": object_column([{"x": False}, {}])}[value_type]
        bundle = round_trip(Bundle(MapEntrySelector("s", shape, value_type, default)), tmp_path)
        cols, row = both_paths(bundle, {"m": values, "k": object_column(["x", "x"])}, {"m": values[1], "k": "x"})
        assert cols["v"].tolist() == want and row["v"] == want[1], value_type
    with pytest.raises(bundles.BundleError, match="string keys"):
        MapEntrySelector("s", shape, "map", None)


def test_map_entry_selector_writes_mleaps_typed_attributes(tmp_path):
    shape = Shape([("input", "m"), ("key", "k")], [("output", "v")])
    path = bundles.save_bundle(Bundle(MapEntrySelector("s", shape, "double", 2.5)), tmp_path / "b.zip")
    import json

    with zipfile.ZipFile(path) as zf:
        attrs = json.loads(zf.read("root/model.json"))["attributes"]
    assert attrs == {"key_type": {"basic_type": "string"}, "value_type": {"basic_type": "double"},
                     "default_value": {"double": 2.5}}


def parity(real_bundles: Path, tmp_path: Path, spec: str) -> Bundle:
    with zipfile.ZipFile(real_bundles / PARITY_ZIP) as outer:
        (name,) = [n for n in outer.namelist() if n.endswith(f".{spec}.zip")]
        path = tmp_path / Path(name).name
        path.write_bytes(outer.read(name))
    return bundles.load_bundle(path)


def test_parity_bundles_of_the_extension_ops_compute_mleaps_results(real_bundles, tmp_path):
    row = {"fico_score_group_fnl": "700 - 800", "dti": 0.25}  # "700 - 800" is index 2
    assert parity(real_bundles, tmp_path, "MathBinaryParitySpec").transform_row(row)["bin_out"] == 0.5
    assert parity(real_bundles, tmp_path, "MathUnaryParitySpec").transform_row(row)["dti_tan"] == math.tan(0.25)
    out = parity(real_bundles, tmp_path, "MultinomialLabelerParitySpec").transform_row(
        {"fico_score_group_fnl": "650 - 700", "dti": 0.25})  # features [0.0, 0.25], threshold 0.1
    assert out["probabilities"] == [0.25] and out["labels"] == ["dtizy"]


def test_parity_numeric_bundles_compute_sparks_formulas(real_bundles, tmp_path):
    row = {"dti": 3.0, "loan_amount": 2.0}
    poly = parity(real_bundles, tmp_path, "PolynomialExpansionParitySpec").transform_row(row)["poly"]
    assert poly == [3.0, 9.0, 2.0, 6.0, 4.0]  # Spark's order for (x, y), degree 2: x, x², y, xy, y²
    inter = parity(real_bundles, tmp_path, "InteractionParitySpec").transform_row(row)["interacted"]
    assert inter.dense() == [9.0, 6.0]
    pca = parity(real_bundles, tmp_path, "PcaParitySpec").transform_row(row)["pca_features"]
    assert pca == pytest.approx([3.0 * 9.800253418318361e-05 + 2.0 * 0.9999999951977517,
                                 3.0 * 0.9999999951977514 - 2.0 * 9.800253418321137e-05], rel=1e-15)
    dct = parity(real_bundles, tmp_path, "DCTParitySpec").transform_row(row)["filter_features"]
    assert dct == pytest.approx([5.0 / math.sqrt(2), 1.0 / math.sqrt(2)], rel=1e-15)
    assert parity(real_bundles, tmp_path, "ChiSqSelectorParitySpec").transform_row(row)["filter_features"] == [2.0]
    assert parity(real_bundles, tmp_path, "VectorSlicerParitySpec").transform_row(row)["scaled_features"] == [2.0, 3.0]
    product = parity(real_bundles, tmp_path, "ElementWiseProductParitySpec").transform_row(row)["scaled_features"]
    assert product == [3.0 * 1.3, 2.0 * 3.4]
    brp = parity(real_bundles, tmp_path, "BucketedRandomProjectionLSHParitySpec").transform_row(row)["lsh_features"]
    assert brp == [[math.floor((3.0 * 0.20725127509666605 + 2.0 * 0.9782877434430046) * (1 / 2.0))]]
    mh = parity(real_bundles, tmp_path, "MinHashLSHParitySpec").transform_row(row)["lsh_features"]
    assert mh == [[float(min((1 + i) * 752863889 + 5076042 for i in (0, 1)) % 2038074743)]]


def test_polynomial_terms_follow_sparks_recursion_order():
    assert dense_terms(2, 2) == [[0], [0, 0], [1], [1, 0], [1, 1]]
    assert len(dense_terms(4, 3)) == math.comb(7, 3) - 1


def test_java_numerics_helpers_match_the_jdk_definitions():
    assert java_round(-0.5) == 0.0 and java_round(0.5) == 1.0 and java_round(-1e300) == -9.223372036854776e18
    assert java_rem(5.5, -2.0) == 1.5 and java_rem(-math.inf, 2.0) != java_rem(-math.inf, 2.0)
    assert java_pow(-2.0, 3.0) == -8.0 and java_pow(-math.inf, 3.0) == -math.inf


def test_vector_indexer_handle_invalid_as_spark(spark):
    from pyspark.ml.feature import VectorIndexer
    from pyspark.ml.linalg import Vectors

    train = spark.createDataFrame([(Vectors.dense([0.0, 1.5]),), (Vectors.dense([1.0, 2.5]),),
                                   (Vectors.dense([0.0, 3.5]),)], ["v"])
    test_rows = [Vectors.dense([1.0, 9.0]), Vectors.dense([7.0, 1.0]), Vectors.sparse(2, [1], [3.0])]
    test = spark.createDataFrame([(v,) for v in test_rows], ["v"])
    for handle in ("keep", "skip", "error"):
        model = VectorIndexer(inputCol="v", outputCol="o", maxCategories=2, handleInvalid=handle).fit(train)
        bundle = bundle_from_spark(model, train)
        dense = np.array([r.toArray() for r in test_rows])
        if handle == "error":
            with pytest.raises(Exception, match="invalid value 7.0 on feature index 0"):
                model.transform(test).collect()
            with pytest.raises(bundles.TransformError, match="row 2.*invalid value 7.0 on feature index 0"):
                bundle.transform({"v": dense})
            with pytest.raises(bundles.TransformError, match="invalid value 7.0 on feature index 0"):
                bundle.transform_row({"v": [7.0, 1.0]})
            continue
        want = [r["o"].toArray().tolist() for r in model.transform(test).collect()]
        got = bundle.transform({"v": dense}).columns["o"].tolist()
        singles = [bundle.transform_row({"v": v.toArray().tolist()}) for v in test_rows]
        assert got == want and [s["o"] for s in singles if s is not None] == want, handle
        sparse = bundle.transform({"v": SparseMatrix.from_dense(dense)}).columns["o"]
        assert [r.dense() for r in sparse.tolist()] == want, handle


def test_writer_refuses_sql_transformer_and_rformula_naming_the_reason(spark):
    from pyspark.ml.feature import RFormula, SQLTransformer

    data = spark.createDataFrame([(1.0, "a", 0.0), (2.0, "b", 1.0)], ["x", "c", "y"])
    sql = SQLTransformer(statement="SELECT *, x * 2 AS x2 FROM __THIS__")
    with pytest.raises(bundles.BundleError, match="SQLTransformer .*cannot be written.*#126"):
        bundle_from_spark(sql, data)
    formula = RFormula(formula="y ~ x + c").fit(data)
    with pytest.raises(bundles.BundleError, match="RFormulaModel .*cannot be written.*#191"):
        bundle_from_spark(formula, data)


def test_writer_names_the_supported_stages_for_a_stage_with_no_op(spark):
    from pyspark.ml.feature import VectorSizeHint

    data = spark.createDataFrame([(1.0,)], ["x"])
    with pytest.raises(bundles.BundleError, match="VectorSizeHint .*has no bundle op; supported: .*PCAModel"):
        graph.ops_from_spark(VectorSizeHint(inputCol="x", size=1), graph.context(schema=data.schema))


def test_robust_scaler_is_written_as_a_standard_scaler_of_median_and_range(spark):
    from pyspark.ml.feature import RobustScaler
    from pyspark.ml.linalg import Vectors

    data = spark.createDataFrame([(Vectors.dense([1.0, 10.0]),), (Vectors.dense([2.0, 10.0]),),
                                  (Vectors.dense([4.0, 10.0]),)], ["v"])
    model = RobustScaler(inputCol="v", outputCol="o", withCentering=True).fit(data)
    (op,) = bundle_from_spark(model, data).ops
    assert op.op_name == "standard_scaler"
    assert op.mean.tolist() == model.median.toArray().tolist() and op.std.tolist() == model.range.toArray().tolist()


def test_pipeline_writer_refuses_repeated_node_names(tmp_path):
    """Each child is written to `<name>.node/`: a repeated name (one Spark stage used twice) would overwrite."""
    op = MathUnary("twice", Shape.single("x", "y"), "abs")
    with pytest.raises(bundles.BundleError, match="node names must be unique, repeated: twice"):
        bundles.save_bundle(Bundle(Pipeline("p", [op, op])), tmp_path / "b.zip")


def test_multinomial_labeler_serving_schema_types_each_output():
    shape = Shape([("features", "p")], [("probabilities", "probs"), ("labels", "names")])
    bundle = Bundle(MultinomialLabeler("ml", shape, 0.25, ["a", "b"]))
    assert bundle.serving_schema("names")["output"] == {"name": "names", "type": "string", "struct": "array"}
    assert bundle.serving_schema("probs")["output"] == {"name": "probs", "type": "double", "struct": "array"}
    assert bundle.serving_schema()["input"] == [{"name": "p", "type": "double", "struct": "vector"}]


@pytest.fixture(scope="module")
def written_numeric(spark, tmp_path_factory) -> dict:
    """A Spark pipeline of every numeric op with a Spark class, bundled by us for 0.20: op -> (model, node)."""
    from pyspark.ml import Pipeline as SparkPipeline
    from pyspark.ml.feature import (
        DCT,
        PCA,
        BucketedRandomProjectionLSH,
        ChiSqSelector,
        ElementwiseProduct,
        Interaction,
        MinHashLSH,
        PolynomialExpansion,
        StringIndexer,
        VectorAssembler,
        VectorIndexer,
        VectorSlicer,
    )
    from pyspark.ml.linalg import Vectors

    df = spark.createDataFrame([("a", 1.0, 0.5), ("b", 2.0, 2.5), ("a", 3.0, -1.0), ("b", 1.0, 0.5)], ["c", "x", "y"])
    stages = [StringIndexer(inputCol="c", outputCol="l"), VectorAssembler(inputCols=["x", "y"], outputCol="v"),
              PCA(k=1, inputCol="v", outputCol="pca"), PolynomialExpansion(inputCol="v", outputCol="poly"),
              DCT(inputCol="v", outputCol="dct"), ElementwiseProduct(scalingVec=Vectors.dense([2.0, 3.0]),
                                                                    inputCol="v", outputCol="ew"),
              VectorIndexer(inputCol="v", outputCol="vi", maxCategories=3),
              VectorSlicer(inputCol="v", outputCol="vs", indices=[1], names=["x"]),
              ChiSqSelector(numTopFeatures=1, featuresCol="v", labelCol="l", outputCol="chi"),
              BucketedRandomProjectionLSH(inputCol="v", outputCol="brp", bucketLength=2.0),
              MinHashLSH(inputCol="v", outputCol="mh"), Interaction(inputCols=["x", "v"], outputCol="inter")]
    folder = tmp_path_factory.mktemp("written_numeric") / "bundle"
    bundles.save_bundle(bundle_from_spark(SparkPipeline(stages=stages).fit(df), df), folder)
    found = nodes_of(dir_files(folder))
    return {op: nodes[0] for op, nodes in found.items()}


@pytest.fixture(scope="module")
def parity_nodes(real_bundles) -> dict:
    """op -> [(model.json, node.json)] of every node MLeap wrote into the spark-parity bundles."""
    nodes: dict[str, list] = {}
    with zipfile.ZipFile(real_bundles / PARITY_ZIP) as outer:
        for name in outer.namelist():
            if name.endswith(".zip"):
                for op, found in nodes_of(zip_files(outer.read(name))).items():
                    nodes.setdefault(op, []).extend(found)
    return nodes


@pytest.mark.parametrize("op", ["pca", "polynomial_expansion", "dct", "elementwise_product", "vector_indexer",
                                "vector_slicer", "chi_sq_selector", "bucketed_random_projection_lsh", "min_hash_lsh",
                                "interaction"])
def test_written_numeric_node_has_the_attributes_of_mleaps_own_node(op, written_numeric, parity_nodes):
    """Attribute names and value kinds equal the spark-parity node MLeap wrote (plus `handle_invalid`, which
    vector_indexer gained after that 0.8 file; its `keys` list is empty there, so its key kind is not compared)."""
    model, node = written_numeric[op]
    real_model, real_node = parity_nodes[op][0]
    ours = {name: kind(value) for name, value in model["attributes"].items()}
    theirs = {name: kind(value) for name, value in real_model["attributes"].items()}
    if op == "vector_indexer":
        theirs["handle_invalid"] = ("scalar", "string")
        ours = {k: k_ for k, k_ in ours.items() if not k.startswith("key_")}
    for name in set(ours) | set(theirs):
        assert name in ours and name in theirs, (op, name)
        assert ours[name][0] == theirs[name][0], (op, name)
        if ours[name][1] is not None and theirs[name][1] is not None:
            assert ours[name][1] == theirs[name][1], (op, name)
    assert [s["port"] for s in node["shape"]["inputs"]] == [s["port"] for s in real_node["shape"]["inputs"]], op
    assert [s["port"] for s in node["shape"]["outputs"]] == [s["port"] for s in real_node["shape"]["outputs"]], op
