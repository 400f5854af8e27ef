"""What one Dockerfile target's image holds, built without a Docker engine, from the Dockerfile alone.

`build(dockerfile, target, context, root, cache)` replays the target's instructions into a fresh folder
`root` that stands for the image's `/`: COPY lines copy from the build context (filtered by the
Dockerfile's `.dockerignore`, so a path the context leaves out fails as it would in `docker build`), RUN
lines run what the harness can replay (`python -c ... > file`, `printf ... > file`, `chmod`) and collect
every `pip install`, and ENV/WORKDIR/CMD/ENTRYPOINT/LABEL are kept. The pip installs go, with the same
arguments and constraints, into a fresh virtual environment (no system or user site-packages, nothing of the
development environment) that stands for the image's Python. A local project (`pip install '.[extra]'`) is
installed from a snapshot of its folder as the image holds it at that step (content-addressed under `cache`);
each requirement it declares must have an == pin in the constraints, and so must every distribution the venv
ends up with (the lock file covers the whole image). The venv is cached under `cache` keyed by the hash of
the resolved requirement list (snapshots by their content), so an unchanged image costs nothing the next run.
System packages (`apt-get`) cannot be replayed: the host's libraries stand in for them.

`FreshImage.command(*args)` and `.environment(...)` give the process `docker run IMAGE args` would start,
with container paths mapped into `root` and the venv.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from image_replay.dockerfile import Instruction, Target, ignored, parse, read_ignore, target, words

BASE_IMAGE_ENV = {"PATH": "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "LANG": "C.UTF-8", "HOME": "/root"}  # what the official python:*-slim images set
HOST_SYSTEM_DIRS = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")  # Debian's sh and coreutils: the host's stand in
BASE_IMAGE_DIRS = ("tmp", "root", "usr/local/bin", "opt")  # folders of the base image that RUN/COPY write to
SYSTEM_COMMANDS = {"apt-get", "rm"}  # system packages and clean-up: not replayed
RESULT_NEUTRAL_PIP_FLAGS = {"--no-cache-dir", "--disable-pip-version-check", "-q", "--quiet", "--no-compile",
                            "--root-user-action=ignore"}
KEEP_VENVS = 6  # cached venvs kept (most recently used)


class UnsupportedInstruction(ValueError):
    """A Dockerfile construct the harness cannot replay faithfully (so it refuses rather than guess)."""


@dataclass
class FreshImage:
    name: str
    spec: Target
    root: Path  # stands for the image's /
    venv: Path  # stands for the image's Python installation
    requirements: list[list[str]]  # per `pip install`: the pinned requirement specs (local projects: a snapshot)
    skipped: list[str]  # RUN segments not replayed (system packages)
    packages: set[str]  # every distribution the pip installs added to the image's Python (normalized names)

    def path(self, container_path: str) -> Path:
        return self.root / container_path.lstrip("/")

    def environment(self, **runtime: str) -> dict[str, str]:
        """The image's environment (base image + ENV) with container paths mapped here, then `runtime`
        (what SageMaker passes with `docker run -e`)."""
        env = {**BASE_IMAGE_ENV, **self.spec.env}
        mapped = {key: self._map_paths(key, value) for key, value in env.items()}
        self.path(env["HOME"]).mkdir(parents=True, exist_ok=True)
        return {**mapped, **runtime}

    def _map_paths(self, key: str, value: str) -> str:
        if not value.startswith("/"):
            return value
        parts = []
        for part in value.split(":"):
            parts.append(str(self.path(part)))
            if key == "PATH" and part == "/usr/local/bin":
                parts.append(str(self.venv / "bin"))  # where the image's python and pip scripts live
            if key == "PATH" and part in HOST_SYSTEM_DIRS:
                parts.append(part)
        return ":".join(parts)

    def command(self, *args: str) -> list[str]:
        """argv of `docker run IMAGE args`: ENTRYPOINT + args, the first word found on the image's PATH."""
        argv = [*self.spec.entrypoint, *(args or self.spec.cmd)]
        found = shutil.which(argv[0], path=self.environment()["PATH"]) if "/" not in argv[0] else None
        if found is None:
            raise FileNotFoundError(f"{self.name}: {argv[0]!r} is not an executable on the image's PATH")
        return [found, *argv[1:]]

    @property
    def workdir(self) -> Path:
        return self.path(self.spec.workdir)


