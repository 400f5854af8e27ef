"""An MLflow flavor: a fitted Spark pipeline (or a Bundle.ML bundle) logged as a JVM-free pyfunc model.

    import sparkleap.mlflow
    info = sparkleap.mlflow.log_model(pipeline_model, "model", sample=train_df.limit(100))
    mlflow.pyfunc.load_model(info.model_uri).predict(pandas_df)                 # the bundle runtime, no Spark
    mlflow.pyfunc.load_model(info.model_uri).predict(pandas_df, params={"outputs": ["probability"]})

The model folder holds the bundle (`bundle/`, a Bundle.ML folder), the code that scores it (`code/`: the
`base`, `bundles` and `sparkleap` packages' runtime modules, so the model loads wherever mlflow, NumPy and
pandas are installed) and requirements without pyspark. Its signature comes from the bundle's serving schema:
one input column per raw input (string, double, long, boolean; vectors and token lists as arrays), the default
outputs as the output schema, and a list-of-strings param `outputs` choosing which columns the bundle returns.
MLflow enforces that signature before the bundle runs, so a missing column or a wrong type is MLflow's own
schema error (HTTP 400 from `mlflow models serve`); a value the bundle refuses is an MlflowException too.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from mlflow.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS, MlflowException
from mlflow.models import Model, ModelSignature
from mlflow.models.model import MLMODEL_FILE_NAME
from mlflow.models.utils import _save_example
from mlflow.pyfunc import add_to_model
from mlflow.types.schema import Array, ColSpec, DataType, Map, ParamSchema, ParamSpec, Schema
from mlflow.utils.environment import (
    _CONDA_ENV_FILE_NAME,
    _PYTHON_ENV_FILE_NAME,
    _REQUIREMENTS_FILE_NAME,
    _process_pip_requirements,
    _PythonEnv,
)

from base.atomic import atomic_path
from bundles import Bundle, BundleError, TransformError, archive, load_bundle
from bundles.context import DEFAULT_TARGET
from bundles.frame import object_column
from jvm.vectors import SparseMatrix, SparseVector, dense_matrix

FLAVOR_NAME = "sparkleap"
BUNDLE_DIR = "bundle"
CODE_DIR = "code"
OUTPUTS_PARAM = "outputs"
REPO = Path(__file__).resolve().parents[1]
# What scoring needs: these packages' modules (no pyspark, no serving stack) and these distributions.
CODE = {"base": None, "jvm": None, "bundles": None, "sparkleap": ("__init__.py", "mlflow.py")}
SERVING_REQUIREMENTS = ("mlflow-skinny", "numpy", "pandas")
# Serving-schema types -> MLflow column types. Narrow integers and float32 take the wider type, so that
# pandas' default int64/float64 columns pass MLflow's enforcement; the bundle gets them narrowed back.
MLFLOW_TYPES = {"string": DataType.string, "boolean": DataType.boolean, "double": DataType.double,
                "float": DataType.double, "byte": DataType.long, "short": DataType.long, "int": DataType.long,
                "long": DataType.long}
NUMPY_TYPES = {"string": object, "boolean": np.bool_, "double": np.float64, "float": np.float32}


class BundleModel:
    """The pyfunc implementation: pandas rows in, the chosen output columns of the bundle out (one row per
    kept input row, indexed like the input; vectors as lists of floats)."""

    def __init__(self, bundle: Bundle, outputs: list[str]) -> None:
        self.bundle = bundle
        self.schema = bundle.serving_schema()
        self.producers = producers_of(bundle)
        self.outputs = check_outputs(outputs, self.producers)

    def predict(self, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:
        if not isinstance(model_input, pd.DataFrame):
            model_input = pd.DataFrame(model_input)
        outputs = check_outputs((params or {}).get(OUTPUTS_PARAM) or self.outputs, self.producers)
        try:
            if len(model_input) == 1:  # the bundle's single-row path: microseconds where a batch takes 0.3 ms
                result = self.bundle.transform_row(input_row(self.schema, model_input))
                values = {name: [row_value(result[name])] for name in outputs} if result else dict.fromkeys(outputs, [])
                return pd.DataFrame(values, index=model_input.index[: 1 if result else 0])
            frame = self.bundle.transform(input_columns(self.schema, model_input))
        except (TransformError, BundleError) as exc:
            raise MlflowException(f"the bundle refused the input: {exc}", INVALID_PARAMETER_VALUE) from None
        index = model_input.index[frame.rows]
        return pd.DataFrame({name: output_values(frame.columns[name]) for name in outputs}, index=index)


def producers_of(bundle: Bundle) -> dict[str, Any]:
    """Every column the bundle produces -> the op producing it."""
    return {col: op for op in bundle.ops for col in op.shape.output_cols}


def check_outputs(outputs: list[str] | str, producers: dict) -> list[str]:
    """The requested output columns, each one the bundle produces; else an MlflowException naming them."""
    names = [outputs] if isinstance(outputs, str) else list(outputs)
    unknown = [n for n in names if n not in producers]
    if unknown or not names:
        raise MlflowException(f"unknown output column(s) {unknown or names}: the bundle produces "
                              f"{', '.join(producers)}", INVALID_PARAMETER_VALUE)
    return names


def input_columns(schema: dict, frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The bundle's input columns from a DataFrame that passed MLflow's schema enforcement."""
    columns = {}
    for col in schema["input"]:
        name, struct = col["name"], col.get("struct", "basic")
        values = frame[name]
        if struct == "vector":
            try:
                columns[name] = np.array(values.tolist(), dtype=np.float64).reshape(len(frame), -1)
            except ValueError:
                raise MlflowException(f"column {name!r}: vectors of different lengths", INVALID_PARAMETER_VALUE) \
                    from None
        elif struct in ("array", "map"):
            columns[name] = object_column([v.tolist() if isinstance(v, np.ndarray) else v for v in values])
        else:
            columns[name] = values.to_numpy(dtype=NUMPY_TYPES.get(col["type"], np.int64))
    return columns


