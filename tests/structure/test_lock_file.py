"""Issue 29: pyproject.toml states ranges, constraints.txt (the one lock file) pins the version CI tests. Every
requirement of the package, its extras and its tests has one == pin in the lock that lies inside its range, on the
main (Spark 3.5) stack and on the Spark 4 stack the lock's `# spark4:` lines give."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from serving.inference_pipeline.processes import REPO

SPARK4_LINE = re.compile(r"^[^#]*# spark4: *")  # what the Makefile's sed strips for .venv-spark4/constraints.txt


def pins(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        spec = line.split("#", 1)[0].strip()
        if spec:
            name, _, version = spec.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            assert canonicalize_name(name) not in found, f"constraints.txt pins {name} twice"
            found[canonicalize_name(name)] = version
    return found


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [s for extra in project["optional-dependencies"].values() for s in extra]
    return [r for r in map(Requirement, specs) if canonicalize_name(r.name) != "sparkleap"]


LOCK = (REPO / "constraints.txt").read_text().splitlines()
STACKS = {"spark35": LOCK, "spark4": [SPARK4_LINE.sub("", line) for line in LOCK]}


@pytest.mark.parametrize("stack", STACKS)
def test_every_requirement_has_a_pin_inside_its_range(stack):
    locked = pins(STACKS[stack])
    for requirement in declared():
        version = locked.get(canonicalize_name(requirement.name))
        assert version, f"{requirement} has no pin in constraints.txt"
        assert requirement.specifier.contains(version, prereleases=True), \
            f"constraints.txt pins {requirement.name}=={version}, outside pyproject's {requirement}"


def test_the_spark4_stack_differs_in_spark_only():
    main, spark4 = pins(STACKS["spark35"]), pins(STACKS["spark4"])
    changed = {name for name in main if main[name] != spark4.get(name)}
    assert changed == {"pyspark", "py4j"} and spark4["pyspark"].startswith("4.")
    assert main.keys() == spark4.keys()
