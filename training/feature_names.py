"""Human names of the model's features, derived from the bundle that produces them.

Walks the bundle's ops in order and tracks a name list per column:
- string_indexer: remembers each output's source column and labels (plus `__unknown` with keep);
- one_hot_encoder: slot i of an indexed column becomes `<source column>=<label i>` (only kept slots;
  an encoder's own keep slot is `=__invalid`); an input not produced by an indexer gives `<column>=<i>`;
- vector_assembler: concatenates its inputs' names; a scalar keeps its column name, a vector with
  unknown slot names becomes `<column>[i]`.
For abalone: `sex=M, sex=I, length, diameter, ..., shell_weight`.
"""

from __future__ import annotations

from bundles import Bundle
from bundles.ops.base import Op
from bundles.ops.one_hot_encoder import OneHotEncoder
from bundles.ops.string_indexer import StringIndexer
from bundles.ops.vector_assembler import VectorAssembler

UNKNOWN_LABEL = "__unknown"  # the indexer's slot for unseen labels (handle_invalid=keep)
INVALID_SLOT = "__invalid"  # the encoder's extra slot for out-of-range indices (keep, no drop_last)


def feature_names(bundle: Bundle, column: str | None = None) -> list[str]:
    """Names of the slots of `column` (default: the bundle's output, as in its serving schema).

    Raises ValueError when an op the walk does not know produces that column.
    """
    target = column or bundle.serving_schema()["output"]["name"]
    names: dict[str, list[str]] = {}
    categories: dict[str, tuple[str, list[str]]] = {}  # indexer output -> (source column, labels)
    for op in bundle.ops:
        _name_outputs(op, names, categories)
    if target not in names:
        raise ValueError(f"cannot name the slots of column {target!r}: it is not produced by "
                         "string_indexer/one_hot_encoder/vector_assembler ops")
    return names[target]


def _name_outputs(op: Op, names: dict[str, list[str]], categories: dict[str, tuple[str, list[str]]]) -> None:
    if isinstance(op, StringIndexer):
        for (src, out), labels in zip(zip(op.shape.input_cols, op.shape.output_cols, strict=True), op.labels,
                                      strict=True):
            extra = [UNKNOWN_LABEL] if op.handle_invalid == "keep" else []
            categories[out] = (src, [*labels, *extra])
            names[out] = [out]
    elif isinstance(op, OneHotEncoder):
        for k, (src, out) in enumerate(zip(op.shape.input_cols, op.shape.output_cols, strict=True)):
            source, labels = categories.get(src, (src, []))
            names[out] = [f"{source}={labels[i] if i < len(labels) else _slot_label(labels, i)}"
                          for i in range(op.widths[k])]
    elif isinstance(op, VectorAssembler):
        parts: list[str] = []
        for col, size in zip(op.shape.input_cols, op.sizes, strict=True):
            known = names.get(col)
            if known is not None and len(known) == size:
                parts.extend(known)
            else:
                parts.extend([col] if size == 1 else [f"{col}[{i}]" for i in range(size)])
        names[op.shape.output_cols[0]] = parts
    else:
        for out in op.shape.output_cols:
            names.pop(out, None)


def _slot_label(labels: list[str], slot: int) -> str:
    """Label of a slot past the known labels: the encoder's invalid slot when labels are known, else the index."""
    return INVALID_SLOT if labels else str(slot)
