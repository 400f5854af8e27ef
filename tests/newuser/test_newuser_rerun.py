"""Item 5: re-running transform or preprocess into an existing output never silently keeps or drops files."""

from __future__ import annotations

import shutil

from sparkleap.cli import main
from tests.helpers.houses import request_rows


def _transform(run, source, out, *extra):
    return main(["transform", "--run", str(run), "--input", str(source), "--output", str(out), "--engine",
                 "inprocess", "--quiet", *extra])


def test_transform_into_an_output_of_other_options_is_refused_naming_overwrite(houses_run, houses_csv, tmp_path,
                                                                               capsys):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.csv").write_text("\n".join(request_rows(houses_csv, 20)) + "\n")
    out = tmp_path / "out"
    assert _transform(houses_run, source, out) == 0
    first = (out / "a.csv.out").read_text()
    assert _transform(houses_run, source, out) == 0  # same options: resumes, the file is skipped
    assert (out / "a.csv.out").read_text() == first
    capsys.readouterr()
    assert _transform(houses_run, source, out, "--accept", "application/jsonlines") == 2
    err = capsys.readouterr().err
    assert "--overwrite" in err and "accept 'text/csv' -> 'application/jsonlines'" in err
    assert (out / "a.csv.out").read_text() == first
    assert _transform(houses_run, source, out, "--join-source", "Input", "--overwrite") == 0
    joined = (out / "a.csv.out").read_text().splitlines()
    assert joined != first.splitlines() and joined[0].startswith(request_rows(houses_csv, 1)[0] + ",")


def test_preprocess_refuses_an_existing_run_and_keeps_its_trained_model(houses_run, houses_csv, tmp_path, capsys):
    run = tmp_path / "run"
    shutil.copytree(houses_run, run)
    code = main(["preprocess", "--input", str(houses_csv), "--output", str(run), "--label", "price", "--impute",
                 "mean", "--handle-invalid", "keep"])
    assert code == 2
    err = capsys.readouterr().err
    assert "already holds a run" in err and "xgboost/" in err and "--overwrite" in err
    assert (run / "xgboost" / "model.tar.gz").is_file()
