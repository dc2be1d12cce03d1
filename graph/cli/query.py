"""``kg query`` and ``kg export``."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph
import typer
from rich.table import Table

from graph.cli.app import BuildOption, LangOption, app, build_dir, err_console, fail, handle_errors, out_console
from graph.cli.output import Report, labelled, note
from graph.errors import EXIT_USAGE
from graph.model.lang import Lang
from graph.network.formats import NETWORK_FORMATS, export_projection
from graph.network.names import IndexedNames
from graph.query.dataset import CACHE_DIRNAME, read_dataset
from graph.query.offline import offline
from graph.query.params import resolve_params
from graph.query.results import GRAPH_FORMATS, write_csv, write_graph, write_json, write_table, write_tsv
from graph.query.run import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, QueryResult, bundled_queries, deadline, resolve_query, run_query
from graph.store.builds import OutDir
from graph.store.export import FORMATS, prefixes_for, serve_export, serve_export_to_file


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    turtle = "turtle"
    ntriples = "ntriples"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


# RDF formats of the whole graph, then the network formats of its projection (entities and statements)
ExportFormatName = Enum("ExportFormatName", {name: name for name in (*FORMATS, *NETWORK_FORMATS)}, type=str)  # type: ignore[misc]


def parse_param(raw: str, prefixes: dict[str, str]) -> tuple[str, pyoxigraph.NamedNode | pyoxigraph.Literal]:
    """``name=value``: a valid ``<iri>`` or ``prefix:local`` binds an IRI, anything else a plain string."""
    name, sep, value = raw.partition("=")
    if not sep or not name.isidentifier():
        raise typer.BadParameter(f"expected NAME=VALUE, got {raw!r}", param_hint="--param")
    if value.startswith("<") and value.endswith(">"):
        try:
            return name, pyoxigraph.NamedNode(value[1:-1])
        except ValueError:
            pass  # not an IRI: it is text
    prefix, colon, local = value.partition(":")
    if colon and prefix in prefixes and "/" not in local:
        try:
            return name, pyoxigraph.NamedNode(prefixes[prefix] + local)
        except ValueError:
            pass  # "entity:musk> } ..." is no IRI: it is text
    return name, pyoxigraph.Literal(value)


def _warn_unfiltered(reason: str) -> None:
    err_console.print(
        f"warning: queries run without the network filter here ({reason}); only the query check keeps them offline",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _list_queries(format: QueryFormat) -> None:
    if format is QueryFormat.json:
        listed = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [{"name": k, "kind": q.param_kinds[k], "description": v} for k, v in q.params.items()],
            }
            for q in bundled_queries().values()
        ]
        sys.stdout.write(json.dumps({"queries": listed}, ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
        return
    if format is not QueryFormat.table:
        raise fail(f"--list prints a table or json, not {format.value}")
    table = Table(title="Bundled queries (kg query NAME)", title_justify="left")
    table.add_column("name", style="bold cyan")
    table.add_column("title")
    table.add_column("parameters")
    for query in bundled_queries().values():
        # lang is set by --lang for every query that has it; the others are given with --param
        table.add_row(query.name, query.title, ", ".join(f"{k} ({query.param_kinds[k]})" for k in query.params if k != "lang"))
    out_console.print(table)
    note("--param NAME=VALUE; an entity is named by id, label or alias; labels follow --lang")


@app.command("query")
@handle_errors
def query_command(
    query: Annotated[
        str | None, typer.Argument(help="SPARQL text, a .rq file, or the name of a bundled query.", show_default=False)
    ] = None,
    format: Annotated[
        QueryFormat,
        typer.Option(
            "--format", "-f", help="table, csv, tsv or json (SPARQL 1.1 Results JSON); CONSTRUCT/DESCRIBE print RDF (turtle default)."
        ),
    ] = QueryFormat.table,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Bind a variable: NAME=VALUE (VALUE as <iri>, prefix:local or else text). Repeatable."),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds before the query is stopped.", min=0.1)] = DEFAULT_TIMEOUT_S,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Stop after this many rows (a note on stderr says so).", min=1)
    ] = DEFAULT_MAX_ROWS,
    list_: Annotated[bool, typer.Option("--list", help="List the bundled queries and exit.")] = False,
    lang: LangOption = Lang.en,
    build: BuildOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option(
            help="Run on a remote SPARQL 1.1 endpoint instead of the local build (credentials: $QUOTEGRAPH_ENDPOINT_TOKEN, "
            "or $QUOTEGRAPH_ENDPOINT_USER and $QUOTEGRAPH_ENDPOINT_PASSWORD).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run a SPARQL query on the built graph (read-only, offline, time-limited).

    Without GRAPH, a query sees what the sources narrate; claims are in the claims graphs
    (GRAPH ?g { ... }) and on the statement nodes with who asserts them. A bundled query's
    entity parameters take an id, a label or an alias (--param entity=Musk).
    """
    if list_:
        _list_queries(format)
        return
    if query is None:
        raise fail("give a query: SPARQL text, a .rq file or a bundled query name (kg query --list)")
    text, label = resolve_query(query)
    if endpoint is not None:
        from graph.query.run import checked
        from graph.remote.client import Endpoint
        from graph.remote.names import RemoteNames, RemoteStatements

        checked(text)  # a refused query sends nothing, not even the question for the endpoint's graphs
        remote = Endpoint.connect(endpoint, timeout=timeout)
        prefixes = prefixes_for(remote.base_iri)
        given = dict(parse_param(p, prefixes) for p in (param or []))
        # names and statement ids are looked up at the endpoint, by the rules of a local lookup
        lookup = RemoteNames(remote, timeout), RemoteStatements(remote, timeout)
        params = resolve_params(None, bundled_queries().get(label), given, lang, *lookup)
        result = remote.query(text, params=params, prefixes=prefixes, timeout=timeout, max_rows=max_rows)
    else:
        target = build_dir(build)
        manifest = target.manifest()
        prefixes = prefixes_for(manifest.get("base_iri", ""))
        given = dict(parse_param(p, prefixes) for p in (param or []))
        served = OutDir(target.root, pinned=target.current())  # one build for everything below

        def expire() -> None:
            message = f"query exceeded the time limit of {timeout:g} s (raise it with --timeout)"
            Report.single("query-timeout", message, EXIT_USAGE).print(format is QueryFormat.json)
            sys.stderr.flush()
            os._exit(2)  # Oxigraph cannot cancel a running query; end the process instead

        def evaluate() -> QueryResult:
            """Open, bind and run on a thread that cannot open network connections (graph.query.offline)."""
            store = served.open_store()
            # a bundled query's entity parameters are looked up in the build's name index (in the store without one)
            names = IndexedNames.open(served.current() / CACHE_DIRNAME)
            params = resolve_params(store, bundled_queries().get(label), given, lang, names)
            with deadline(timeout, expire):
                return run_query(store, text, params=params, max_rows=max_rows, prefixes=prefixes, dataset=read_dataset(served.current()))

        result = offline(evaluate, on_unavailable=_warn_unfiltered)
    if result.kind == "graph":
        fmt = format.value if format.value in GRAPH_FORMATS else ("jsonld" if format is QueryFormat.json else "turtle")
        write_graph(result, sys.stdout.buffer, fmt, prefixes)
    elif format is QueryFormat.json:
        write_json(result, sys.stdout)
    elif format is QueryFormat.csv:
        write_csv(result, sys.stdout)
    elif format is QueryFormat.tsv:
        write_tsv(result, sys.stdout)
    elif format is QueryFormat.table:
        write_table(result, out_console, prefixes, title=None if label == "query" else label)
        if result.kind == "select":
            note(f"{len(result.rows)} row(s)")
    else:
        raise fail(f"--format {format.value} is for CONSTRUCT/DESCRIBE results; use table, csv, tsv or json")
    if result.endpoint_limit is not None:
        labelled(
            "warning",
            f"the endpoint sent only its first {result.endpoint_limit:,} rows (its own limit: Virtuoso's ResultSetMaxRows); "
            "the answer is incomplete",
        )
    elif result.truncated:
        labelled("note", f"stopped after {max_rows:,} rows (--max-rows)")


