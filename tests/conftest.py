"""Shared fixtures: the reference fixtures folder, one session-wide SparkSession, the abalone run, S3; a time
limit on every test and fixture that uses Spark; the session dies with its parent."""

from __future__ import annotations

import csv
import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

from serving.inference_pipeline.description import Pipeline, default_pipeline
from tests.helpers.fixtures import FixturesMissing, shared_root

REPO = Path(__file__).resolve().parents[1]

# `make test` draws the same property examples every run (a red CI names a code change, not a lucky draw);
# `make soak` (SPARKLEAP_HYPOTHESIS=explore) draws new ones each time.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("SPARKLEAP_HYPOTHESIS", "repeatable"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The pinned reference fixtures: ../shared or $SPARKLEAP_SHARED, else fetched into .cache/fixtures.
    Never a skip: a test that needs them fails with the message saying how to provide them."""
    try:
        return shared_root()
    except FixturesMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def abalone_csv(shared: Path) -> Path:
    return shared / "data" / "abalone.csv"


@pytest.fixture(scope="session")
def spark():
    from glue_jobs.spark_session import local_session

    session = local_session(app_name="sparkleap-tests", partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def abalone_run(abalone_csv: Path, spark, tmp_path_factory) -> Path:
    """One preprocessing run on abalone for the whole session: train/, validation/, sparkml/model.tar.gz, ..."""
    from glue_jobs.preprocess import preprocess

    run = tmp_path_factory.mktemp("abalone") / "run"
    preprocess(str(abalone_csv), str(run), str(REPO / "schema" / "abalone.json"), spark=spark, quiet=True)
    return run


@pytest.fixture(scope="session")
def abalone_trained(abalone_run: Path) -> Path:
    """The abalone run with XGBoost trained on it: adds xgboost/model.tar.gz (and metrics, plots)."""
    from training.train import train

    if not (abalone_run / "xgboost" / "model.tar.gz").exists():
        train(str(abalone_run))
    return abalone_run


@pytest.fixture(scope="session")
def abalone_pipeline(abalone_trained: Path) -> Pipeline:
    """The default SparkML -> XGBoost pipeline over the trained abalone models."""
    return default_pipeline(str(abalone_trained / "sparkml" / "model.tar.gz"),
                            str(abalone_trained / "xgboost" / "model.tar.gz"), str(abalone_trained / "schema.json"))


def _classifier_run(spark, folder: Path, write, label: str, **options) -> Path:
    from glue_jobs.preprocess import preprocess
    from training.train import train

    run = folder / "run"
    preprocess(str(write(folder / "data.csv")), str(run), label=label, spark=spark, quiet=True, **options)
    train(str(run), num_round=20)
    return run


@pytest.fixture(scope="session")
def flowers_run(spark, tmp_path_factory) -> Path:
    """A trained 3-class run (text label `species`, multi:softprob) with its post-processing bundle."""
    from tests.helpers.classes import write_flowers

    return _classifier_run(spark, tmp_path_factory.mktemp("flowers"), write_flowers, "species", impute="mean")


@pytest.fixture(scope="session")
def churn_run(spark, tmp_path_factory) -> Path:
    """A trained binary run (0/1 label `churned`, --task classification, binary:logistic)."""
    from tests.helpers.classes import write_churn

    return _classifier_run(spark, tmp_path_factory.mktemp("churn"), write_churn, "churned", task="classification")


@pytest.fixture(scope="session")
def raw_rows(abalone_csv: Path) -> list[str]:
    """Every abalone row as raw CSV text with the label (last column) removed."""
    with open(abalone_csv, newline="") as f:
        return [",".join(cells[:-1]) for cells in csv.reader(f) if cells]


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 endpoint (moto server over HTTP on 127.0.0.1) for the session; yields its URL.

    Sets AWS_ENDPOINT_URL, dummy credentials and a region, so boto3 clients in-process and in
    child processes talk to it. Tests create their own uniquely named buckets.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ENDPOINT_URL", url)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.delenv("AWS_PROFILE", raising=False)
        yield url
    server.stop()


@pytest.fixture
def bucket(s3_server) -> str:
    """A new empty bucket on the local S3 server."""
    from base.storage import s3_client

    name = f"test-{uuid.uuid4().hex[:12]}"
    s3_client().create_bucket(Bucket=name)
    return name


# Every test call and fixture set-up that uses the session's Spark runs in its own job group, cancelled after this
# many seconds (soak tests: 4 times as long): a hung Spark fit fails naming the test or fixture instead of hanging
# the run. The interop catalogue's fixture times each case itself (interop.suite.CASE_LIMIT_S).
SPARK_LIMIT_S = float(os.environ.get("SPARKLEAP_SPARK_LIMIT_S", "900"))
TIMED_INSIDE = {"prepared"}


def spark_limit_s(item: pytest.Item) -> float:
    return SPARK_LIMIT_S * (4 if item.get_closest_marker("soak") else 1)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    spark = getattr(item, "funcargs", {}).get("spark")
    if spark is None:
        return (yield)
    from glue_jobs.spark_limit import time_limit

    with time_limit(spark, f"test {item.nodeid}", spark_limit_s(item)):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if "spark" not in fixturedef.argnames or fixturedef.argname in TIMED_INSIDE:
        return (yield)
    from glue_jobs.spark_limit import time_limit

    with time_limit(request.getfixturevalue("spark"), f"fixture {fixturedef.argname}", spark_limit_s(request.node)):
        return (yield)


def pytest_configure(config: pytest.Config) -> None:
    """The session dies with its parent: a killed `make` takes pytest, its JVMs and its servers along."""
    from tests.helpers.orphans import session_dies_with_parent

    session_dies_with_parent()


TIERS = ("spark", "process", "s3", "interop", "image", "soak")
PROCESS_FIXTURES = {"endpoint", "endpoint_url", "server", "derived_server", "batch_server", "sparkml", "xgboost"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tier markers from what a test uses: `spark` (the SparkSession), `s3` (the moto server), `interop` (the
    reference fixtures), `process` (a server process fixture, or marked so by its module); `unit` for the rest."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, wanted in (("spark", {"spark"}), ("s3", {"s3_server"}), ("interop", {"shared"}),
                               ("process", PROCESS_FIXTURES)):
            if used & wanted:
                item.add_marker(marker)
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker("unit")
