"""The writer's public face: `sparkleap bundle export` and `import sparkleap.pyspark` (serializeToBundle)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import bundles
from sparkleap.cli import main


@pytest.fixture(scope="module")
def forest(spark):
    """A small PipelineModel (assembler + random forest classifier) and its input DataFrame."""
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import RandomForestClassifier
    from pyspark.ml.feature import VectorAssembler

    rng = np.random.default_rng(3)
    rows = [(float(a), float(b), float(a + b > 0)) for a, b in rng.normal(size=(40, 2))]
    df = spark.createDataFrame(rows, ["a", "b", "label"])
    model = Pipeline(stages=[VectorAssembler(inputCols=["a", "b"], outputCol="features"),
                             RandomForestClassifier(numTrees=3, maxDepth=3, seed=1)]).fit(df)
    return model, df


def test_serialize_to_bundle_on_a_model_is_ours_even_after_mleap_patched_it(forest, tmp_path):
    import mleap.pyspark.spark_support  # noqa: F401  (patches Transformer.serializeToBundle to its JVM serializer)

    import sparkleap.pyspark  # noqa: F401

    model, df = forest
    model.serializeToBundle(f"jar:file:{tmp_path / 'model.zip'}", model.transform(df))  # MLeap's usage
    bundle = bundles.load_bundle(tmp_path / "model.zip")
    assert [op.op_name for op in bundle.ops] == ["vector_assembler", "random_forest_classifier"]
    want = [r.probability.toArray().tolist() for r in model.transform(df).select("probability").collect()]
    got = bundle.transform({"a": np.array([r.a for r in df.collect()]), "b": np.array([r.b for r in df.collect()])})
    np.testing.assert_array_equal(got.columns["probability"], want)


def test_serialize_to_bundle_function_takes_the_raw_input_too(forest, tmp_path):
    from sparkleap.pyspark import serialize_to_bundle

    model, df = forest
    path = serialize_to_bundle(model.stages[-1], tmp_path / "rf", model.stages[0].transform(df), target="0.9")
    assert bundles.load_bundle(path).info["version"] == "0.9.6"


def test_a_stage_with_no_bundle_form_is_one_line_naming_its_class(spark, tmp_path, capsys):
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import SQLTransformer

    df = spark.createDataFrame([(1.0,)], ["x"])
    Pipeline(stages=[SQLTransformer(statement="SELECT x * 2 AS y FROM __THIS__")]).fit(df).write().save(
        str(tmp_path / "m"))
    df.toPandas().to_csv(tmp_path / "s.csv", index=False)
    assert main(["bundle", "export", "--model", str(tmp_path / "m"), "--sample", str(tmp_path / "s.csv"),
                 "--output", str(tmp_path / "out.zip")]) == 2
    err = capsys.readouterr().err
    # one line naming the class and why (a known refusal gives its reason, any other lists what is supported)
    assert err.count("\n") == 1 and "SQLTransformer" in err and "no Bundle.ML form" in err
    assert not (tmp_path / "out.zip").exists()


@pytest.mark.parametrize("model, sample, message", [
    ("missing", "s.csv", "not a saved Spark model"),
    ("model", "missing.csv", "no such file"),
    ("model", "s.txt", "must be a .csv file"),
])
def test_bad_export_arguments_fail_in_one_line_before_spark_starts(tmp_path, model, sample, message):
    (tmp_path / "model" / "metadata").mkdir(parents=True)
    (tmp_path / "model" / "metadata" / "part-00000").write_text('{"class":"org.apache.spark.ml.PipelineModel"}\n')
    (tmp_path / "s.csv").write_text("x\n1\n")
    (tmp_path / "s.txt").write_text("x\n1\n")
    result = subprocess.run([sys.executable, "-m", "sparkleap.cli", "bundle", "export", "--model",
                             str(tmp_path / model), "--sample", str(tmp_path / sample), "--output",
                             str(tmp_path / "o.zip")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_inspect_shows_tree_parameters(forest, tmp_path, capsys):
    import sparkleap.pyspark  # noqa: F401

    model, df = forest
    model.serializeToBundle(str(tmp_path / "m.zip"), df)
    assert main(["bundle", "inspect", str(tmp_path / "m.zip")]) == 0
    ops = json.loads(capsys.readouterr().out)["ops"]
    assert ops[-1]["params"] == {"num_features": 2, "trees": 3, "max_depth": ops[-1]["params"]["max_depth"],
                                 "nodes": ops[-1]["params"]["nodes"], "num_classes": 2}
    assert 1 <= ops[-1]["params"]["max_depth"] <= 3


def test_spark_4_metadata_part_files_are_read(tmp_path):
    """Spark 4 saves metadata as a DataFrame: `part-<n>-<uuid>-c000.txt` files (an empty one possible), `.crc`
    companions and `_SUCCESS`; Spark 3.5 writes a bare `part-00000`."""
    from sparkleap.bundle_cli import spark_model_class

    metadata = tmp_path / "model" / "metadata"
    metadata.mkdir(parents=True)
    uuid = "3f1c7a52-9e0b-4c55-8a61-2d9f0e6b7c10"
    (metadata / f"part-00000-{uuid}-c000.txt").write_text("")
    (metadata / f"part-00001-{uuid}-c000.txt").write_text('{"class":"org.apache.spark.ml.PipelineModel"}\n')
    (metadata / f".part-00001-{uuid}-c000.txt.crc").write_bytes(b"\x00")
    (metadata / "_SUCCESS").write_text("")
    assert spark_model_class(tmp_path / "model") == "org.apache.spark.ml.PipelineModel"
