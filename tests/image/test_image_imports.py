"""Every module a container runs imports only what its image installs: run in each replayed image's own Python
(its exact package set, nothing of the development environment), every bundle op module and every serving
module of that container is imported, and every `import` statement in them, also those inside functions
(the kind that only fails on a request: scipy in the xgboost ops once did), names a module the image has."""

from __future__ import annotations

import json
import subprocess

import pytest

from image_replay.replay import TARGETS, replay

pytestmark = pytest.mark.image

# Imports that run only while converting a fitted Spark model (never in a container): (file, function) -> module
SPARK_CONVERSION_ONLY = {("bundles/ops/vector_assembler.py", "spark_shape"): "pyspark"}

CHECK = r"""
import ast, importlib, importlib.util, json, pathlib, sys
root = pathlib.Path.cwd()
kind = sys.argv[1]
files = sorted(root.glob("bundles/**/*.py")) + sorted(root.glob("serving/*.py")) \
    + sorted(root.glob(f"serving/{kind}/*.py"))
imported, missing = [], []
for path in files:
    relative = path.relative_to(root).as_posix()
    module = relative[:-3].replace("/", ".").removesuffix(".__init__")
    try:
        importlib.import_module(module)
        imported.append(module)
    except Exception as exc:
        missing.append([relative, "<import>", f"{type(exc).__name__}: {exc}"])
    tree = ast.parse(path.read_text())
    scopes = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                scopes.setdefault(inner, node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if importlib.util.find_spec(top) is None:
                missing.append([relative, scopes.get(node, "<module>"), top])
print(json.dumps({"imported": imported, "missing": missing}))
"""


@pytest.mark.parametrize("name", TARGETS)
def test_every_module_a_container_runs_imports_only_what_its_image_installs(name, tmp_path):
    image = replay(name, tmp_path)
    done = subprocess.run([str(image.venv / "bin" / "python"), "-c", CHECK, name], cwd=image.workdir,
                          env=image.environment(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    missing = [(file, where, what) for file, where, what in report["missing"]
               if SPARK_CONVERSION_ONLY.get((file, where)) != what]
    assert missing == [], f"{name} image lacks what these import: {missing}"
    ops = [m for m in report["imported"] if m.startswith("bundles.ops.")]
    assert len(ops) >= 60 and "bundles.ops.xgboost_classifier" in ops and f"serving.{name}.app" in report["imported"]


def test_the_check_finds_an_import_the_image_lacks(tmp_path):
    image = replay("sparkml", tmp_path)
    op = image.workdir / "bundles" / "ops" / "binarizer.py"
    op.write_text(op.read_text() + "\n\ndef _later():\n    from scipy.special import expit\n    return expit\n")
    done = subprocess.run([str(image.venv / "bin" / "python"), "-c", CHECK, "sparkml"], cwd=image.workdir,
                          env=image.environment(), capture_output=True, text=True, timeout=300)
    assert ["bundles/ops/binarizer.py", "_later", "scipy"] in json.loads(done.stdout)["missing"]
