"""The import graph: base -> jvm -> bundles -> glue_jobs, training -> serving -> sparkleap; no import runs upward and
no package or module imports itself round a cycle. Every import counts, module-level or inside a function."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYERS = {"base": 0, "jvm": 1, "bundles": 2, "glue_jobs": 3, "training": 3, "serving": 4, "sparkleap": 5}

pytestmark = pytest.mark.unit


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_nodes(tree: ast.AST):
    """Every node of `tree` except those under `if TYPE_CHECKING:` (imports for type hints only never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            yield from (n for child in node.orelse for n in [child, *runtime_nodes(child)])
            continue
        yield node
        yield from runtime_nodes(node)


def imports_of(path: Path, package: str | None = None) -> set[str]:
    """Every module `path` imports when it runs (absolute names; relative imports resolved against `package`,
    by default the one `path` is in)."""
    found: set[str] = set()
    if package is None:
        package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in runtime_nodes(ast.parse(path.read_text(), str(path))):
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


@pytest.mark.parametrize("package", list(LAYERS))
def test_no_module_cycle_inside_a_package(package):
    edges = {a: {b for b in t if b.startswith(package + ".")} for a, t in graph().items()
             if a.split(".")[0] == package}
    assert cycle(edges) is None


def test_type_checking_imports_do_not_count_and_function_level_ones_do(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from serving import app\n"
                      "else:\n    import json\ndef f():\n    from sparkleap import cli\n")
    found = {name for name in imports_of(module, package="") if name.split(".")[0] in LAYERS}
    assert found == {"sparkleap", "sparkleap.cli"}


def test_the_checker_finds_a_cycle_and_an_upward_import():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    order = ["base", "jvm", "bundles", "glue_jobs", "serving", "sparkleap"]
    assert [LAYERS[name] for name in order] == sorted({LAYERS[name] for name in order})
