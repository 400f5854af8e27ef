"""Reading a split (`train/` or `validation/`): headerless label-first numeric CSV files, with pyarrow.

Every visible file in the folder is read (`part-*`, `*.csv`; hidden and `_SUCCESS` files are skipped,
empty files too) and stacked. An empty feature field is a missing value (NaN), as XGBoost serving treats
it; an empty label is an error. Errors name the file, and the line where one can be pinned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


class TrainingDataError(ValueError):
    """Unusable training input; the message names the file (and line)."""


@dataclass
class Split:
    """A split's rows: `features` (n, f) float64 and `labels` (n,) float64, plus the files read."""

    features: np.ndarray
    labels: np.ndarray
    files: list[str]

    @property
    def rows(self) -> int:
        return len(self.labels)


def read_split(folder: str | Path) -> Split:
    """All label-first CSV files under `folder` as one Split; TrainingDataError when unusable."""
    from base.storage import StorageError, list_files

    folder = Path(folder)
    if not folder.is_dir():
        raise TrainingDataError(f"{folder}: no such folder (expected label-first CSV files here)")
    try:
        files = [f for f in list_files(folder) if Path(f).stat().st_size > 0]
    except StorageError as exc:
        raise TrainingDataError(str(exc)) from None
    if not files:
        raise TrainingDataError(f"{folder}: no non-empty CSV files")
    tables = [read_csv_file(Path(f)) for f in files]
    width = tables[0].shape[1]
    for path, table in zip(files, tables, strict=True):
        if table.shape[1] != width:
            raise TrainingDataError(f"{path}: {table.shape[1]} columns, but {files[0]} has {width}")
    if width < 2:
        raise TrainingDataError(f"{files[0]}: {width} column(s); expected the label then at least one feature")
    matrix = np.vstack(tables)
    return Split(features=matrix[:, 1:], labels=matrix[:, 0], files=files)


def read_csv_file(path: Path) -> np.ndarray:
    """One headerless numeric CSV as an (n, columns) float64 matrix; empty label -> error, feature -> NaN."""
    import pyarrow as pa
    from pyarrow import csv

    try:
        table = csv.read_csv(path, read_options=csv.ReadOptions(autogenerate_column_names=True))
    except pa.ArrowInvalid as exc:
        raise TrainingDataError(f"{path}: {_locate(path, str(exc))}") from None
    for index, column in enumerate(table.columns):
        if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
                or pa.types.is_null(column.type)):
            line, value = _first_non_number(column.to_pylist())
            raise TrainingDataError(f"{path}: line {line}, column {index + 1}: not a number: {value!r}")
    labels = table.column(0)
    if labels.null_count:
        line = labels.to_pylist().index(None) + 1
        raise TrainingDataError(f"{path}: line {line}: the label (column 1) is empty")
    columns = [c.to_numpy(zero_copy_only=False).astype(np.float64) for c in table.columns]
    return np.column_stack(columns) if columns else np.zeros((0, 0))


def _first_non_number(values: list) -> tuple[int, object]:
    """(1-based line, value) of the first value that does not parse as a float."""
    for line, value in enumerate(values, start=1):
        if value is None:
            continue
        try:
            float(value)
        except (TypeError, ValueError):
            return line, value
    return 0, None


def _locate(path: Path, message: str) -> str:
    """pyarrow's parse error, with the first line whose field count differs from line 1's."""
    with open(path, encoding="utf-8", errors="replace") as lines:
        expected = None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            fields = line.count(",") + 1
            if expected is None:
                expected = fields
            elif fields != expected:
                return f"line {number}: {fields} fields, expected {expected} as on line 1 ({message})"
    return message
