"""A pipeline description: the containers of a serial inference pipeline, in request order.

File form (YAML or JSON):

    containers:
      - name: sparkml            # ContainerHostname rules: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
        kind: sparkml            # sparkml | xgboost
        model: runs/abalone/sparkml/model.tar.gz   # directory or model.tar.gz (relative to the file), or s3://
        environment: {SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: text/csv}
      - name: xgboost
        kind: xgboost
        model: runs/abalone/xgboost/model.tar.gz

A classifier's run (`--run`) adds a third container, `postprocess` (kind sparkml, the bundle and schema
under RUN/xgboost/postprocess/), which answers `class,probability` per row.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from base import storage
from base.storage import is_s3
from serving.codecs import CSV
from serving.loader import CONTAINERS

MIN_CONTAINERS, MAX_CONTAINERS = 2, 15  # SageMaker's serial pipeline bounds
POSTPROCESS = "postprocess"  # a classifier's third container, and its folder in the run's xgboost/
HOSTNAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")


class DescriptionError(ValueError):
    """A pipeline description that SageMaker would refuse, or that names missing files."""


@dataclass(frozen=True)
class Container:
    name: str
    kind: str
    model: str  # absolute path of a model directory or model.tar.gz, or an s3:// URI (deploy sagemaker only)
    environment: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "model": self.model, "environment": dict(self.environment)}


@dataclass(frozen=True)
class Pipeline:
    containers: tuple[Container, ...]

    def __post_init__(self) -> None:
        validate(self)

    def to_json(self) -> dict[str, Any]:
        return {"containers": [c.to_json() for c in self.containers]}

    def describe(self, ports: list[int] | None = None) -> str:
        """The containers in request order, as `deploy local`, `deploy sagemaker` and `demo` print them:
        `sparkml -> xgboost -> postprocess` (with ` (:port)` each when `ports` are given)."""
        return " -> ".join(f"{c.name}{f' (:{ports[i]})' if ports else ''}" for i, c in enumerate(self.containers))


def validate(pipeline: Pipeline) -> None:
    count = len(pipeline.containers)
    if not MIN_CONTAINERS <= count <= MAX_CONTAINERS:
        raise DescriptionError(f"a serial pipeline has {MIN_CONTAINERS} to {MAX_CONTAINERS} containers, got {count}")
    names = [c.name for c in pipeline.containers]
    for i, c in enumerate(pipeline.containers):
        where = f"container {i + 1} ({c.name!r})"
        if not HOSTNAME.fullmatch(c.name):
            raise DescriptionError(f"{where}: name must match {HOSTNAME.pattern} (SageMaker ContainerHostname)")
        if names.count(c.name) > 1:
            raise DescriptionError(f"{where}: name is used by more than one container")
        if c.kind not in CONTAINERS:
            raise DescriptionError(f"{where}: kind must be one of {', '.join(CONTAINERS)}, got {c.kind!r}")
        if not is_s3(c.model) and not Path(c.model).exists():
            raise DescriptionError(f"{where}: model {c.model} does not exist")
        bad = [k for k, v in c.environment.items() if not isinstance(k, str) or not isinstance(v, str)]
        if bad:
            raise DescriptionError(f"{where}: environment values must be strings (see {bad[0]!r})")


def _sparkml_env(schema: str | None) -> dict[str, str]:
    env = {"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": CSV}
    if schema:
        try:
            env["SAGEMAKER_SPARKML_SCHEMA"] = json.dumps(json.loads(storage.read_text(schema)))
        except (OSError, ValueError, storage.StorageError) as exc:
            raise DescriptionError(f"schema file {schema}: {exc}") from None
    return env


def default_pipeline(sparkml_model: str, xgboost_model: str, schema: str | None = None,
                     postprocess: tuple[str, str] | None = None) -> Pipeline:
    """SparkML -> XGBoost (-> post-processing SparkML); `schema` is a serving schema JSON file for
    SAGEMAKER_SPARKML_SCHEMA (else derived); `postprocess`: a classifier's (bundle, schema file), whose
    container turns the probabilities into `class,probability`."""
    containers = [
        Container("sparkml", "sparkml", _location(Path("."), sparkml_model), _sparkml_env(schema)),
        Container("xgboost", "xgboost", _location(Path("."), xgboost_model),
                  {"SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": CSV}),
    ]
    if postprocess:
        bundle, post_schema = postprocess
        containers.append(Container(POSTPROCESS, "sparkml", _location(Path("."), bundle), _sparkml_env(post_schema)))
    return Pipeline(tuple(containers))


def pipeline_from_options(pipeline: str | None, sparkml_model: str | None, xgboost_model: str | None,
                          schema: str | None, run: str | None = None, postprocess: bool = True) -> Pipeline:
    """The pipeline a command's options describe: `--run RUN` (a trained run folder), `--pipeline FILE`, or the
    two model flags (and `--schema`); exactly one of the three. A classifier's run ends with its
    post-processing container unless not `postprocess`."""
    given = [flag for flag, value in (("--run", run), ("--pipeline", pipeline),
                                      ("--sparkml-model/--xgboost-model", sparkml_model or xgboost_model)) if value]
    if len(given) > 1:
        raise DescriptionError(f"give one of --run, --pipeline or --sparkml-model/--xgboost-model, not "
                               f"{' and '.join(given)}")
    if pipeline:
        return load_pipeline(pipeline)
    if run:
        sparkml, xgboost, run_schema = run_models(run)
        return default_pipeline(sparkml, xgboost, schema or run_schema,
                                run_postprocess(run) if postprocess else None)
    if not (sparkml_model and xgboost_model):
        raise DescriptionError("give --run RUN (a trained run folder), or --sparkml-model and --xgboost-model, "
                               "or --pipeline FILE")
    return default_pipeline(sparkml_model, xgboost_model, schema)


def run_models(run: str) -> tuple[str, str, str | None]:
    """(bundle, XGBoost model, serving schema or None) of a trained run folder; DescriptionError saying
    which step is missing."""
    folder = Path(run)
    sparkml, xgboost, schema = (folder / "sparkml" / "model.tar.gz", folder / "xgboost" / "model.tar.gz",
                                folder / "schema.json")
    if not folder.is_dir():
        raise DescriptionError(f"--run {run}: no such folder")
    if not sparkml.is_file():
        raise DescriptionError(f"--run {run}: no {sparkml.relative_to(folder)}; make the run with "
                               f"`sparkleap preprocess --output {run} ...`")
    if not xgboost.is_file():
        raise DescriptionError(f"--run {run}: no trained model ({xgboost.relative_to(folder)}); "
                               f"run `sparkleap train --data {run}` first")
    return str(sparkml), str(xgboost), str(schema) if schema.is_file() else None


def run_postprocess(run: str) -> tuple[str, str] | None:
    """A classifier run's post-processing (bundle, schema file), written by `sparkleap train`; else None."""
    folder = Path(run) / "xgboost" / POSTPROCESS
    bundle, schema = folder / "model.tar.gz", folder / "schema.json"
    return (str(bundle), str(schema)) if bundle.is_file() and schema.is_file() else None