@app.command("export")
@handle_errors
def export_command(
    format: Annotated[
        ExportFormatName,
        typer.Option("--format", "-f", help="An RDF format, or graphml, gexf or csv for network tools.", case_sensitive=False),
    ] = "turtle",  # type: ignore[assignment]
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write, or - for stdout; for csv a folder. Files are written atomically.")
    ] = "-",
    lang: LangOption = Lang.en,
    build: BuildOption = None,
) -> None:
    """Export the built graph as RDF, or its network of entities and statements for Gephi and Cytoscape.

    TriG, N-Quads and JSON-LD hold every named graph (claims included); Turtle, N-Triples and
    RDF/XML hold the default view: everything except the claims graphs. An RDF export is written
    once into the build folder (export/quotegraph.EXT) and served from there afterwards. GraphML and GEXF hold
    entities as nodes and statements as edges with their quotes, voices and sources (node and
    edge labels in --lang); csv writes nodes.csv and edges.csv into the folder -o names.
    """
    target = build_dir(build)
    if format.value in NETWORK_FORMATS:
        for path in export_projection(target.open_store(), format.value, output, lang.value, sys.stdout.buffer):
            err_console.print(f"wrote {path} ({path.stat().st_size:,} bytes, {format.value})", highlight=False)
        return
    fmt = FORMATS[format.value]
    # written once into the build folder, then served from there (graph.store.export)
    folder = target.current()
    base_iri = target.manifest().get("base_iri", "")
    if output == "-":
        serve_export(folder, target.open_store, fmt, sys.stdout.buffer, base_iri)
        sys.stdout.buffer.flush()
        return
    path = serve_export_to_file(folder, target.open_store, fmt, Path(output), base_iri)
    err_console.print(f"wrote {path} ({path.stat().st_size:,} bytes, {fmt.name})", highlight=False)
