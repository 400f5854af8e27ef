"""One small model of each family the images serve, fitted with real Spark (and xgboost.spark) on one made-up
data set, exported as SageMaker model.tar.gz files:

- sparkml image (MLeap bundles from `bundle_from_spark`): features (the SDK's Titanic bundle), random forest,
  GBT, logistic regression, xgboost binary and multi-class (`SparkXGBClassifier`), text (Tokenizer, HashingTF,
  IDF, logistic regression); classifiers answer their probability vector;
- xgboost image (`xgboost-model` files): a regression booster, and the boosters of the two
  SparkXGBClassifiers.

`Family.body(n)` gives n request rows (cycling through the data) in the family's schema order.
`cached_families(shared, spark)` fits them once per change of this file, of bundles/ (the exporter) or of the
Spark and XGBoost versions, kept in .cache/image-families/<hash of those>/ (Spark starts only on a miss).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

import bundles
from bundles.spark import bundle_from_spark
from tests.helpers.servers import REPO, TITANIC_MODEL, TITANIC_SCHEMA, write_model_tar

CACHE = REPO / ".cache" / "image-families"
KEEP = 3  # fitted sets kept (most recently used)
WORDS = ["good", "bad", "fine", "late", "early", "the", "a", "very", "service", "food"]
SIZES = (1, 10, 1000)


@dataclass(frozen=True)
class Family:
    name: str
    model: Path  # model.tar.gz
    env: dict[str, str]  # the container's environment (the SparkML schema)
    rows: list[str]  # CSV lines, one per data row, in the schema's input order

    def body(self, count: int) -> str:
        return "\n".join(self.rows[i % len(self.rows)] for i in range(count))


def data(count: int = 60) -> list[dict]:
    rng = np.random.default_rng(7)
    rows = []
    for i in range(count):
        x1, x2 = float(np.round(rng.normal(), 3)), float(np.round(rng.uniform(-2, 2), 3))
        score = x1 + 0.5 * x2 + (0.8 if i % 3 == 0 else 0.0)
        text = " ".join(rng.choice(WORDS[:5] if score > 0 else WORDS[3:], size=4))
        rows.append({"cat": "abc"[i % 3], "x1": x1, "x2": x2, "text": text, "label": float(score > 0),
                     "label3": float(np.digitize(score, [-0.5, 0.5]))})
    return rows


def _csv(rows: list[dict], names: list[str]) -> list[str]:
    return [",".join(repr(r[n]) if isinstance(r[n], float) else r[n] for n in names) for r in rows]


def fit_families(spark, shared: Path, folder: Path) -> dict[str, dict[str, Family]]:
    """image -> family name -> Family; each Spark pipeline fitted once (the xgboost image serves the boosters
    of the sparkml image's xgboost pipelines, on their assembled features)."""
    from pyspark.ml import Pipeline
    from pyspark.ml.classification import GBTClassifier, LogisticRegression, RandomForestClassifier
    from pyspark.ml.feature import IDF, HashingTF, StringIndexer, Tokenizer, VectorAssembler
    from xgboost.spark import SparkXGBClassifier

    rows = data()
    frame = spark.createDataFrame(rows)
    features = [StringIndexer(inputCol="cat", outputCol="cat_i"),
                VectorAssembler(inputCols=["cat_i", "x1", "x2"], outputCol="features")]
    text = [Tokenizer(inputCol="text", outputCol="words"), HashingTF(inputCol="words", outputCol="tf", numFeatures=32),
            IDF(inputCol="tf", outputCol="tfidf")]
    pipelines = {
        "forest": features + [RandomForestClassifier(numTrees=5, maxDepth=3, seed=1)],
        "gbt": features + [GBTClassifier(maxIter=5, maxDepth=2, seed=1)],
        "logistic": features + [LogisticRegression(regParam=0.05)],
        "xgboost-binary": features + [SparkXGBClassifier(n_estimators=5, max_depth=3)],
        "xgboost-multiclass": features + [SparkXGBClassifier(n_estimators=4, max_depth=3, label_col="label3")],
        "text": text + [LogisticRegression(featuresCol="tfidf", regParam=0.05)],
    }
    titanic = Family("features", shared / TITANIC_MODEL, {"SAGEMAKER_SPARKML_SCHEMA": json.dumps(TITANIC_SCHEMA)},
                     [f"{1 + i % 3}.0,{'CSQ'[i % 3]},{20 + i * 0.5},{10 + i * 1.25},{i % 4}.0,"
                      f"{('male', 'female')[i % 2]}" for i in range(60)])
    sparkml, boosters = {"features": titanic}, {}
    for name, stages in pipelines.items():
        fitted = Pipeline(stages=stages).fit(frame)
        bundle = bundle_from_spark(fitted, frame)
        schema = bundle.serving_schema("probability")
        model = bundles.save_bundle(bundle, folder / f"{name}.tar.gz")
        names = [c["name"] for c in schema["input"]]
        sparkml[name] = Family(name, model, {"SAGEMAKER_SPARKML_SCHEMA": json.dumps(schema)}, _csv(rows, names))
        if name.startswith("xgboost"):
            boosters[name] = fitted.stages[-1].get_booster()
    matrix = np.array([r.features.toArray() for r in fitted_features(pipelines, frame)])
    boosters["regression"] = _regression_booster(matrix, [r["x1"] * 2 for r in rows])
    xgboost = {}
    for name, booster in boosters.items():
        model = write_model_tar(folder / name, {"xgboost-model": bytes(booster.save_raw("ubj"))})
        xgboost[name] = Family(name, model, {}, [",".join(map(repr, x)) for x in matrix.tolist()])
    return {"sparkml": sparkml, "xgboost": xgboost}


def fitted_features(pipelines: dict, frame) -> list:
    """The assembled `features` of every data row (the xgboost pipelines' booster inputs), in data order."""
    from pyspark.ml import Pipeline

    return Pipeline(stages=pipelines["logistic"][:2]).fit(frame).transform(frame).select("features").collect()


def _regression_booster(matrix: np.ndarray, label: list[float]):
    import xgboost as xgb

    return xgb.train({"objective": "reg:squarederror", "max_depth": 3, "nthread": 1},
                     xgb.DMatrix(matrix, label=label), num_boost_round=6)


def _key() -> str:
    import pyspark
    import xgboost

    digest = hashlib.sha256(f"{pyspark.__version__} {xgboost.__version__}".encode())
    for path in [Path(__file__), *sorted((REPO / "jvm").rglob("*.py")), *sorted((REPO / "bundles").rglob("*.py"))]:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cached_families(shared: Path, spark: Callable[[], object]) -> dict[str, dict[str, Family]]:
    """`fit_families`, from the cache when nothing it depends on changed (`spark()` is called on a miss)."""
    folder = CACHE / _key()
    index = folder / "families.json"
    if not index.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix="fitting-", dir=CACHE))
        fitted = fit_families(spark(), shared, fresh)
        kept = {kind: [asdict(f) | {"model": str(f.model.relative_to(fresh)) if f.model.is_relative_to(fresh)
                                    else str(f.model)} for f in group.values()] for kind, group in fitted.items()}
        (fresh / "families.json").write_text(json.dumps(kept))
        try:
            os.rename(fresh, folder)  # another session may have won the race: then use its copy
        except OSError:
            shutil.rmtree(fresh, ignore_errors=True)
    index.touch()
    for stale in sorted(CACHE.glob("*/families.json"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
        shutil.rmtree(stale.parent, ignore_errors=True)
    kept = json.loads(index.read_text())
    return {kind: {f["name"]: Family(f["name"], folder / f["model"], f["env"], f["rows"]) for f in group}
            for kind, group in kept.items()}
