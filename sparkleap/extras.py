"""The optional extras of pyproject.toml a command needs: what is missing, and the one-line error naming the extra
to install (instead of a traceback)."""

from __future__ import annotations

import importlib.metadata
import re

# The extra that provides each top-level module a command may import beyond the base install.
EXTRA_OF_MODULE = {"pyspark": "spark", "py4j": "spark", "mleap": "spark", "xgboost": "xgboost", "matplotlib": "train",
                   "boto3": "aws", "botocore": "aws", "requests": "client", "yaml": "client", "mlflow": "mlflow"}
_NAME = re.compile(r"[A-Za-z0-9._-]+")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")
_SELF = re.compile(r"sparkleap\[([^\]]+)\]")


def missing(extra: str) -> list[str]:
    """The distributions of `extra` (and of the extras it includes) that are not installed; [] when sparkleap
    itself is not installed (a source checkout on PYTHONPATH: nothing to compare with)."""
    try:
        requires = importlib.metadata.requires("sparkleap") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    wanted, seen, absent = [extra], set(), []
    while wanted:
        current = wanted.pop()
        seen.add(current)
        for requirement in requires:
            marker = _EXTRA.search(requirement)
            if not marker or marker.group(1) != current:
                continue
            included = _SELF.match(requirement)
            if included:
                wanted += [e.strip() for e in included.group(1).split(",") if e.strip() not in seen]
                continue
            name = _NAME.match(requirement).group(0)
            try:
                importlib.metadata.distribution(name)
            except importlib.metadata.PackageNotFoundError:
                absent.append(name)
    return sorted(set(absent))


def needs(extra: str, absent: str) -> str:
    """The error text for a command that needs `extra`; `absent` names what is missing."""
    return f"needs the [{extra}] extra ({absent} not installed): pip install 'sparkleap[{extra}]'"


def for_module(module: str | None) -> str | None:
    """The extra providing the (dotted) module name, or None for a module no extra provides."""
    return EXTRA_OF_MODULE.get((module or "").split(".")[0])
