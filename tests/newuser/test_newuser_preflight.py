"""Item 6: preprocess checks arguments, paths, header and missing values before Spark starts, all at once."""

from __future__ import annotations

import pytest

from sparkleap.cli import main


@pytest.fixture
def no_spark(monkeypatch):
    """Any attempt to start Spark fails the test."""
    import glue_jobs.job

    def refuse(*args, **kwargs):
        raise AssertionError("Spark was started before the arguments were checked")

    monkeypatch.setattr(glue_jobs.job, "job_session", refuse)


def test_every_problem_is_reported_in_one_pass_before_spark(no_spark, houses_csv, tmp_path, capsys):
    taken = tmp_path / "run"
    taken.mkdir()
    (taken / "manifest.json").write_text("{}")
    assert main(["preprocess", "--input", str(houses_csv), "--output", str(taken), "--train-ratio", "1.5"]) == 2
    err = capsys.readouterr().err
    assert "sparkleap preprocess: error: 7 problems:" in err
    for part in ("--train-ratio must be between 0 and 1", f"--output {taken} already holds a run",
                 "name the label column with --label (columns: price, size, age, rooms, color, region)",
                 "column 'size'", "column 'age'", "pass --impute mean|median|mode",
                 "column 'color'", "column 'region'", "pass --handle-invalid keep"):
        assert part in err, part


def test_unknown_columns_and_a_missing_input_are_reported_before_spark(no_spark, houses_csv, tmp_path, capsys):
    assert main(["preprocess", "--input", str(houses_csv), "--output", str(tmp_path / "r"), "--label", "cost",
                 "--categorical", "colour"]) == 2
    err = capsys.readouterr().err
    assert "--label 'cost' is not a column" in err and "--categorical colour: not a column" in err
    assert main(["preprocess", "--input", str(tmp_path / "nope.csv"), "--output", str(tmp_path / "r")]) == 2
    assert "nope.csv: no such file or directory" in capsys.readouterr().err


def test_with_the_right_flags_the_check_passes(houses_csv, tmp_path):
    from glue_jobs.preflight import check
    from glue_jobs.preprocess import OPTIONS

    opts = {**OPTIONS, "label": "price", "impute": "median", "handle_invalid": "keep"}
    assert check(str(houses_csv), str(tmp_path / "run"), None, opts) is None
