"""Reading label-first CSV splits: the happy path and every bad input naming its file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from training.data import TrainingDataError, read_split


def split_dir(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "train"
    folder.mkdir()
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text)
    return folder


def test_stacks_every_visible_file_and_skips_markers_and_empty_files(tmp_path):
    folder = split_dir(tmp_path, part_0__csv="1,2,3\n", part_1__csv="4,5,6\n7,8,9\n", _SUCCESS="",
                       empty__csv="")
    (folder / ".part_0.csv.crc").write_text("junk")
    split = read_split(folder)
    assert split.labels.tolist() == [1.0, 4.0, 7.0]
    assert split.features.tolist() == [[2.0, 3.0], [5.0, 6.0], [8.0, 9.0]]
    assert [Path(f).name for f in split.files] == ["part_0.csv", "part_1.csv"]


def test_empty_feature_is_missing_value(tmp_path):
    split = read_split(split_dir(tmp_path, a__csv="1,,3\n2,5,6\n"))
    assert np.isnan(split.features[0, 0]) and split.features[1].tolist() == [5.0, 6.0]


def test_missing_folder_names_it(tmp_path):
    with pytest.raises(TrainingDataError, match=r"validation: no such folder"):
        read_split(tmp_path / "validation")


def test_folder_without_data_names_it(tmp_path):
    folder = split_dir(tmp_path, _SUCCESS="")
    with pytest.raises(TrainingDataError, match=rf"{folder}: no non-empty CSV files"):
        read_split(folder)


def test_non_numeric_value_names_file_line_and_column(tmp_path):
    with pytest.raises(TrainingDataError, match=r"a\.csv: line 2, column 3: not a number: 'x'"):
        read_split(split_dir(tmp_path, a__csv="1,2,3\n4,5,x\n"))


def test_header_row_is_reported_as_non_numeric_line_1(tmp_path):
    with pytest.raises(TrainingDataError, match=r"a\.csv: line 1, column 1: not a number: 'rings'"):
        read_split(split_dir(tmp_path, a__csv="rings,f1\n1,2\n"))


def test_ragged_row_names_file_and_line(tmp_path):
    with pytest.raises(TrainingDataError, match=r"a\.csv: line 3: 2 fields, expected 3"):
        read_split(split_dir(tmp_path, a__csv="1,2,3\n4,5,6\n7,8\n"))


def test_empty_label_names_file_and_line(tmp_path):
    with pytest.raises(TrainingDataError, match=r"a\.csv: line 2: the label \(column 1\) is empty"):
        read_split(split_dir(tmp_path, a__csv="1,2,3\n,5,6\n"))


def test_files_with_different_widths_are_named(tmp_path):
    with pytest.raises(TrainingDataError, match=r"b\.csv: 2 columns, but .*a\.csv has 3"):
        read_split(split_dir(tmp_path, a__csv="1,2,3\n", b__csv="1,2\n"))


def test_label_only_file_is_rejected(tmp_path):
    with pytest.raises(TrainingDataError, match=r"a\.csv: 1 column\(s\)"):
        read_split(split_dir(tmp_path, a__csv="1\n2\n"))
