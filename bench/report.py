"""The run's report: bench/results.json, bench/results.png and the generated table in bench/README.md."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

from base.atomic import atomic_path, write_atomic
from bench.core import Entry
from bench.workbench import Sizes

BENCH = Path(__file__).resolve().parent
BEGIN = "<!-- BEGIN GENERATED RESULTS (python -m bench.run) -->"
END = "<!-- END GENERATED RESULTS -->"


def write_report(entries: list[Entry], sizes: Sizes, seconds: float, folder: Path = BENCH) -> None:
    meta = {"mode": sizes.mode, "seconds": round(seconds, 1), "date": dt.datetime.now().isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"}
    write_atomic(folder / "results.json", json.dumps([e.to_json() for e in entries], indent=2,
                                                      ensure_ascii=False) + "\n")
    chart(entries, folder / "results.png", meta)
    readme = folder / "README.md"
    text = readme.read_text() if readme.is_file() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    write_atomic(readme, f"{head}{BEGIN}\n{table(entries, meta)}{END}{tail}")


def _num(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def table(entries: list[Entry], meta: dict) -> str:
    """Markdown: the results table, then every missed target with its shortfall."""
    lines = [
        f"Run: `{meta['mode']}` mode, {meta['date']}, {meta['machine']}, {meta['seconds']:.0f} s. "
        f"{sum(e.met for e in entries)} of {len(entries)} figures met.",
        "",
        "| Issue | Figure | Value | Spread | Peer | Peer value | Ratio | Target | Met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        spread = f"±{e.extra['spread'] * 50:.0f} % ({e.extra['repeats']}×)" if "spread" in e.extra else "–"
        value = "not measured" if e.value is None else f"{_num(e.value)} {e.unit}"
        ratio = "–" if e.ratio is None else f"{_num(e.ratio)}×"
        met = "✅" if e.met else "❌"
        lines.append(f"| {e.issue} | {e.name} | {value} | {spread} | {e.peer or '–'} | {_num(e.peer_value)} | "
                     f"{ratio} | {e.target or '–'} | {met} |")
    lines += ["", "Ratio: ours relative to the peer, > 1 meaning ours is better (× faster, × more rows/s); for the "
                  "overhead figures (pipeline vs echo chain) it is ours ÷ peer, so lower is better. Spread: half the "
                  "(max − min) range over repeats, relative to the median.", ""]
    missed = [e for e in entries if not e.met]
    if missed:
        lines += ["Missed targets (by how much; the reasons are discussed below):", ""]
        for e in missed:
            if e.value is None:
                lines.append(f"- **{e.name}**: {e.note}")
            else:
                shortfall = f"{1 / e.margin:.2f}× off the target" if e.margin else "off the target"
                lines.append(f"- **{e.name}**: {_num(e.value)} {e.unit}"
                             f"{f', ratio {_num(e.ratio)}×' if e.ratio is not None else ''} against {e.target}: "
                             f"{shortfall}.{' ' + e.note if e.note else ''}")
        lines.append("")
    return "\n".join(lines) + "\n"


def chart(entries: list[Entry], path: Path, meta: dict) -> None:
    """Left: each target's margin (× inside or outside it, log scale). Right: ours vs the peer (× better)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targeted = [e for e in entries if e.target]
    compared = [e for e in entries if e.ratio is not None]
    height = max(4.0, 0.42 * max(len(targeted), len(compared)) + 1.8)
    fig, (left, right) = plt.subplots(1, 2, figsize=(16, height))
    _bars(left, [(e.name, e.margin, e.met, _target_label(e)) for e in targeted],
          "margin against the target (× inside it; < 1 = missed)", "target")
    _bars(right, [(e.name, _better(e), _better(e) >= 1, f"{_num(e.ratio)}× vs {e.peer}"[:60]) for e in compared],
          "ours vs the peer (× better; < 1 = the peer wins)", "parity")
    fig.suptitle(f"sparkleap benchmarks ({meta['mode']} run, {meta['date']}): green = met / better, "
                 "red = missed / worse, grey = not measured", fontsize=11)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)


def _better(e: Entry) -> float:
    return 1 / e.ratio if e.ratio_is_overhead and e.ratio else float(e.ratio or 0)


def _target_label(e: Entry) -> str:
    if e.value is None:
        return "not measured"
    shown = f"ratio {_num(e.ratio)}×" if e.target and e.target.startswith("ratio") else f"{_num(e.value)} {e.unit}"
    return f"{shown} (target {e.target})"


def _bars(ax, rows: list[tuple[str, float | None, bool, str]], xlabel: str, line_label: str) -> None:
    names = [r[0] for r in rows][::-1]
    rows = rows[::-1]
    known = [r[1] for r in rows if r[1]]
    lo = min([*known, 0.5]) / 2
    hi = max([*known, 2.0]) * 4
    for i, (_, x, ok, label) in enumerate(rows):
        if not x:
            ax.barh(i, hi, left=lo, color="#dddddd")
            ax.text(lo * 1.1, i, "not measured", va="center", fontsize=8)
            continue
        ax.barh(i, x - lo if x > lo else lo * 0.01, left=lo, color="#2e9e4f" if ok else "#d64541")
        ax.text(x * 1.08, i, label, va="center", fontsize=8)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.text(1.0, len(rows) - 0.4, f" {line_label}", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi * 8)
    ax.set_yticks(range(len(rows)), names, fontsize=8)
    ax.set_xlabel(xlabel)