def _name(spec: str) -> str:
    return re.split(r"[\s=<>!~\[;@]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _extras(spec: str) -> tuple[str, list[str]]:
    """`name_or_path[a,b]...` -> (name_or_path, [a, b])."""
    match = re.match(r"([^\[\s;<>=!~]+)(?:\[([^\]]*)\])?", spec)
    return match.group(1), [e.strip() for e in (match.group(2) or "").split(",") if e.strip()]


def declared(pyproject: Path, extras: list[str]) -> list[str]:
    """The requirements a project's pyproject.toml declares for a plain install plus `extras` (its own extras
    that name the project itself followed)."""
    project = tomllib.loads(pyproject.read_text())["project"]
    optional = project.get("optional-dependencies", {})
    found, wanted, seen = list(project.get("dependencies", [])), list(extras), set()
    while wanted:
        extra = wanted.pop()
        seen.add(extra)
        for spec in optional.get(extra, []):
            name, inner = _extras(spec.split(";")[0].strip())
            if _name(name) == _name(project["name"]):
                wanted += [e for e in inner if e not in seen]
            else:
                found.append(spec)
    return found


def _snapshot(folder: Path, cache: Path) -> Path:
    """A copy of `folder` as it is now, under cache/src/<hash of its files>."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(folder).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    snapshot = cache / "src" / digest.hexdigest()[:16]
    if not snapshot.exists():
        tmp = snapshot.with_name(f"{snapshot.name}.tmp-{os.getpid()}")
        shutil.copytree(folder, tmp)
        tmp.rename(snapshot)
    return snapshot


def _requirement_lines(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


class _Replay:
    """Replays one target's instructions into `root`."""

    def __init__(self, name: str, spec: Target, context: Path, ignore_rules: list, root: Path, python: str,
                 cache: Path):
        self.name, self.spec, self.context, self.rules, self.root = name, spec, context, ignore_rules, root
        self.python = python  # the base image's interpreter
        self.cache = cache  # where local projects' snapshots go
        self.workdir = "/"
        self.installs: list[list[str]] = []
        self.constraints: list[str] = []
        self.skipped: list[str] = []

    def path(self, container_path: str) -> Path:
        return self.root / str(Path(self.workdir, container_path)).lstrip("/")

    def run(self) -> None:
        for step in self.spec.steps:
            if step.keyword == "WORKDIR":
                self.workdir = str(Path(self.workdir, step.args))
                self.path(".").mkdir(parents=True, exist_ok=True)
            elif step.keyword in ("COPY", "ADD"):
                self.copy(step)
            elif step.keyword == "RUN":
                self.run_shell(step)

    def copy(self, step: Instruction) -> None:
        parts = words(step.args)
        flags = {p.split("=", 1)[0]: p.partition("=")[2] for p in parts if p.startswith("--")}
        parts = [p for p in parts if not p.startswith("--")]
        if step.keyword == "ADD" or "--from" in flags:
            raise UnsupportedInstruction(f"line {step.line}: {step.keyword} {step.args}")
        sources, dest = parts[:-1], parts[-1]
        mode = int(flags["--chmod"], 8) if "--chmod" in flags else None
        for source in sources:
            relative = source.strip("/").removeprefix("./") or "."
            origin = self.context / relative
            if not origin.exists() or (relative != "." and ignored(relative, self.rules)):
                raise FileNotFoundError(f"{self.name}, line {step.line}: COPY {source}: not in the build "
                                        "context (missing, or left out by the .dockerignore)")
            if origin.is_dir():
                for file in sorted(p for p in origin.rglob("*") if p.is_file()):
                    inner = file.relative_to(self.context).as_posix()
                    if not ignored(inner, self.rules):
                        self._put(file, self.path(dest) / file.relative_to(origin), mode)
            else:
                into_dir = dest.endswith("/") or len(sources) > 1
                self._put(origin, self.path(dest) / origin.name if into_dir else self.path(dest), mode)

    @staticmethod
    def _put(origin: Path, target_path: Path, mode: int | None) -> None:
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target_path)
        if mode is not None:
            target_path.chmod(mode)

    def run_shell(self, step: Instruction) -> None:
        lexer = shlex.shlex(step.args, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        segment: list[str] = []
        for token in [*lexer, "&&"]:
            if token in ("&&", ";"):
                if segment:
                    self.run_segment(step, segment)
                segment = []
            else:
                segment.append(token)

    def run_segment(self, step: Instruction, tokens: list[str]) -> None:
        out = None
        if ">" in tokens:
            at = tokens.index(">")
            tokens, out = tokens[:at], self.path(tokens[at + 1])
        command = Path(tokens[0]).name
        if command in ("pip", "pip3") and tokens[1:2] == ["install"]:
            self.pip_install(step, tokens[2:])
        elif command.startswith("python") and tokens[1:4] == ["-m", "pip", "install"]:
            self.pip_install(step, tokens[4:])
        elif command.startswith("python") and tokens[1:2] == ["-c"] and out is not None:
            # the image's python at this point has only the standard library: so does this one (-I -S)
            done = subprocess.run([self.python, "-I", "-S", "-c", *tokens[2:]], cwd=self.path("."),
                                  capture_output=True, text=True, env={"PATH": os.defpath})
            if done.returncode:
                raise RuntimeError(f"{self.name}, line {step.line}: RUN python -c failed: {done.stderr}")
            out.write_text(done.stdout)
        elif command == "printf" and out is not None and len(tokens) == 2 and "%" not in tokens[1]:
            out.write_bytes(tokens[1].encode().decode("unicode_escape").encode("latin-1"))
        elif command == "chmod" and len(tokens) == 3 and re.fullmatch(r"[0-7]{3,4}", tokens[1]):
            self.path(tokens[2]).chmod(int(tokens[1], 8))
        elif command in SYSTEM_COMMANDS:
            self.skipped.append(shlex.join(tokens))
        else:
            raise UnsupportedInstruction(f"{self.name}, line {step.line}: cannot replay {shlex.join(tokens)!r}")

    def pip_install(self, step: Instruction, args: list[str]) -> None:
        specs: list[str] = []
        it = iter(args)
        for arg in it:
            option, _, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            if arg in RESULT_NEUTRAL_PIP_FLAGS:
                continue
            if option in ("-r", "--requirement", "-c", "--constraint"):
                lines = _requirement_lines(self.path(value or next(it)))
                (specs if option in ("-r", "--requirement") else self.constraints).extend(lines)
            elif arg.startswith("-"):
                raise UnsupportedInstruction(f"{self.name}, line {step.line}: pip option {arg!r}")
            else:
                specs.append(arg)
        pins = {_name(c): c for c in self.constraints if "==" in c}
        resolved = []
        for spec in specs:
            if spec.startswith((".", "/")):  # a local project: its declared requirements need pins too
                folder, extras = _extras(spec)
                for requirement in declared(self.path(folder) / "pyproject.toml", extras):
                    self._pinned(step, requirement, pins)
                snapshot = _snapshot(self.path(folder), self.cache)
                resolved.append(f"{snapshot}[{','.join(extras)}]" if extras else str(snapshot))
            else:
                resolved.append(spec if "==" in spec else self._pinned(step, spec, pins))
        self.installs.append(resolved)

    def _pinned(self, step: Instruction, spec: str, pins: dict[str, str]) -> str:
        pinned = pins.get(_name(spec))
        if pinned is None:
            raise ValueError(f"{self.name}, line {step.line}: {spec!r} is installed without a pin "
                             "(every package the image installs takes its == pin from the lock file, constraints.txt)")
        return pinned


def _venv(python: str, installs: list[list[str]], constraints: list[str], cache: Path) -> tuple[Path, set[str]]:
    """A venv holding exactly `installs` (one pip run each, in order), cached by their hash, and the names of the
    distributions in it; ValueError when one has no == pin in `constraints`."""
    version = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True,
                             text=True, check=True).stdout.strip()
    key = hashlib.sha256(json.dumps([version, installs, sorted(constraints)]).encode()).hexdigest()[:16]
    cache.mkdir(parents=True, exist_ok=True)
    venv, done = cache / f"venv-{key}", cache / f"venv-{key}" / ".complete"
    with open(cache / f"venv-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists() or '"packages"' not in done.read_text():  # absent, or written before the listing
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([python, "-m", "venv", str(venv)], check=True)
            own = _distributions(venv)  # what the base image's Python comes with (pip; setuptools before 3.12)
            constraint_file = venv / "constraints.txt"
            constraint_file.write_text("\n".join(constraints) + "\n")
            for specs in installs:
                subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                                "--disable-pip-version-check", "-c", str(constraint_file), *specs],
                               check=True, env={k: v for k, v in os.environ.items() if not k.startswith("PIP_")})
            done.write_text(json.dumps({"installs": installs, "packages": sorted(_distributions(venv) - own)}))
        done.touch()
    _prune(cache)
    packages = set(json.loads(done.read_text())["packages"])
    pins = {_name(c) for c in constraints if "==" in c}
    unpinned = sorted(packages - pins - {"sparkleap"})
    if unpinned:
        raise ValueError(f"the image installs {', '.join(unpinned)} without an == pin in the lock file "
                         "(constraints.txt)")
    return venv, packages


