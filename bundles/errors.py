"""Errors raised while reading, writing or applying a bundle.

Applying one: `TransformError` is the input's fault (a 4xx when served); `OpFailure` is an op failing on its
own (a bug or a broken bundle: a 500 when served, its log line naming the node and the op).
"""

from base.errors import InputError


class BundleError(Exception):
    """A bundle could not be read or written (broken file, unsupported format or op)."""


class UnsupportedOpError(BundleError):
    """A node uses an op this library has no module for."""

    def __init__(self, op: str, node: str, supported: list[str]):
        super().__init__(
            f"unsupported op {op!r} in node {node!r}; supported ops: {', '.join(sorted(supported))}"
        )
        self.op = op


class TransformError(InputError):
    """A row could not be transformed (the input's fault); `row` is 0-based within the batch, `column` the
    input column."""

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


class OpFailure(Exception):
    """An op failed on a row for a reason other than the input (a bug, a broken bundle): `node` and `op` name
    it, `cause` is what it raised."""

    def __init__(self, node: str, op: str, cause: BaseException):
        super().__init__(f"node {node!r} (op {op}) failed: {type(cause).__name__}: {cause}")
        self.node, self.op, self.cause = node, op, cause
