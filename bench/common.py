"""Timing, results and the table the harness prints."""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


@dataclass
class Result:
    """One figure beside its baseline; ``budget`` is the limit it should stay under."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    budget: float | None = None
    budget_kind: str = "absolute"  # "absolute" (value < budget) or "ratio" (value / baseline <= budget)
    note: str = ""
    samples: list[float] = field(default_factory=list)
    #: Results of one ``group`` are also printed side by side: one line per ``row``, one pair of
    #: columns (baseline, figure) per ``column`` (see :func:`side_by_side`).
    group: str = ""
    row: str = ""
    column: str = ""
    baseline_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @property
    def met(self) -> bool | None:
        if self.budget is None:
            return None
        if self.budget_kind == "ratio":  # at most so many times the baseline
            return self.ratio is not None and self.ratio <= self.budget
        return self.value < self.budget


def median_time(action: Callable[[], object], *, repeat: int, warmup: int = 1) -> tuple[float, list[float]]:
    """The median wall time of ``action`` in milliseconds, and every sample."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), samples


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "KB":
        return f"{value:,.1f} KB"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def table(results: list[Result]) -> str:
    """The results as a plain-text table."""
    rows = [("measure", "figure", "baseline", "ratio", "budget", "met")]
    for r in results:
        budget = ""
        if r.budget is not None:
            budget = f"<= {r.budget:g}x" if r.budget_kind == "ratio" else f"< {r.budget:g} {r.unit}"
        met = "" if r.met is None else ("yes" if r.met else "NO")
        baseline = f"{_figure(r.baseline, r.unit)} ({r.baseline_name})" if r.baseline is not None else "-"
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        rows.append((r.name, _figure(r.value, r.unit), baseline, ratio, budget, met))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"* {r.name}: {r.note}" for r in results if r.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def side_by_side(results: list[Result], group: str, baseline: str, figure: str) -> str:
    """The results of ``group`` as a table: one line per row, and for each column the baseline, the
    figure and their ratio ("" when the group has no results)."""
    chosen = [r for r in results if r.group == group]
    if not chosen:
        return ""
    rows = list(dict.fromkeys(r.row for r in chosen))
    columns = list(dict.fromkeys(r.column for r in chosen))
    found = {(r.row, r.column): r for r in chosen}
    header = ["action"] + [f"{name} {column}" for column in columns for name in (baseline, figure, "ratio")]
    lines = [header]
    for row in rows:
        cells = [row]
        for column in columns:
            r = found.get((row, column))
            if r is None:
                cells += ["-", "-", "-"]
            else:
                ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
                cells += [_figure(r.baseline, r.unit), _figure(r.value, r.unit), ratio]
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)


def save(results: list[Result]) -> Path:
    """Write the results as JSON (one file per run and ``latest.json``)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = {
        "when": stamp,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
        "results": [{**asdict(r), "ratio": r.ratio, "met": r.met} for r in results],
    }
    text = json.dumps(document, indent=2)
    path = RESULTS / f"{stamp}.json"
    path.write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return path


def _cpus() -> int:
    import os

    return os.cpu_count() or 0