def _distributions(venv: Path) -> set[str]:
    """Normalized names of the distributions installed in `venv`."""
    listing = subprocess.run([str(venv / "bin" / "python"), "-c", "import importlib.metadata as m, json; "
                              "print(json.dumps([d.metadata['Name'] for d in m.distributions()]))"],
                             capture_output=True, text=True, check=True).stdout
    return {_name(name) for name in json.loads(listing)}


def _prune(cache: Path) -> None:
    """Keep the KEEP_VENVS most recently used venvs and the local-project snapshots they were built from."""
    marks = sorted(cache.glob("venv-*/.complete"), key=lambda p: p.stat().st_mtime, reverse=True)
    for mark in marks[KEEP_VENVS:]:
        shutil.rmtree(mark.parent, ignore_errors=True)
        (cache / f"{mark.parent.name}.lock").unlink(missing_ok=True)
    used = "".join(mark.read_text() for mark in marks[:KEEP_VENVS] if mark.exists())
    for snapshot in cache.glob("src/*"):
        if snapshot.name not in used and time.time() - snapshot.stat().st_mtime > 3600:  # older: no build in flight
            shutil.rmtree(snapshot, ignore_errors=True)


def base_python(base_image: str) -> str:
    """The interpreter standing in for `FROM python:X.Y[-variant]`: this one, if it is X.Y."""
    match = re.fullmatch(r"(?:docker\.io/(?:library/)?)?python:(\d+\.\d+)[\w.-]*", base_image)
    if not match:
        raise UnsupportedInstruction(f"FROM {base_image}: only the official python:X.Y images are replayed")
    wanted = match.group(1)
    if f"{sys.version_info.major}.{sys.version_info.minor}" == wanted:
        return str(Path(sys.base_prefix) / "bin" / f"python{wanted}")
    found = shutil.which(f"python{wanted}")
    if not found:
        raise FileNotFoundError(f"FROM {base_image}: no python{wanted} on this machine")
    return found


def build(dockerfile: Path, name: str, context: Path, root: Path, cache: Path) -> FreshImage:
    spec = target(parse(dockerfile), name)
    ignore_file = Path(f"{dockerfile}.dockerignore")
    rules = read_ignore(ignore_file if ignore_file.exists() else context / ".dockerignore")
    for folder in BASE_IMAGE_DIRS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    python = base_python(spec.base_image)
    replay = _Replay(name, spec, context, rules, root, python, cache)
    replay.run()
    venv, packages = _venv(python, replay.installs, replay.constraints, cache)
    return FreshImage(name, spec, root, venv, replay.installs, replay.skipped, packages)