def input_row(schema: dict, frame: pd.DataFrame) -> dict[str, Any]:
    """The one row of `frame` as the plain Python values of the bundle's single-row path (float inputs as
    numpy.float32, vectors and token lists as lists)."""
    row = {}
    for col in schema["input"]:
        value = frame[col["name"]].iloc[0]
        if isinstance(value, np.ndarray):
            value = value.tolist()
        elif col.get("struct", "basic") == "basic" and value is not None:
            value = np.float32(value) if col["type"] == "float" else value.item() if isinstance(value, np.generic) \
                else value
        row[col["name"]] = value
    return row


def row_value(value: Any) -> Any:
    """A single-row output as pandas takes it: vectors (sparse too) as lists of floats, NumPy scalars plain."""
    if isinstance(value, SparseVector):
        return value.dense()
    return value.tolist() if isinstance(value, np.ndarray | np.generic) else value


def output_values(column: np.ndarray | SparseMatrix) -> Any:
    """A bundle column as pandas values: vectors (2-D or sparse) become one list of floats per row."""
    if isinstance(column, SparseMatrix) or column.ndim == 2:
        return dense_matrix(column).tolist()
    return column


def _load_pyfunc(data_path: str, model_config: dict | None = None) -> BundleModel:
    """MLflow's pyfunc entry point: the bundle in `data_path`; `model_config` may set `outputs`."""
    bundle = load_bundle(data_path)
    outputs = (model_config or {}).get(OUTPUTS_PARAM) or [bundle.serving_schema()["output"]["name"]]
    return BundleModel(bundle, outputs)


def _col_type(column: dict) -> DataType | Array | Map:
    struct, kind = column.get("struct", "basic"), MLFLOW_TYPES.get(column["type"], DataType.double)
    return kind if struct == "basic" else Map(kind) if struct == "map" else Array(kind)


