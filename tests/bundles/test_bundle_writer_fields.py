"""Bundles we write carry MLeap 0.20's op names, attribute names and value types, and node ports.

Each node we write for a fitted Spark stage is compared field by field with a node of the same op in a
real MLeap-written bundle (../shared/real_bundles); attributes that those older files lack are checked
against the v0.20.0 writer as described in the reference (mleap-bundle-format.md §1.6).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

import bundles
from bundles.spark import bundle_from_spark

PARITY = "combust__mleap-docs@95b3bc0/assets/bundles/spark-parity.zip"
SFF = "rstudio__mleap@7d6ffe05/inst/app/sff.zip"
DEMO = "combust__mleap@88de54dd/mleap-spring-boot/src/test/resources/demo.zip"
TITANIC = "aws__sagemaker-python-sdk@35484d21a/tests/data/sparkml_model/mleap_model.unpacked"

# Attributes MLeap 0.20 writes that the real (older) files of that op do not have, with their value kind.
NEWER_THAN_REAL_FILE = {
    "bucketizer": {"handle_invalid": ("scalar", "string")},
    "min_max_scaler": {"minValue": ("scalar", None), "maxValue": ("scalar", "double")},
}
# Attributes renamed since those older files: old name -> the name MLeap 0.20 reads (checked in tests/interop).
RENAMED_SINCE_REAL_FILE = {"binarizer": {"input_shape": "input_shapes"}}
# Derived from the v0.20.0 source (no real new-format one_hot_encoder file exists; reference §1.6).
ONE_HOT_ENCODER_0_20 = ({"category_sizes": ("list", "int"), "drop_last": ("scalar", "boolean"),
                         "handle_invalid": ("scalar", "string")}, ["input0"], ["output0"])


def kind(value: dict) -> tuple[str, str | None]:
    """('scalar'|'list'|'tensor', the value's type key); a scalar `{}` (proto default) has key None."""
    keys = [k for k in value if k not in ("type", "shape")]
    return value.get("type", "scalar"), (keys[0] if keys else None)


def nodes_of(files: dict[str, bytes]) -> dict[str, list[tuple[dict, dict]]]:
    """op name -> [(model.json, node.json)] of every node in a bundle's files."""
    out: dict[str, list[tuple[dict, dict]]] = {}
    for name, data in files.items():
        node_name = name[: -len("model.json")] + "node.json"
        if name.endswith("model.json") and node_name in files:  # (tree sub-models have no node.json)
            model = json.loads(data)
            node = json.loads(files[node_name])
            out.setdefault(model["op"], []).append((model, node))
    return out


def zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}


def dir_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.json")}


@pytest.fixture(scope="module")
def real_nodes(real_bundles) -> dict[str, list[tuple[dict, dict]]]:
    """Real MLeap-written nodes by op: the parity bundles, the 0.20 sff bundle, demo and Titanic."""
    nodes: dict[str, list] = {}
    sources = [zip_files((real_bundles / SFF).read_bytes()), zip_files((real_bundles / DEMO).read_bytes()),
               dir_files(real_bundles / TITANIC)]
    with zipfile.ZipFile(real_bundles / PARITY) as outer:
        sources += [zip_files(outer.read(n)) for n in outer.namelist() if n.endswith(".zip")]
    for files in sources:
        for op, found in nodes_of(files).items():
            nodes.setdefault(op, []).extend(found)
    return nodes


@pytest.fixture(scope="module")
def written(spark, tmp_path_factory) -> tuple[Path, dict[str, list[tuple[dict, dict]]]]:
    """A Spark pipeline using every supported op, bundled by us for 0.20 and written as a directory."""
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import (
        Binarizer,
        Bucketizer,
        Imputer,
        MaxAbsScaler,
        MinMaxScaler,
        Normalizer,
        OneHotEncoder,
        StandardScaler,
        StringIndexer,
        VectorAssembler,
    )

    df = spark.createDataFrame([("a", 1.0, 0.5), ("b", float("nan"), 2.5), ("a", 3.0, -1.0)], ["c", "x", "y"])
    stages = [
        StringIndexer(inputCol="c", outputCol="c_i", handleInvalid="keep"),
        OneHotEncoder(inputCols=["c_i"], outputCols=["c_v"]),
        Imputer(inputCols=["x"], outputCols=["x_m"]),
        Bucketizer(inputCol="y", outputCol="y_b", splits=[-float("inf"), 0.0, float("inf")]),
        Binarizer(inputCol="y", outputCol="y_01", threshold=0.7),
        VectorAssembler(inputCols=["c_v", "x_m", "y", "y_b"], outputCol="v"),
        StandardScaler(inputCol="v", outputCol="v_std", withMean=True),
        MinMaxScaler(inputCol="v", outputCol="v_mm"),
        MaxAbsScaler(inputCol="v", outputCol="v_ma"),
        Normalizer(inputCol="v", outputCol="v_n"),
    ]
    model = Pipeline(stages=stages).fit(df)
    folder = tmp_path_factory.mktemp("written") / "bundle"
    bundles.save_bundle(bundle_from_spark(model, df), folder, target="0.20")
    return folder, nodes_of(dir_files(folder))


