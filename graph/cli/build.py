"""``kg build``, ``kg validate`` and ``kg stats``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from graph.cli.app import (
    BuildOption,
    DataOption,
    OutOption,
    ReportFormat,
    ReportFormatOption,
    app,
    build_dir,
    choose_data,
    err_console,
    handle_errors,
    out_console,
    out_dir,
)
from graph.defaults import DEFAULT_BASE_IRI
from graph.defaults import SHACL_ENGINES as ENGINES
from graph.store.export import FORMATS

if TYPE_CHECKING:
    from graph.build.pipeline import Built, Checked

BaseIriOption = Annotated[str, typer.Option("--base-iri", help="Base IRI of entities, statements, sources and graphs.")]


EngineOption = Annotated[
    str,
    typer.Option(
        "--shacl-engine",
        help=f"Who checks the SHACL shapes: {', '.join(ENGINES)}. auto, data: the constraints data can break, over ids "
        "as the sources load and as SPARQL on the store (the rest hold by construction, proven by tests). "
        "pyshacl (the reference) or sparql (every shape as SPARQL on Oxigraph): every shape, for an audit.",
    ),
]


class RichProgress:
    """Progress bars on stderr: one per phase, with counts, rate and elapsed time."""

    def __init__(self, shown: bool = True) -> None:
        self.bars = Progress(
            TextColumn("{task.description}", style="bold", markup=False),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}", markup=False),
            TextColumn("{task.fields[rate]}", style="dim", markup=False),
            TimeElapsedColumn(),
            console=err_console,
            transient=False,
            disable=not shown,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self.bars.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.bars.stop()

    def start(self, phase: str, total: int | None, unit: str) -> None:
        self.task = self.bars.add_task(phase, total=total, unit=unit, rate="")

    def advance(self, amount: int) -> None:
        if self.task is not None:
            self.bars.advance(self.task, amount)
            task = self.bars.tasks[self.task]
            if task.elapsed:
                self.bars.update(self.task, rate=f"{task.completed / task.elapsed:,.0f}/s")

    def finish(self) -> None:
        if self.task is not None:
            task = self.bars.tasks[self.task]
            self.bars.update(self.task, total=task.total or task.completed or 1, completed=task.total or task.completed or 1)
            self.task = None


def _counts_table(title: str, counts: dict[str, Any]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left", box=None, padding=(0, 2, 0, 0))
    table.add_column("what", style="bold")
    table.add_column("count", justify="right")
    table.add_column("detail", style="dim")
    for key, value in counts.items():
        if isinstance(value, dict):
            detail = ", ".join(f"{k} {v:,}" for k, v in value.items())
            table.add_row(key.replace("_", " ").replace(" by ", " (by ") + ")", f"{sum(value.values()):,}", detail)
        elif isinstance(value, int):
            table.add_row(key.replace("_", " "), f"{value:,}", "")
        else:
            table.add_row(key.replace("_", " "), "", str(value))
    return table


#: warnings kg build and kg validate print; the rest are counted (kg entities --duplicates lists every name clash)
SHOWN_WARNINGS = 20


def print_warnings(checked: Checked) -> None:
    """Warnings on stderr, one line each as ``file:line: field: message``, literally (never as markup)."""
    for problem in checked.warnings[:SHOWN_WARNINGS]:
        err_console.print(Text.assemble(("warning: ", "bold yellow"), str(problem)), highlight=False, soft_wrap=True)
    hidden = checked.warning_count - min(len(checked.warnings), SHOWN_WARNINGS)
    if hidden > 0:
        err_console.print(f"… and {hidden:,} more warning(s); kg entities --duplicates lists every name clash", highlight=False)


def _warnings_json(checked: Checked) -> dict[str, Any]:
    return {"warnings": [str(p) for p in checked.warnings], "warning_count": checked.warning_count}


def export_formats(value: str) -> list[str] | None:
    """``--export``: None for all formats, [] for none, else the named ones (checked)."""
    if value.strip() == "all":
        return None
    if value.strip() == "none":
        return []
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise typer.BadParameter(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}, all or none", param_hint="--export")
    return names


@app.command("build")
@handle_errors
def build_command(
    data: DataOption = None,
    out: OutOption = None,
    base_iri: BaseIriOption = DEFAULT_BASE_IRI,
    format: ReportFormatOption = ReportFormat.table,
    full: Annotated[bool, typer.Option("--full", help="Rebuild every source, even those whose files did not change.")] = False,
    shacl_engine: EngineOption = "auto",
    export: Annotated[
        str,
        typer.Option(
            "--export",
            help=f"RDF exports to write now, comma-separated ({', '.join(FORMATS)}), 'all' or 'none'. "
            "By default none: kg export writes each format on first use into the build folder and serves it from there "
            "(each costs about one Oxigraph dump of the store).",
        ),
    ] = "none",
) -> None:
    """Validate the data, build the Oxigraph store, the network cache and (for small graphs) the view.

    RDF exports are written on demand by kg export (or now, with --export). A rebuild reloads only the sources whose files changed (a full build when entities, the
    ontology or the base IRI changed, or with --full); the result is the same graph either way.
    A failed build changes nothing: the previous store and exports stay as they were.
    """
    import time

    from graph.build.pipeline import build

    chosen = choose_data(data, announce=format is not ReportFormat.json)  # -f json: said in the JSON, stderr holds only an error
    target = out_dir(out, chosen)
    started = time.perf_counter()
    with RichProgress(shown=format is not ReportFormat.json) as progress:  # with -f json, stderr holds only an error
        built: Built = build(
            chosen.path, target, base_iri=base_iri, progress=progress, full=full, engine=shacl_engine, exports=export_formats(export)
        )
    wall = time.perf_counter() - started
    print_warnings(built.checked)
    if format is ReportFormat.json:
        out_console.print_json(
            json.dumps(
                {
                    **chosen.as_json(),
                    "build_dir": str(built.build_dir),
                    "counts": built.counts,
                    "timings_s": built.timings,
                    "mode": built.mode,
                    "reloaded_sources": built.reloaded,
                    "exports": {k: str(v) for k, v in built.exports.items()},
                    "view": str(built.view) if built.view else None,
                    "wall_s": round(wall, 3),
                    **_warnings_json(built.checked),
                }
            )
        )
        return
    how = "" if built.mode == "full" else f" (incremental: {len(built.reloaded)} source(s) reloaded)"
    out_console.print(_counts_table(f"Built {built.out.current_link}  →  {built.build_dir.name}{how}", built.counts))
    timings = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in built.timings.items())
    # phases marked "(workers, cpu)" ran in other processes at the same time: the total is the wall time
    out_console.print(Text(f"{timings}; total {wall:.2f} s", style="dim"))
    out_console.print(f"Data:    {chosen.path}", highlight=False, soft_wrap=True, markup=False)
    out_console.print(f"Store:   {built.out.current_link / 'store'}", highlight=False, soft_wrap=True)
    if built.exports:
        exports = f"{built.out.current_link / 'export'} ({', '.join(p.name for p in built.exports.values())})"
    else:
        exports = "on demand: kg export -f FORMAT writes one into the build folder once, then serves it"
    out_console.print(f"Exports: {exports}", highlight=False, soft_wrap=True)
    if built.view:
        view = str(built.out.current_link / "view" / "quotegraph.html")
    else:
        view = "none: the graph is too big to draw whole; kg view --focus, --source or --top draws a part"
    out_console.print(f"View:    {view}", highlight=False, soft_wrap=True)


@app.command("validate")
@handle_errors
def validate_command(
    data: DataOption = None,
    base_iri: BaseIriOption = DEFAULT_BASE_IRI,
    format: ReportFormatOption = ReportFormat.table,
    shacl_engine: EngineOption = "auto",
) -> None:
    """Check the data and the graph it would build (pydantic, references, quotes, SHACL). Writes nothing."""
    from graph.build.pipeline import check

    chosen = choose_data(data, announce=format is not ReportFormat.json)
    with RichProgress(shown=format is not ReportFormat.json) as progress:
        checked: Checked = check(chosen.path, base_iri=base_iri, progress=progress, engine=shacl_engine)
    counts = checked.counts()
    print_warnings(checked)
    if format is ReportFormat.json:
        out_console.print_json(
            json.dumps({"valid": True, **chosen.as_json(), "counts": counts, "timings_s": checked.timings, **_warnings_json(checked)})
        )
        return
    out_console.print(_counts_table("Valid: every quote anchored, SHACL conforms", counts))


@app.command("stats")
@handle_errors
def stats_command(build: BuildOption = None, format: ReportFormatOption = ReportFormat.table) -> None:
    """Counts of the built graph, read from the store."""
    from graph.store.stats import store_stats

    target = build_dir(build)
    stats = store_stats(target.open_store(), target.manifest())
    if format is ReportFormat.json:
        out_console.print_json(json.dumps(stats))
        return
    out_console.print(_counts_table(f"Graph in {target.current_link}", stats))
