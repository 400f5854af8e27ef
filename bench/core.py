"""Benchmark entries, targets, and the timing helpers every group uses.

An entry is one figure: `value` (median over repeats) in `unit`, optionally a `peer` measured in the
same run, the `ratio` between them (its meaning in `ratio_means`), and a `target` on the value or the
ratio. A figure that could not be measured is still an entry: value null, met false, `note` saying why.
"""

from __future__ import annotations

import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Target:
    """`value <= bound` (kind "max") or `value >= bound` (kind "min"), on the entry's value or its ratio."""

    kind: str
    bound: float
    on: str = "value"

    def met(self, value: float | None, ratio: float | None) -> bool:
        x = ratio if self.on == "ratio" else value
        if x is None:
            return False
        return x <= self.bound if self.kind == "max" else x >= self.bound

    def margin(self, value: float | None, ratio: float | None) -> float | None:
        """How far inside (> 1) or outside (< 1) the target the figure is, as a factor."""
        x = ratio if self.on == "ratio" else value
        if x is None or x <= 0:
            return None
        return self.bound / x if self.kind == "max" else x / self.bound

    def text(self, unit: str) -> str:
        sign = "≤" if self.kind == "max" else "≥"
        return f"ratio {sign} {self.bound:g}×" if self.on == "ratio" else f"{sign} {self.bound:g} {unit}"


@dataclass(frozen=True)
class Spec:
    """What a figure is before it is measured: name, unit, target, peer and how the ratio reads."""

    name: str
    unit: str
    issue: int
    target: Target | None = None
    peer: str | None = None
    ratio_means: str | None = None  # e.g. "peer time / ours (× faster)"
    lower_is_better: bool = True
    ratio_is_overhead: bool = False  # ratio = ours / peer (× slower) instead of "× better than peer"


@dataclass
class Stats:
    """Repeats of one measurement: median, p10/p90 and relative spread ((max - min) / median)."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def pct(self, q: float) -> float:
        s = sorted(self.samples)
        return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]

    @property
    def spread(self) -> float:
        m = self.median
        return (max(self.samples) - min(self.samples)) / m if m else 0.0

    def fields(self, prefix: str = "") -> dict[str, Any]:
        return {f"{prefix}p10": self.pct(0.1), f"{prefix}p90": self.pct(0.9),
                f"{prefix}spread": round(self.spread, 4), f"{prefix}repeats": len(self.samples)}


@dataclass
class Entry:
    name: str
    value: float | None
    unit: str
    peer: str | None
    peer_value: float | None
    ratio: float | None
    target: str | None
    met: bool
    issue: int
    ratio_means: str | None = None
    ratio_is_overhead: bool = False
    margin: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        return {**data, **extra}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        names = {f.name for f in fields(cls)} - {"extra"}
        return cls(**{k: v for k, v in data.items() if k in names},
                   extra={k: v for k, v in data.items() if k not in names})


def merged(previous: list[Entry], fresh: list[Entry]) -> list[Entry]:
    """`previous` with each figure measured again replaced in place by its `fresh` entry; new figures last."""
    by_name = {e.name: e for e in fresh}
    kept = [by_name.pop(e.name, e) for e in previous]
    return kept + [e for e in fresh if e.name in by_name]


def entry(spec: Spec, value: Stats | float, peer: Stats | float | None = None, ratio: float | None = None,
          note: str = "", **extra: Any) -> Entry:
    """A measured entry. `ratio` defaults to "× better than the peer" (peer/value for times, value/peer for
    rates), or to value/peer when the spec's ratio is an overhead."""
    stats = value if isinstance(value, Stats) else Stats([float(value)])
    peer_stats = peer if isinstance(peer, Stats) or peer is None else Stats([float(peer)])
    v = stats.median
    pv = peer_stats.median if peer_stats else None
    if ratio is None and pv and v:
        ratio = pv / v if spec.lower_is_better and not spec.ratio_is_overhead else v / pv
    fields = stats.fields() if len(stats.samples) > 1 else {}
    if peer_stats and len(peer_stats.samples) > 1:
        fields.update(peer_stats.fields("peer_"))
    target = spec.target
    return Entry(
        name=spec.name, value=_round(v), unit=spec.unit, peer=spec.peer if pv is not None else None,
        peer_value=_round(pv), ratio=_round(ratio), target=target.text(spec.unit) if target else None,
        met=target.met(v, ratio) if target else True, issue=spec.issue,
        ratio_means=spec.ratio_means if ratio is not None else None, ratio_is_overhead=spec.ratio_is_overhead,
        margin=_round(target.margin(v, ratio)) if target else None, note=note, extra={**fields, **extra},
    )


def not_measured(spec: Spec, reason: str) -> Entry:
    return Entry(name=spec.name, value=None, unit=spec.unit, peer=spec.peer, peer_value=None, ratio=None,
                 target=spec.target.text(spec.unit) if spec.target else None, met=False, issue=spec.issue,
                 note=f"not measured: {reason}")


def _round(x: float | None) -> float | None:
    return None if x is None else float(f"{x:.4g}")


def failure_reason(exc: BaseException) -> str:
    """One line naming the exception and where it happened (last frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {first}{where}"


def repeat(fn: Callable[[], float], repeats: int) -> Stats:
    """Call `fn` (returns one measurement) `repeats` times."""
    return Stats([fn() for _ in range(repeats)])


def timed(fn: Callable[[], Any]) -> float:
    """Wall seconds of one call."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def percentile(samples: list[float], q: float) -> float:
    return Stats(samples).pct(q)
