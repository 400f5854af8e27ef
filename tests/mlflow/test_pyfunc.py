"""`sparkleap.mlflow` through MLflow's pyfunc API: Spark's outputs without a JVM, the signature, the
requirements, MLflow's schema errors, bundles given as paths, save/load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.exceptions import MlflowException

import sparkleap.mlflow
from tests.mlflow.conftest import rows


def assert_probabilities_match(got: pd.Series, want: pd.Series) -> None:
    """Spark's probabilities go through Java's `Math.exp`, which no C library reproduces: within the stated
    relative 1e-12 (jvm/java_math.py), bit for bit for all but about 0.3 % of arguments."""
    np.testing.assert_allclose(np.array(got.tolist()), np.array(want.tolist()), rtol=1e-12, atol=0)


def test_pyfunc_predict_equals_spark_on_the_same_rows(spark, fitted, logged_uri):
    model = mlflow.pyfunc.load_model(logged_uri)
    batch = rows(40, seed=7).drop(columns="label")
    got = model.predict(batch, params={"outputs": ["prediction", "probability", "features"]})
    want = fitted.spark_outputs(spark, batch, ["prediction", "probability", "features"])
    assert list(got.columns) == ["prediction", "probability", "features"]
    assert got["prediction"].tolist() == want["prediction"].tolist()
    assert_probabilities_match(got["probability"], want["probability"])
    assert got["features"].tolist() == want["features"].tolist()


def test_default_output_is_the_prediction_one_row_too(spark, fitted, logged_uri):
    model = mlflow.pyfunc.load_model(logged_uri)
    one = fitted.rows.iloc[[5]]
    got = model.predict(one)
    assert list(got.columns) == ["prediction"] and got.index.tolist() == [5]
    assert got["prediction"].tolist() == fitted.spark_outputs(spark, one, ["prediction"])["prediction"].tolist()
    columns = ["prediction", "probability", "features", "color_vec"]  # the single-row path: every output kind
    got = model.predict(one, params={"outputs": columns})
    want = fitted.spark_outputs(spark, one, columns)
    assert all(got[c].tolist() == want[c].tolist() for c in columns if c != "probability")
    assert_probabilities_match(got["probability"], want["probability"])


def test_signature_comes_from_the_bundles_serving_schema(logged_uri):
    model = mlflow.pyfunc.load_model(logged_uri)
    signature = model.metadata.signature
    assert signature.inputs.to_dict() == [{"type": "string", "name": "color", "required": True},
                                          {"type": "double", "name": "size", "required": True},
                                          {"type": "double", "name": "age", "required": True}]
    assert signature.outputs.to_dict() == [{"type": "double", "name": "prediction", "required": True}]
    assert signature.params.to_dict() == [{"name": "outputs", "default": ["prediction"], "shape": (-1,),
                                           "type": "string"}]
    assert list(model.input_example.columns) == ["color", "size", "age"] and len(model.input_example) == 3


def test_requirements_hold_the_serving_install_without_pyspark(logged_uri, tmp_path):
    local = Path(mlflow.artifacts.download_artifacts(logged_uri, dst_path=str(tmp_path)))
    names = {line.split("==")[0] for line in (local / "requirements.txt").read_text().split()}
    assert names == {"mlflow-skinny", "numpy", "pandas"}
    assert "pyspark" not in (local / "conda.yaml").read_text()
    code = sorted(p.name for p in (local / "code").iterdir())
    assert code == ["base", "bundles", "jvm", "sparkleap"]
    assert sorted(p.name for p in (local / "code" / "sparkleap").iterdir()) == ["__init__.py", "mlflow.py"]
    assert (local / "bundle" / "bundle.json").is_file()


NO_SPARK = """
import json, sys
import pandas as pd

class NoSpark:  # pyspark, py4j and scipy (absent from the serving install) cannot be imported in this process
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pyspark", "py4j", "scipy"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NoSpark())
import mlflow.pyfunc