def add_postprocess_flag(parser) -> None:
    """`--no-postprocess`: serve a classifier run without its third container (XGBoost's own output)."""
    parser.add_argument("--no-postprocess", action="store_true",
                        help="with --run of a classifier: leave out the post-processing container that answers "
                             "`class,probability`; the pipeline then answers XGBoost's probabilities")


def _location(base: Path, model: str) -> str:
    """An s3:// URI as is; a local path made absolute (relative to `base`)."""
    return model if is_s3(model) else str((base / model).resolve())


def load_pipeline(path: str) -> Pipeline:
    """Read a YAML/JSON description; model paths are taken relative to the file's folder."""
    import yaml

    try:
        doc = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise DescriptionError(f"pipeline description {path}: {' '.join(str(exc).split())}") from None
    return pipeline_from_json(doc, base=Path(path).resolve().parent, source=path)


def pipeline_from_json(doc: Any, base: Path = Path("."), source: str = "pipeline description") -> Pipeline:
    if not isinstance(doc, dict) or not isinstance(doc.get("containers"), list):
        raise DescriptionError(f'{source}: expected an object with a "containers" list')
    containers = []
    for i, item in enumerate(doc["containers"]):
        if not isinstance(item, dict) or not {"kind", "model"} <= item.keys():
            raise DescriptionError(f'{source}: container {i + 1} needs at least "kind" and "model"')
        unknown = set(item) - {"name", "kind", "model", "environment"}
        if unknown:
            raise DescriptionError(f"{source}: container {i + 1}: unknown field(s) {', '.join(sorted(unknown))}")
        env = item.get("environment") or {}
        if not isinstance(env, dict):
            raise DescriptionError(f"{source}: container {i + 1}: environment must be a mapping")
        containers.append(Container(str(item.get("name") or item["kind"]), str(item["kind"]),
                                    _location(base, str(item["model"])),
                                    {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in env.items()}))
    return Pipeline(tuple(containers))


def schema_order(pipeline: Pipeline) -> str:
    """One line saying in which column order the pipeline's sparkml container reads requests, and where that
    order comes from (a schema file or derived from the bundle); "" when it has no sparkml container."""
    sparkml = next((c for c in pipeline.containers if c.kind == "sparkml"), None)
    if sparkml is None:
        return ""
    schema = sparkml.environment.get("SAGEMAKER_SPARKML_SCHEMA")
    source = "from the schema file (SAGEMAKER_SPARKML_SCHEMA)"
    if not schema:
        from bundles import BundleError, load_bundle

        try:
            schema = json.dumps(load_bundle(sparkml.model).serving_schema())
        except (BundleError, OSError):
            return ""
        source = ("derived from the bundle, in the order its ops first read them: if your rows differ, pass "
                  "--schema FILE")
    return order_line(schema, source)


def order_line(schema: str, source: str) -> str:
    names = [c.get("name", "?") for c in json.loads(schema).get("input", [])]
    return f"requests send the columns in this order: {', '.join(names)} ({source})"
