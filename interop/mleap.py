"""The real MLeap runtime as an oracle: JARs resolved by Maven, driven by `jvm/MleapHarness.java`.

`ensure_runtime(version)` resolves `ml.combust.mleap:mleap-runtime_<scala>:<version>` with `mvn
dependency:copy-dependencies` into the git-ignored `.cache/mleap/<version>/lib` and compiles the harness
against it (once). `Harness(version).run(tasks)` starts ONE JVM for a batch of tasks. A missing Maven,
JDK or artifact is a `ResolveError` naming what could not be resolved.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from base.processes import child_dies_with_parent

REPO = Path(__file__).resolve().parents[1]
JVM_DIR = Path(__file__).resolve().parent / "jvm"
CACHE = Path(os.environ.get("SPARKLEAP_MLEAP_CACHE", REPO / ".cache" / "mleap"))


@dataclass(frozen=True)
class Runtime:
    """A pinned MLeap runtime: the Scala binary version of its artifacts, the sparkleap `--target` it judges."""

    scala: str
    target: str


# 0.20.0 is what AWS's SparkML serving container 3.3 runs and the newest mleap-runtime that Maven Central serves
# here (no mleap-runtime_2.13 is served: 0.24/0.25 resolve nowhere); 0.9.6 is what the container 2.2 runs.
VERSIONS = {"0.20.0": Runtime("2.12", "0.20"), "0.9.6": Runtime("2.11", "0.9")}
ORACLE = "0.20.0"


class ResolveError(RuntimeError):
    """Maven, the JDK or an MLeap artifact could not be had."""


def artifact(version: str) -> str:
    return f"ml.combust.mleap:mleap-runtime_{VERSIONS[version].scala}:{version}"


def _tool(name: str) -> str:
    java_home = os.environ.get("JAVA_HOME")
    found = shutil.which(name) or (java_home and shutil.which(name, path=f"{java_home}/bin"))
    if not found:
        raise ResolveError(f"{name} not found on PATH: the interop suite needs it to resolve and run "
                           f"real MLeap ({', '.join(artifact(v) for v in VERSIONS)})")
    return found


def ensure_runtime(version: str) -> Path:
    """The runtime folder of `version` (lib/ = its JARs, classes/ = the compiled harness), resolving it once."""
    if version not in VERSIONS:
        raise ResolveError(f"unknown MLeap version {version!r}; known: {', '.join(VERSIONS)}")
    home = CACHE / version
    lib = home / "lib"
    if not (lib / ".resolved").exists():
        tmp = home / "lib.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        cmd = [_tool("mvn"), "-B", "-q", "-f", str(JVM_DIR / "pom.xml"), f"-Dmleap.version={version}",
               f"-Dmleap.scala={VERSIONS[version].scala}", "dependency:copy-dependencies", f"-DoutputDirectory={tmp}"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            errors = [line for line in (done.stdout + done.stderr).splitlines() if "ERROR" in line][:3]
            raise ResolveError(f"Maven could not resolve {artifact(version)}: " + " ".join(errors))
        (tmp / ".resolved").write_text(artifact(version) + "\n")
        shutil.rmtree(lib, ignore_errors=True)
        tmp.rename(lib)
    source = JVM_DIR / "MleapHarness.java"
    classes = harness_classes(home)
    if not (classes / "MleapHarness.class").exists():
        tmp = Path(tempfile.mkdtemp(prefix="compile-", dir=classes.parent))
        done = subprocess.run([_tool("javac"), "-nowarn", "-d", str(tmp), "-cp", f"{lib}/*", str(source)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ResolveError(f"javac could not compile {source} against {artifact(version)}:\n{done.stderr}")
        try:
            tmp.rename(classes)
        except OSError:  # another process compiled the same source meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
    return home


def harness_classes(home: Path) -> Path:
    """The compiled harness of this source: one folder per source digest, so checkouts with different harness
    sources sharing the cache never run each other's classes."""
    digest = hashlib.sha256((JVM_DIR / "MleapHarness.java").read_bytes()).hexdigest()[:16]
    folder = home / "classes" / digest
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Task:
    """One harness task on `bundle`: transform (FRAME, COLS) | save (ZIP) | bench (FRAME, SECONDS) | load (REPEATS);
    see the Java."""

    kind: str
    bundle: str
    args: tuple[str, ...] = ()


class Harness:
    """One MLeap version; `run` starts one JVM for a whole batch of tasks and returns their JSON results."""

    def __init__(self, version: str = ORACLE):
        self.version = version
        self.home = ensure_runtime(version)

    def run(self, tasks: list[Task], timeout: float = 900) -> list[dict]:
        with tempfile.TemporaryDirectory(prefix="sparkleap-mleap-") as tmp:
            outs, lines = [], []
            for i, task in enumerate(tasks):
                out = Path(tmp) / f"result{i}.json"
                lines.append("\t".join([task.kind, task.bundle, str(out), *task.args]))
                outs.append(out)
            job = Path(tmp) / "job.tsv"
            job.write_text("\n".join(lines) + "\n", encoding="utf-8")
            cmd = [_tool("java"), "-Xmx1g", "-XX:+UseSerialGC", "-cp",
                   f"{harness_classes(self.home)}{os.pathsep}{self.home / 'lib'}/*", "MleapHarness", str(job)]
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                      preexec_fn=child_dies_with_parent())
            except subprocess.TimeoutExpired:
                stuck = next((t for t, out in zip(tasks, outs, strict=True) if not out.exists()), tasks[-1])
                raise RuntimeError(f"MLeap {self.version} harness passed its {timeout:g} s limit (killed) at "
                                   f"{stuck.kind} {stuck.bundle}") from None
            results = []
            for task, out in zip(tasks, outs, strict=True):
                if not out.exists():
                    raise RuntimeError(f"MLeap {self.version} harness died before {task.kind} {task.bundle} "
                                       f"(exit {done.returncode}):\n{done.stderr[-2000:]}")
                results.append(json.loads(out.read_text(encoding="utf-8")))
            return results


def main(argv: list[str]) -> int:
    """`python -m interop.mleap resolve`: resolve every pinned version (the Makefile's setup calls it)."""
    if argv != ["resolve"]:
        print("usage: python -m interop.mleap resolve", file=sys.stderr)
        return 2
    for version in VERSIONS:
        try:
            print(f"MLeap {version}: {ensure_runtime(version)}")
        except ResolveError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
