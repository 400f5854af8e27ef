"""The interop report: `runs/interop/report.json` (one entry per op, MLeap version, direction) and a table."""

from __future__ import annotations

import json
import os
from pathlib import Path

from interop.suite import Entry


def write(entries: list[Entry], path: Path) -> Path:
    """Write the report atomically (temp name, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    body = {"entries": [e.as_json() for e in entries], "agree": sum(e.agrees for e in entries), "total": len(entries)}
    tmp.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def table(entries: list[Entry]) -> str:
    """The report as a fixed-width text table; a documented divergence shows as 'divergence' with its note."""
    def diff(x: float) -> str:
        return "inf" if x == float("inf") else f"{x:.3g}"

    header = f"{'op':<34} {'mleap':<7} {'direction':<12} {'loaded':<6} {'rows':>5} {'vs ours':>9} {'vs spark':>9}"
    lines = [header + "  result"]
    for e in sorted(entries, key=lambda e: (e.op, e.version, e.direction)):
        result = "AGREES" if e.agrees and not e.note else "divergence" if e.agrees else "FAILS"
        lines.append(f"{e.op:<34} {e.version:<7} {e.direction:<12} {str(e.loaded):<6} {e.rows:>5} "
                     f"{diff(e.max_abs_diff):>9} {diff(e.spark_diff):>9}  {result}")
    notes = sorted({(e.op, e.note) for e in entries if e.note})
    failures = [e for e in entries if not e.agrees]
    lines += [f"  note {op}: {note}" for op, note in notes]
    lines += [f"  error {e.op} ({e.version}, {e.direction}): {e.error.splitlines()[0] if e.error else ''}"
              for e in failures]
    lines.append(f"{sum(e.agrees for e in entries)} of {len(entries)} entries agree or are documented divergences")
    return "\n".join(lines)
