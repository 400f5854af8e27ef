"""`sparkleap bundle inspect PATH`: JSON for a good bundle, a one-line error (exit 1) for a bad one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sparkleap.cli import main

pytestmark = pytest.mark.process  # runs the CLI as a process

TITANIC = "aws__sagemaker-python-sdk@35484d21a/tests/data/sparkml_model/mleap_model.tar.gz"


def test_inspect_prints_version_ops_and_schema(real_bundles, capsys):
    assert main(["bundle", "inspect", str(real_bundles / TITANIC)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["version"] == "0.10.0-SNAPSHOT" and out["format"] == "json" and out["root"] == "pipeline"
    assert [op["op"] for op in out["ops"]] == ["string_indexer", "string_indexer", "one_hot_encoder",
                                               "one_hot_encoder", "vector_assembler"]
    assert out["ops"][0]["inputs"] == [{"port": "input", "name": "Sex"}]
    assert out["ops"][-1]["outputs"] == [{"port": "output", "name": "features"}]
    assert out["schema"]["output"] == {"name": "features", "type": "double", "struct": "vector"}
    assert len(out["schema"]["input"]) == 6


def run_cli(path: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sparkleap.cli", "bundle", "inspect", path],
                          capture_output=True, text=True, timeout=120)


def test_an_unsupported_op_is_a_one_line_error_naming_it(real_bundles, tmp_path):
    import shutil

    folder = tmp_path / "sff"
    shutil.copytree(real_bundles / "rstudio__mleap@7d6ffe05/inst/app/sff.zip.unpacked", folder)
    model = next(folder.rglob("tokenizer*/model.json"))
    model.write_text(model.read_text().replace('"tokenizer"', '"no_such_op"'))
    result = run_cli(str(folder))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "unsupported op 'no_such_op'" in result.stderr


@pytest.mark.parametrize("content", [b"PK\x03\x04 this is not really a zip", b"", b"\x1f\x8b\x08\x00garbage"])
def test_a_broken_archive_is_a_one_line_error_naming_the_file(tmp_path, content):
    path = tmp_path / "broken.zip"
    path.write_bytes(content)
    result = run_cli(str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_a_zip_with_a_corrupt_member_is_a_one_line_error(real_bundles, tmp_path):
    good = (real_bundles / "combust__mleap@88de54dd/mleap-runtime/src/test/resources/min_max_scaler_tf.zip")
    good = good.read_bytes()
    path = tmp_path / "corrupt.zip"
    path.write_bytes(good[:60] + bytes(b ^ 0xFF for b in good[60:200]) + good[200:])
    result = run_cli(str(path))
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_missing_path_is_a_one_line_error(tmp_path):
    result = run_cli(str(tmp_path / "nope.zip"))
    assert result.returncode == 2 and "no such file" in result.stderr and "Traceback" not in result.stderr


def test_every_unsupported_op_is_named_not_just_the_first(real_bundles, tmp_path):
    import shutil

    folder = tmp_path / "bundle"
    shutil.copytree(real_bundles / TITANIC.replace(".tar.gz", ".unpacked"), folder)
    models = sorted(folder.rglob("model.json"))[1:3]  # two of the five stages
    for i, model in enumerate(models):
        data = json.loads(model.read_text())
        data["op"] = f"made_up_op_{i}"
        model.write_text(json.dumps(data))
    result = run_cli(str(folder))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "2 unsupported op(s)" in result.stderr
    assert "'made_up_op_0'" in result.stderr and "'made_up_op_1'" in result.stderr
