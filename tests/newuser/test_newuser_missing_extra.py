"""Issue 29: in an install without an extra, a command that needs it stops with one line naming the extra to
install, not a traceback. The CLI runs as a real process in which the extra's packages cannot be imported (a
meta-path finder refuses them, as an absent package does); `sparkleap.extras.missing` reads real
distribution metadata from a dist-info folder on sys.path."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from serving.inference_pipeline.processes import REPO, python_env
from sparkleap import extras
from sparkleap.cli import COMMAND_EXTRAS

ABSENT = r"""
import importlib.abc, sys
absent = set(sys.argv[1].split(","))

class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in absent:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Absent())
from sparkleap.cli import main
sys.exit(main(sys.argv[2:]))
"""


def sparkleap_without(modules: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", ABSENT, modules, *args], capture_output=True, text=True,
                          cwd=REPO, env=python_env(), timeout=120)


def test_preprocess_without_pyspark_names_the_spark_extra(tmp_path):
    (tmp_path / "in.csv").write_text("colour,size,price\nred,1.5,10\nblue,2.5,20\n")
    done = sparkleap_without("pyspark,py4j,mleap", "preprocess", "--input", str(tmp_path / "in.csv"),
                             "--output", str(tmp_path / "run"), "--label", "price")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("sparkleap preprocess: error: needs the [spark] extra")
    assert done.stderr.strip().endswith("pip install 'sparkleap[spark]'")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_serve_xgboost_without_xgboost_names_the_xgboost_extra(tmp_path):
    done = sparkleap_without("xgboost", "serve", "xgboost", "--model-dir", str(tmp_path), "--port", "0")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == ("sparkleap serve: error: needs the [xgboost] extra (xgboost not installed): "
                                   "pip install 'sparkleap[xgboost]'")


def test_a_missing_module_no_extra_provides_is_a_bug_and_keeps_its_traceback(tmp_path):
    done = sparkleap_without("jsonschema", "serve", "sparkml", "--model-dir", str(tmp_path), "--port", "0")
    assert done.returncode == 1 and "Traceback" in done.stderr and "jsonschema" in done.stderr
    assert "extra" not in done.stderr


def test_missing_lists_what_an_extra_and_the_extras_it_includes_lack(tmp_path, monkeypatch):
    info = tmp_path / "sparkleap-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("\n".join([
        "Metadata-Version: 2.1", "Name: sparkleap", "Version: 0.1.0",
        'Requires-Dist: numpy>=2; extra == "outer"',
        'Requires-Dist: sparkleap[inner]; extra == "outer"',
        'Requires-Dist: no-such-distribution-for-sparkleap>=1; extra == "inner"',
        'Requires-Dist: another-absent-distribution; extra == "unused"', ""]))
    monkeypatch.syspath_prepend(str(tmp_path))
    assert extras.missing("outer") == ["no-such-distribution-for-sparkleap"]
    assert extras.missing("inner") == ["no-such-distribution-for-sparkleap"]
    assert extras.missing("nothing-declared") == []


def test_every_extra_the_cli_names_is_declared_in_pyproject():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    named = set(extras.EXTRA_OF_MODULE.values()) | {e for needs in COMMAND_EXTRAS.values() for e in needs}
    assert named <= set(declared)
