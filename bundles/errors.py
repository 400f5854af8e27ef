"""Errors raised while reading, writing or applying a bundle."""


class BundleError(Exception):
    """A bundle could not be read or written (broken file, unsupported format or op)."""


class UnsupportedOpError(BundleError):
    """A node uses an op this library has no module for."""

    def __init__(self, op: str, node: str, supported: list[str]):
        super().__init__(
            f"unsupported op {op!r} in node {node!r}; supported ops: {', '.join(sorted(supported))}"
        )
        self.op = op


class TransformError(ValueError):
    """A row could not be transformed; `row` is 0-based within the batch, `column` the input column."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        where = []
        if row is not None:
            where.append(f"row {row + 1}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.row = row
        self.column = column
        self.reason = message