model = mlflow.pyfunc.load_model(sys.argv[1])
rows = pd.read_parquet(sys.argv[2])
out = model.predict(rows, params={"outputs": ["prediction", "probability"]})
print(json.dumps({"bundles": sys.modules["bundles"].__file__, **out.to_dict(orient="list")}))
"""


def score_without_spark(model_path: str, batch: pd.DataFrame, tmp_path: Path) -> dict:
    """`NO_SPARK` run on `batch` in a fresh interpreter without this checkout on its path: the outputs, and
    `bundles`: where the runtime was imported from."""
    batch.to_parquet(tmp_path / "rows.parquet")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", NO_SPARK, model_path, str(tmp_path / "rows.parquet")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_model_scores_where_pyspark_cannot_be_imported_with_the_code_it_carries(spark, fitted, logged_uri,
                                                                                    tmp_path):
    local = mlflow.artifacts.download_artifacts(logged_uri, dst_path=str(tmp_path / "model"))
    batch = fitted.rows.head(4)
    got = score_without_spark(local, batch, tmp_path)
    assert got.pop("bundles").startswith(str(Path(local) / "code"))
    want = fitted.spark_outputs(spark, batch, ["prediction", "probability"])
    assert got == {"prediction": want["prediction"].tolist(), "probability": want["probability"].tolist()}


PIXAR = "real_bundles/combust__mleap@deec845e/mleap-xgboost-runtime/src/main/resources/pixar_movie_mleap_bundle.zip"


def test_an_xgboost_bundle_needs_no_scipy_and_scores_without_it(shared, tracking, tmp_path):
    sparkleap.mlflow.save_model(str(shared / PIXAR), tmp_path / "m", outputs=["prediction", "probability"])
    names = {line.split("==")[0] for line in (tmp_path / "m" / "requirements.txt").read_text().split()}
    assert names == {"mlflow-skinny", "numpy", "pandas"}  # the xgboost ops' logistic and softmax: bundles.f32math
    batch = pd.DataFrame({"long_feature": [1.0, 0.0, 3.0, 100.0, -3.0], "double_feature": [2.5, -1.0, 0.0, 0.1, 1e6]})
    got = score_without_spark(str(tmp_path / "m"), batch, tmp_path)
    assert got.pop("bundles").startswith(str(tmp_path / "m" / "code"))
    frame = sparkleap.mlflow.load_model(str(tmp_path / "m")).transform(
        {"long_feature": batch["long_feature"].to_numpy(), "double_feature": batch["double_feature"].to_numpy()})
    assert got == {"prediction": frame.columns["prediction"].tolist(),
                   "probability": frame.columns["probability"].tolist()}


def pyfunc_error(model, frame: pd.DataFrame, **kwargs) -> MlflowException:
    with pytest.raises(MlflowException) as caught:
        model.predict(frame, **kwargs)
    frames = "".join(traceback.format_tb(caught.value.__traceback__))
    assert "/bundles/" not in frames  # raised before the runtime ran
    return caught.value


def test_a_missing_column_is_mlflows_schema_error(fitted, logged_uri):
    error = pyfunc_error(mlflow.pyfunc.load_model(logged_uri), fitted.rows.drop(columns="size").head(2))
    assert "Model is missing inputs ['size']" in error.message


def test_a_wrong_type_is_mlflows_schema_error(fitted, logged_uri):
    model = mlflow.pyfunc.load_model(logged_uri)
    bad = fitted.rows.head(2).astype({"size": object})
    bad.loc[bad.index[1], "size"] = "big"
    error = pyfunc_error(model, bad)
    assert "Failed to enforce schema" in error.message and "size" in error.message
    ints = fitted.rows.head(2).astype({"age": np.int64})
    assert "Can not safely convert int64 to float64" in pyfunc_error(model, ints).message


def test_an_unknown_output_is_refused_naming_the_bundles_columns(fitted, logged_uri):
    model = mlflow.pyfunc.load_model(logged_uri)
    with pytest.raises(MlflowException, match=r"unknown output column\(s\) \['proba'\].*probability"):
        model.predict(fitted.rows.head(1), params={"outputs": ["proba"]})


def test_a_value_the_bundle_refuses_is_an_mlflow_error_naming_it(fitted, logged_uri):
    unseen = fitted.rows.head(2).copy()
    unseen.loc[unseen.index[1], "color"] = "purple"
    with pytest.raises(MlflowException, match="the bundle refused the input.*purple"):
        mlflow.pyfunc.load_model(logged_uri).predict(unseen)


def test_a_bundle_path_saves_and_loads_through_pyfunc_and_the_flavor(spark, fitted, tmp_path):
    from sparkleap.pyspark import serialize_to_bundle

    archive = serialize_to_bundle(fitted.model, tmp_path / "model.zip", fitted.sample)
    sparkleap.mlflow.save_model(archive, tmp_path / "saved", outputs=["prediction", "probability"])
    bundle = sparkleap.mlflow.load_model(str(tmp_path / "saved"))
    assert bundle.serving_schema()["output"]["name"] == "prediction"
    got = mlflow.pyfunc.load_model(str(tmp_path / "saved")).predict(fitted.rows)
    want = fitted.spark_outputs(spark, fitted.rows, ["prediction", "probability"])
    assert got["prediction"].tolist() == want["prediction"].tolist()
    assert_probabilities_match(got["probability"], want["probability"])
    with pytest.raises(MlflowException, match="already exists and is not empty"):
        sparkleap.mlflow.save_model(archive, tmp_path / "saved")


def test_a_spark_model_without_sample_or_example_is_refused_and_nothing_is_left(fitted, tmp_path):
    with pytest.raises(MlflowException, match="needs `sample`"):
        sparkleap.mlflow.save_model(fitted.model, tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_a_pandas_input_example_alone_sizes_a_spark_model_on_the_active_session(spark, fitted, tmp_path):
    example = fitted.rows.head(4).astype({"age": np.int64})  # integers where the bundle reads doubles
    sparkleap.mlflow.save_model(fitted.model, tmp_path / "m", input_example=example)
    model = mlflow.pyfunc.load_model(str(tmp_path / "m"))
    assert model.input_example["age"].dtype == np.float64  # stored as the signature takes it
    want = fitted.spark_outputs(spark, fitted.rows, ["prediction"])["prediction"].tolist()
    assert model.predict(fitted.rows)["prediction"].tolist() == want


def test_token_and_vector_inputs_are_array_columns_scored_like_spark(spark, tmp_path):
    from pyspark.ml import PipelineModel
    from pyspark.ml.feature import HashingTF, VectorAssembler
    from pyspark.ml.linalg import Vectors

    rows_in = [(["a", "b", "a"], Vectors.dense([1.0, 2.5])), (["c"], Vectors.dense([0.0, -1.0]))]
    sample = spark.createDataFrame(rows_in, ["tokens", "v"])
    model = PipelineModel([HashingTF(inputCol="tokens", outputCol="tf", numFeatures=16),
                           VectorAssembler(inputCols=["tf", "v"], outputCol="features")])
    sparkleap.mlflow.save_model(model, tmp_path / "m", sample=sample)
    pyfunc = mlflow.pyfunc.load_model(str(tmp_path / "m"))
    assert pyfunc.metadata.signature.inputs.to_dict() == [
        {"type": "array", "items": {"type": "string"}, "name": "tokens", "required": True},
        {"type": "array", "items": {"type": "double"}, "name": "v", "required": True}]
    frame = pd.DataFrame({"tokens": [["a", "b", "a"], ["c"]], "v": [[1.0, 2.5], [0.0, -1.0]]})
    got = pyfunc.predict(frame)["features"].tolist()
    want = [r.features.toArray().tolist() for r in model.transform(sample).select("features").collect()]
    assert got == want
    assert pyfunc.predict(frame.iloc[[1]])["features"].tolist() == want[1:]  # the single-row path


@pytest.mark.parametrize(("model", "message"), [("/nonexistent/model.zip", "no such bundle"),
                                                ({"not": "a model"}, "expected a fitted PySpark model")])
def test_what_is_not_a_model_is_refused_before_anything_is_written(model, message, tmp_path):
    with pytest.raises(MlflowException, match=message):
        sparkleap.mlflow.save_model(model, tmp_path / "m")
    assert not (tmp_path / "m").exists()
