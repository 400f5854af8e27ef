"""Read a Dockerfile as BuildKit does, far enough to know what one target's image holds.

`parse(path)` gives the stages; `target(stages, name)` gives the instructions that build stage `name`
(its `FROM <stage>` chain, oldest first) with line continuations joined, comments dropped and `$VAR` /
`${VAR}` expanded from ARG and ENV as they stand at that line. `.dockerignore` patterns are matched with
`ignored(path, patterns)`, as Docker's pattern matcher does (last match wins, `!` re-includes, a pattern
that matches a folder matches everything in it).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

_VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: RUN, COPY, ENV, ...
    args: str  # the text after the keyword, continuation lines joined
    line: int  # 1-based line of the keyword


@dataclass
class Stage:
    base: str  # the FROM image or an earlier stage's name
    name: str
    instructions: list[Instruction] = field(default_factory=list)


@dataclass
class Target:
    """What a build of one target knows after its last instruction."""

    base_image: str  # the first FROM that is not a stage (e.g. python:3.11-slim)
    steps: list[Instruction]  # every instruction, variables expanded
    env: dict[str, str]
    labels: dict[str, str]
    workdir: str
    entrypoint: list[str]
    cmd: list[str]
    user: str | None
    expose: list[str]


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(line number, instruction text): `\\` continuations joined, comment lines dropped."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and pending is None):
            continue
        start, sofar = pending if pending else (number, "")
        if raw.rstrip().endswith("\\"):
            pending = (start, sofar + raw.rstrip()[:-1])
        else:
            pending = None
            out.append((start, sofar + raw))
    if pending:
        out.append(pending)
    return out


def parse(path: Path) -> list[Stage]:
    stages: list[Stage] = []
    for number, text in _logical_lines(path.read_text()):
        keyword, _, args = text.strip().partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--platform")]
            name = words[2] if len(words) == 3 and words[1].lower() == "as" else str(len(stages))
            stages.append(Stage(words[0], name))
        elif not stages:
            if keyword != "ARG":
                raise ValueError(f"{path}:{number}: {keyword} before the first FROM")
        else:
            stages[-1].instructions.append(Instruction(keyword, args, number))
    return stages


def words(args: str) -> list[str]:
    """Exec-form (JSON list) or shell-form arguments as a list."""
    if args.startswith("["):
        return json.loads(args)
    return shlex.split(args)


def _pairs(args: str) -> dict[str, str]:
    """ENV/LABEL arguments: `k=v k2="v 2"` or the legacy `k v`."""
    parts = shlex.split(args)
    if parts and "=" not in parts[0]:
        return {parts[0]: args.split(None, 1)[1] if len(parts) > 1 else ""}
    return dict(part.split("=", 1) for part in parts)


def expand(text: str, variables: dict[str, str]) -> str:
    return _VAR.sub(lambda m: variables.get(m.group(1) or m.group(2), ""), text)


def target(stages: list[Stage], name: str) -> Target:
    by_name = {stage.name: stage for stage in stages}
    if name not in by_name:
        raise ValueError(f"no stage named {name!r} (stages: {', '.join(by_name)})")
    chain = [by_name[name]]
    while chain[0].base in by_name:
        chain.insert(0, by_name[chain[0].base])
    result = Target(chain[0].base, [], {}, {}, "/", [], [], None, [])
    args: dict[str, str] = {}
    for stage in chain:
        for step in stage.instructions:
            variables = {**args, **result.env}
            raw = step.keyword in ("RUN", "CMD", "ENTRYPOINT", "ENV", "LABEL")  # ENV/LABEL: split, then expand
            text = step.args if raw else expand(step.args, variables)
            step = Instruction(step.keyword, text, step.line)
            result.steps.append(step)
            if step.keyword == "ARG":
                key, _, default = text.partition("=")
                args[key] = default
            elif step.keyword == "ENV":
                result.env.update({k: expand(v, variables) for k, v in _pairs(text).items()})
            elif step.keyword == "LABEL":
                result.labels.update({k: expand(v, variables) for k, v in _pairs(text).items()})
            elif step.keyword == "WORKDIR":
                result.workdir = str(Path(result.workdir, text))
            elif step.keyword == "ENTRYPOINT":
                result.entrypoint, result.cmd = words(text), []
            elif step.keyword == "CMD":
                result.cmd = words(text)
            elif step.keyword == "USER":
                result.user = text
            elif step.keyword == "EXPOSE":
                result.expose.extend(text.split())
    return result


def _pattern_regex(pattern: str) -> re.Pattern:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def read_ignore(path: Path) -> list[tuple[bool, re.Pattern]]:
    """(re-include?, regex) per `.dockerignore` line, in file order."""
    rules = []
    for line in path.read_text().splitlines() if path.exists() else []:
        line = line.strip()
        if line and not line.startswith("#"):
            negate = line.startswith("!")
            cleaned = str(Path(line.lstrip("!").strip().lstrip("/")))
            rules.append((negate, _pattern_regex(cleaned)))
    return rules


def ignored(relative: str, rules: list[tuple[bool, re.Pattern]]) -> bool:
    """Whether the context path `relative` (posix, no leading /) is left out of the build context."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for negate, regex in rules:
        if any(regex.match(prefix) for prefix in prefixes):
            excluded = not negate
    return excluded