def signature_of(bundle: Bundle, outputs: list[str]) -> ModelSignature:
    """Inputs from the bundle's serving schema, outputs the chosen columns, and the `outputs` param."""
    producers = producers_of(bundle)
    inputs = Schema([ColSpec(_col_type(c), c["name"]) for c in bundle.serving_schema()["input"]])
    result = Schema([ColSpec(_col_type({"type": producers[n].output_type_of(n),
                                        "struct": producers[n].output_struct_of(n)}), n) for n in outputs])
    params = ParamSchema([ParamSpec(OUTPUTS_PARAM, DataType.string, outputs, shape=(-1,))])
    return ModelSignature(inputs=inputs, outputs=result, params=params)


def serving_requirements() -> list[str]:
    """The serving install, pinned to the versions in this environment: mlflow-skinny, NumPy, pandas, for
    every bundle (the xgboost ops' logistic and softmax are `bundles.f32math`, no SciPy). No pyspark."""
    return [f"{name}=={importlib.metadata.version(name)}" for name in SERVING_REQUIREMENTS]


def copy_code(dest: Path) -> None:
    """The runtime's source packages into `dest` (the model's code directory, put on sys.path at load)."""
    for package, files in CODE.items():
        source = REPO / package
        if files is None:
            shutil.copytree(source, dest / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            (dest / package).mkdir(parents=True)
            for name in files:
                shutil.copy2(source / name, dest / package / name)


def write_bundle(model: Any, dest: Path, sample: Any, target: str) -> None:
    """`model` into the folder `dest`: a bundle path is unpacked or copied; a fitted PySpark model is
    exported by the project's own writer (no MLeap JAR), `sample` giving its vector sizes."""
    if isinstance(model, str | os.PathLike):
        folder, tmp = archive.open_bundle_dir(model)
        try:
            shutil.copytree(folder, dest)
        finally:
            if tmp is not None:
                tmp.cleanup()
        return
    from bundles import save_bundle
    from bundles.spark import bundle_from_spark

    save_bundle(bundle_from_spark(model, sample, target=target), dest, target=target)


def check_model(model: Any, sample: Any) -> None:
    """Refuse, before anything is written, what `write_bundle` cannot take."""
    if isinstance(model, str | os.PathLike):
        if not Path(model).exists():
            raise MlflowException(f"{model}: no such bundle (a folder, .zip or model.tar.gz)", INVALID_PARAMETER_VALUE)
    elif not hasattr(model, "transform") or not hasattr(model, "uid"):
        raise MlflowException(f"expected a fitted PySpark model or a bundle path, got {type(model).__name__}",
                              INVALID_PARAMETER_VALUE)
    elif sample is None:
        raise MlflowException("a PySpark model needs `sample` (a Spark DataFrame of its input) or a pandas "
                              "`input_example` with every input column, to size its vectors", INVALID_PARAMETER_VALUE)


def spark_sample(input_example: Any) -> Any:
    """A Spark DataFrame of the input example (pandas), on the active SparkSession; None without one."""
    if not isinstance(input_example, pd.DataFrame):
        return None
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    return spark.createDataFrame(input_example) if spark is not None else None


def save_model(model: Any, path: str | os.PathLike, input_example: Any = None, *, sample: Any = None,
               outputs: list[str] | None = None, target: str = DEFAULT_TARGET, mlflow_model: Model | None = None,
               pip_requirements: list[str] | None = None, extra_pip_requirements: list[str] | None = None,
               metadata: dict | None = None) -> None:
    """Save `model` (a fitted PySpark PipelineModel or single model, or a bundle path: folder, .zip,
    SageMaker model.tar.gz) as an MLflow model folder at `path`.

    `sample`: a Spark DataFrame of the model's input (PySpark models; a pandas `input_example` on the active
    SparkSession serves otherwise). `input_example`: a few input rows (pandas), stored with the model and
    checked by MLflow when logging. `outputs`: the columns predict returns by default (any column the bundle
    produces; default: the serving schema's output, the prediction for a model)."""
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise MlflowException(f"Path '{path}' already exists and is not empty", RESOURCE_ALREADY_EXISTS)
    if not isinstance(model, str | os.PathLike) and sample is None:
        sample = spark_sample(input_example)
    check_model(model, sample)
    with atomic_path(path) as folder:  # the model folder appears whole or not at all
        folder.mkdir()
        write_bundle(model, folder / BUNDLE_DIR, sample, target)
        bundle = load_bundle(folder / BUNDLE_DIR)
        outputs = check_outputs(outputs or [bundle.serving_schema()["output"]["name"]], producers_of(bundle))
        copy_code(folder / CODE_DIR)
        mlflow_model = mlflow_model or Model()
        signature = signature_of(bundle, outputs)
        _save_example(mlflow_model, example_of(input_example, signature.inputs), str(folder))
        mlflow_model.signature = signature
        if metadata is not None:
            mlflow_model.metadata = metadata
        add_to_model(mlflow_model, loader_module=__name__, data=BUNDLE_DIR, code=CODE_DIR,
                     python_env=_PYTHON_ENV_FILE_NAME, conda_env=_CONDA_ENV_FILE_NAME,
                     model_config={OUTPUTS_PARAM: outputs})
        mlflow_model.add_flavor(FLAVOR_NAME, bundle=BUNDLE_DIR, bundle_version=bundle.info.get("version"),
                                outputs=list(outputs))
        mlflow_model.save(str(folder / MLMODEL_FILE_NAME))
        write_environment(folder, pip_requirements or serving_requirements(), extra_pip_requirements)


def example_of(input_example: Any, inputs: Schema) -> Any:
    """A pandas input example restricted to the signature's columns, integer columns the bundle reads as
    doubles cast to float (MLflow refuses int64 for a double column); anything else as given."""
    names = [c.name for c in inputs.inputs]
    if not isinstance(input_example, pd.DataFrame) or not set(names) <= set(input_example.columns):
        return input_example
    example = input_example[names].copy()
    for col in inputs.inputs:
        if col.type == DataType.double and pd.api.types.is_integer_dtype(example[col.name]):
            example[col.name] = example[col.name].astype(np.float64)
    return example


def write_environment(path: Path, requirements: list[str], extra: list[str] | None) -> None:
    """requirements.txt, conda.yaml and python_env.yaml, as MLflow's own flavors write them."""
    import yaml

    conda_env, pip_reqs, _ = _process_pip_requirements(requirements, None, extra)
    (path / _CONDA_ENV_FILE_NAME).write_text(yaml.safe_dump(conda_env, default_flow_style=False))
    (path / _REQUIREMENTS_FILE_NAME).write_text("\n".join(pip_reqs))
    _PythonEnv.current().to_yaml(str(path / _PYTHON_ENV_FILE_NAME))


def log_model(model: Any, name: str, input_example: Any = None, *, sample: Any = None,
              outputs: list[str] | None = None, target: str = DEFAULT_TARGET,
              registered_model_name: str | None = None, **kwargs: Any) -> Any:
    """Log `model` (fitted PySpark model or bundle path) to the active run (started when none is) as a
    bundle-backed pyfunc model named `name`; returns MLflow's ModelInfo (`.model_uri` to load it).
    Arguments as for `save_model`; other keyword arguments (tags, params, metadata...) go to MLflow."""
    return Model.log(artifact_path=None, name=name, flavor=sys.modules[__name__],
                     registered_model_name=registered_model_name, model=model, input_example=input_example,
                     sample=sample, outputs=outputs, target=target, **kwargs)


def load_model(model_uri: str, dst_path: str | None = None) -> Bundle:
    """The logged model's bundle (a `bundles.Bundle`: `.transform`, `.transform_row`, `.serving_schema()`)."""
    from mlflow.tracking.artifact_utils import _download_artifact_from_uri

    local = Path(_download_artifact_from_uri(model_uri, output_path=dst_path))
    conf = Model.load(str(local / MLMODEL_FILE_NAME)).flavors.get(FLAVOR_NAME)
    if conf is None:
        raise MlflowException(f"{model_uri}: not a {FLAVOR_NAME} model (no {FLAVOR_NAME!r} flavor in its MLmodel)",
                              INVALID_PARAMETER_VALUE)
    return load_bundle(local / conf["bundle"])
