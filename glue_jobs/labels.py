"""The label of a classification run: its classes, their order (the index XGBoost learns), and the limits.

A run is a classification when `--task classification` is given, or (`--task auto`, the default) when the
label column is text. Classes are the label's distinct values: numbers in numeric order (`0`, `1`, `2`, so
a 0/1 label keeps its values as indices), text in alphabetical order (Python's code-point order, as Spark's
StringIndexer `alphabetAsc`). A label with one class, or with more than MAX_CLASSES, is refused.
"""

from __future__ import annotations

from collections.abc import Iterable

TASKS = ("auto", "regression", "classification")
MAX_CLASSES = 100  # a post-processing bundle maps each (class, probability bucket) to its text


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return "_" not in text


def class_name(value: str) -> str:
    """A label value as its class name: trimmed text; a number in its plain form (`1.0` and `1` -> `1`)."""
    text = value.strip()
    if not is_number(text):
        return text
    number = float(text)
    return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)


def ordered_classes(values: Iterable[str]) -> list[str]:
    """Distinct class names in index order: numeric order when every one is a number, else alphabetical."""
    names = sorted({class_name(v) for v in values if v is not None and v.strip()} - {"nan"})
    if names and all(is_number(n) for n in names):
        return sorted(names, key=float)
    return names


def class_problems(classes: list[str], label: str, where: str) -> list[str]:
    """Why `classes` cannot be learnt: one class only, or more than MAX_CLASSES."""
    if len(classes) < 2:
        seen = f" ({classes[0]!r})" if classes else ""
        return [f"label column {label!r} in {where} has {len(classes)} class{seen}; classification needs at "
                "least 2 (is this the right --label?)"]
    if len(classes) > MAX_CLASSES:
        return [f"label column {label!r} in {where} has {len(classes)} distinct values, more than the "
                f"{MAX_CLASSES} classes sparkleap classifies; for a numeric target pass --task regression"]
    return []


def is_classification(task: str, label_numeric: bool) -> bool:
    """`--task`, with `auto` meaning: a text label is a classification, a numeric one a regression."""
    return task == "classification" or (task == "auto" and not label_numeric)
