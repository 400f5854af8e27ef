"""The import graph: base -> bundles -> glue_jobs, training -> serving -> sparkleap; no import runs upward and
no package or module imports itself round a cycle. Every import counts, module-level or inside a function."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYERS = {"base": 0, "bundles": 1, "glue_jobs": 2, "training": 2, "serving": 3, "sparkleap": 4}

pytestmark = pytest.mark.unit


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; relative imports resolved)."""
    found: set[str] = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@functools.cache
def graph() -> dict[str, set[str]]:
    """Our modules -> the modules of ours they import."""
    modules = {module_name(p): p for top in LAYERS for p in (REPO / top).rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph, as a path that ends where it starts; None when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_runs_upward():
    upward = sorted(f"{a} imports {b}" for a, targets in graph().items() for b in targets
                    if LAYERS[b.split(".")[0]] > LAYERS[a.split(".")[0]])
    assert upward == []


def test_the_packages_import_each_other_without_a_cycle():
    packages: dict[str, set[str]] = {}
    for a, targets in graph().items():
        packages.setdefault(a.split(".")[0], set()).update(b.split(".")[0] for b in targets)
    assert cycle({p: t - {p} for p, t in packages.items()}) is None


@pytest.mark.parametrize("package", [p for p in LAYERS if p != "bundles"])
def test_no_module_cycle_inside_a_package(package):
    edges = {a: {b for b in t if b.startswith(package + ".")} for a, t in graph().items()
             if a.split(".")[0] == package}
    assert cycle(edges) is None


@pytest.mark.xfail(reason="bundle -> graph -> ops -> pipeline -> spark -> bundle: being replaced by a context "
                          "object on main (bundles/context.py); passes once merged", strict=False)
def test_no_module_cycle_inside_bundles():
    edges = {a: {b for b in t if b.startswith("bundles.")} for a, t in graph().items() if a.startswith("bundles")}
    assert cycle(edges) is None


def test_the_checker_finds_a_cycle_and_an_upward_import():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    assert LAYERS["base"] < LAYERS["bundles"] < LAYERS["glue_jobs"] < LAYERS["serving"] < LAYERS["sparkleap"]
