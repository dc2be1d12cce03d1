"""``kg push``: send the built graph to a SPARQL 1.1 graph store."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from graph.cli.app import BuildOption, ReportFormat, app, build_dir, err_console, fail, handle_errors, out_console
from graph.defaults import PUSH_BATCH_SIZE as DEFAULT_BATCH_SIZE

if TYPE_CHECKING:
    from graph.remote.push import PushReport


def _print_report(report: PushReport, fmt: ReportFormat) -> None:
    if fmt is ReportFormat.json:
        out_console.print_json(json.dumps(report.as_json()))
        return
    table = Table(title=f"Graphs at {report.endpoint}", title_justify="left")
    table.add_column("graph", overflow="fold")
    table.add_column("triples", justify="right")
    table.add_column("batches", justify="right")
    table.add_column("status")
    colours = {"pushed": "green", "failed": "red", "incomplete": "bold red", "not sent": "yellow"}
    for graph in report.graphs:
        table.add_row(
            graph.iri, f"{graph.triples:,}", f"{graph.batches_sent}/{graph.batches}", Text(graph.status, style=colours[graph.status])
        )
    out_console.print(table)


@app.command("push")
@handle_errors
def push_command(
    endpoint: Annotated[
        str,
        typer.Option(
            help="Graph Store HTTP Protocol URL of the store (Oxigraph: http://host:7878/store, Fuseki: http://host:3030/DATASET/data, "
            "GraphDB: http://host:7200/repositories/REPO/rdf-graphs/service, Neptune: https://host:8182/sparql/gsp/).",
            show_default=False,
        ),
    ],
    graph: Annotated[
        list[str] | None,
        typer.Option("--graph", help="Push only this named graph (an IRI of the store; repeatable). Default: every graph."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace graphs that already exist at the endpoint. Without it, push sends nothing if one exists."),
    ] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Triples per request for large graphs.", min=1)] = DEFAULT_BATCH_SIZE,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each answer of the endpoint.", min=0.1)] = 300.0,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="table or json (the report on stdout).")] = ReportFormat.table,
    build: BuildOption = None,
) -> None:
    """Send the built graph to a SPARQL 1.1 store, one named graph per graph of the store.

    Each source's graph and claims graph, the entities graph and the ontology graph are PUT to
    the same graph IRIs at the endpoint, so pushing again replaces them instead of adding a
    copy. Credentials come from the environment only: $QUOTEGRAPH_ENDPOINT_TOKEN (bearer), or
    $QUOTEGRAPH_ENDPOINT_USER and $QUOTEGRAPH_ENDPOINT_PASSWORD (basic; digest with
    $QUOTEGRAPH_ENDPOINT_AUTH=digest). If a request fails, the report says which graphs arrived
    and which did not, and the exit code is 2.
    """
    from graph.remote.client import check_url, http_client
    from graph.remote.push import PushFailed, plan, push

    check_url(endpoint)
    store = build_dir(build).open_store()
    graphs = plan(store, graph)
    if not graphs:
        raise fail("the store holds no named graphs to push; run `kg build` first")
    total = sum(g.triples for g in graphs)
    with (
        http_client(timeout) as client,
        Progress(
            TextColumn("push", style="bold", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("triples"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=format is ReportFormat.json,  # with -f json, stderr holds only an error
        ) as progress,
    ):
        task = progress.add_task("push", total=total)
        try:
            report = push(
                store, endpoint, graphs, client, replace=replace, batch_size=batch_size, on_batch=lambda _, n: progress.advance(task, n)
            )
        except PushFailed as exc:
            progress.stop()
            _print_report(exc.report, format)
            raise
    _print_report(report, format)
    err_console.print(
        f"pushed {len(report.graphs)} graph(s), {report.triples:,} triples, to {endpoint} in {report.seconds:.2f} s", highlight=False
    )
