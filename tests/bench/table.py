"""The benchmark as one table: phases as rows; time, peak RSS and ratio to the floor per size."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from .run import PHASES, Measurement


def seconds(value: float) -> str:
    """Seconds with two decimals, or four below 0.1 s (a query's milliseconds are not rounded to 0.00)."""
    return f"{value:,.2f}" if value >= 0.1 else f"{value:.4f}"


def benchmark_table(measurements: list[Measurement], machine: dict[str, Any]) -> Table:
    sizes = sorted({m.statements for m in measurements})
    by_key = {(m.phase, m.statements): m for m in measurements}
    title = f"quotegraph benchmark — {machine['nproc']} cores, {machine['ram_gb']} GB RAM, {machine['cpu']}, load {machine['loadavg']}"
    table = Table(title=title, title_justify="left")
    table.add_column("phase")
    for n in sizes:
        table.add_column(f"{n:,}\ntime s", justify="right")
        table.add_column("peak RSS MB", justify="right")
        table.add_column("× floor", justify="right")
    for phase in PHASES:
        if not any((phase.name, n) in by_key for n in sizes):
            continue
        # Text, not markup: the console prints strings literally, as it must for data
        name = Text(phase.name)
        if phase.floor:
            name.append(f"  (floor: {phase.floor.removeprefix('floor: ')})", style="dim")
        row: list[str | Text] = [name]
        for n in sizes:
            m = by_key.get((phase.name, n))
            if m is None:
                row += ["–", "–", ""]
                continue
            row += [seconds(m.seconds), f"{m.peak_rss_mb:,.0f}", f"{m.ratio:.2f}" if m.ratio is not None else ""]
        table.add_row(*row)
    return table


def as_markdown(measurements: list[Measurement], machine: dict[str, Any]) -> str:
    """The same table as Markdown, for the README and the closing note."""
    sizes = sorted({m.statements for m in measurements})
    by_key = {(m.phase, m.statements): m for m in measurements}
    head = "| phase | " + " | ".join(f"{n:,}: time s | RSS MB | × floor" for n in sizes) + " |"
    rule = "|---|" + "---:|---:|---:|" * len(sizes)
    lines = [head, rule]
    for phase in PHASES:
        if not any((phase.name, n) in by_key for n in sizes):
            continue
        cells = [phase.name + (f" (vs {phase.floor.removeprefix('floor: ')})" if phase.floor else "")]
        for n in sizes:
            m = by_key.get((phase.name, n))
            cells += ["–", "–", ""] if m is None else [seconds(m.seconds), f"{m.peak_rss_mb:,.0f}", f"{m.ratio:.2f}" if m.ratio else ""]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"Machine: {machine['nproc']} cores, {machine['ram_gb']} GB RAM, {machine['cpu']}; load average at the end: {machine['loadavg']}."
    )
    return "\n".join(lines)