@pytest.mark.parametrize("op", ["string_indexer", "vector_assembler", "standard_scaler", "min_max_scaler",
                                "max_abs_scaler", "bucketizer", "imputer", "normalizer", "binarizer"])
def test_written_node_matches_a_real_mleap_node_of_the_same_op(op, written, real_nodes):
    (model, node), = written[1][op]
    real = [m for m in real_nodes[op]]
    assert real, f"no real {op} node to compare with"
    # the real node with the most attributes in common (e.g. the 0.20 string_indexer over legacy ones,
    # demo.zip's mean+std scaler over std-only ones), then with as many inputs
    real_model, real_node = max(real, key=lambda mn: (len(set(mn[0]["attributes"]) & set(model["attributes"])),
                                                      len(mn[1]["shape"]["inputs"]) == len(node["shape"]["inputs"])))
    ours = {name: kind(value) for name, value in model["attributes"].items()}
    renamed = RENAMED_SINCE_REAL_FILE.get(op, {})
    theirs = {renamed.get(name, name): kind(value) for name, value in real_model["attributes"].items()}
    expected_names = set(theirs) | set(NEWER_THAN_REAL_FILE.get(op, {}))
    assert set(ours) == expected_names, op
    for name, (shape, key) in ours.items():
        want_shape, want_key = theirs.get(name) or NEWER_THAN_REAL_FILE[op][name]
        assert shape == want_shape, (op, name)
        if key is not None and want_key is not None:
            assert key == want_key, (op, name)
    for side in ("inputs", "outputs"):
        assert port_style(node["shape"][side]) == port_style(real_node["shape"][side]), (op, side)


def port_style(sockets: list[dict]) -> str:
    """'input' for a single named port, 'input#' for input0..inputN-1 in order (checked)."""
    ports = [s["port"] for s in sockets]
    base = ports[0].rstrip("0123456789")
    if ports == [base]:
        return base
    assert ports == [f"{base}{i}" for i in range(len(ports))], ports
    return f"{base}#"


def test_written_one_hot_encoder_has_the_0_20_attributes_and_ports(written):
    (model, node), = written[1]["one_hot_encoder"]
    attrs, ins, outs = ONE_HOT_ENCODER_0_20
    assert {name: kind(value) for name, value in model["attributes"].items()} == attrs
    assert model["attributes"]["category_sizes"]["int"] == [3]  # a, b + __unknown (handleInvalid=keep)
    assert [s["port"] for s in node["shape"]["inputs"]] == ins
    assert [s["port"] for s in node["shape"]["outputs"]] == outs


def test_written_string_indexer_is_the_single_column_0_20_form(written):
    (model, node), = written[1]["string_indexer"]
    attrs = model["attributes"]
    assert attrs["labels_length"] == {"int": 1}
    assert attrs["labels_array_0"] == {"string": ["a", "b"], "type": "list"}
    assert attrs["input_col"] == {"string": "c"} and attrs["output_col"] == {"string": "c_i"}


def test_written_values_use_mleaps_encodings(written):
    nodes = written[1]
    assert nodes["bucketizer"][0][0]["attributes"]["splits"] == {"double": [None, 0.0, None], "type": "list"}
    assert nodes["imputer"][0][0]["attributes"]["missing_value"] == {"double": None}  # NaN as null
    assert nodes["min_max_scaler"][0][0]["attributes"]["minValue"] == {}  # 0.0 omitted
    shape = nodes["binarizer"][0][0]["attributes"]["input_shapes"]  # the key MLeap writes and needs
    assert shape == {"data_shape": {"base": "scalar", "isNullable": True}}  # the DataFrame column is nullable
    assert nodes["normalizer"][0][0]["attributes"]["input_size"] == {"int": 5}  # c_v (2) + 3 scalars


def test_written_root_and_bundle_json_match_a_real_pipeline(written, real_bundles):
    folder, nodes = written
    (model, node), = nodes["pipeline"]
    real = json.loads((real_bundles / TITANIC / "root" / "model.json").read_text())
    assert kind(model["attributes"]["nodes"]) == kind(real["attributes"]["nodes"]) == ("list", "string")
    assert node["shape"] == {"inputs": [], "outputs": []}
    info = json.loads((folder / "bundle.json").read_text())
    real_info = json.loads((real_bundles / TITANIC / "bundle.json").read_text())
    # MLeap's keys, plus the Spark record MLeap ignores (bundles.provenance; tests/interop/test_interop_spark_record.py)
    assert set(info) == set(real_info) | {"spark"} and info["format"] == "json" and info["version"] == "0.20.0"
    children = {p.name for p in (folder / "root").iterdir() if p.is_dir()}
    assert children == {f"{name}.node" for name in model["attributes"]["nodes"]["string"]}
