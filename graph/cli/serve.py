"""``kg serve``: the built graph as a read-only SPARQL endpoint with a query page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from graph.cli.app import BuildOption, app, build_dir, err_console, fail, handle_errors
from graph.query.run import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S

if TYPE_CHECKING:
    from graph.endpoint.pool import QueryPool


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@app.command("serve")
@handle_errors
def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on. Anything but loopback exposes the graph to the network (a warning says so).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one and prints it).", min=0, max=65535)] = 7878,
    timeout: Annotated[
        float, typer.Option(help="Seconds a query may run before it is stopped (answered 504).", min=0.1)
    ] = DEFAULT_TIMEOUT_S,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Rows per answer at most; a cut answer carries the header Quotegraph-Truncated.", min=1)
    ] = DEFAULT_MAX_ROWS,
    workers: Annotated[int, typer.Option(help="Query worker processes (queries answered at the same time).", min=1, max=64)] = 2,
    memory_limit: Annotated[
        int, typer.Option("--memory-limit", help="MiB of memory per query worker; a query that needs more is stopped (0: no limit).", min=0)
    ] = 1024,
    access_log: Annotated[bool, typer.Option("--access-log", help="Log every request on stderr.")] = False,
    build: BuildOption = None,
) -> None:
    """Serve the built graph over the SPARQL 1.1 Protocol: read-only, loopback only by default.

    GET and POST /sparql (query=... or an application/sparql-query body) answer in SPARQL JSON,
    XML, CSV or TSV, and CONSTRUCT/DESCRIBE in Turtle, N-Triples, JSON-LD or RDF/XML, chosen by
    the Accept header (or ?format=). / is a query page; /graph is the interactive graph of the
    build, if `kg view` wrote one. Updates, LOAD, SERVICE and FROM graphs the store does not
    hold are refused (403); a query past --timeout is stopped (504). Errors are JSON:
    {"error": {"status", "code", "message"}}.
    """
    from graph.endpoint.server import ServeSettings, bind, find_view, is_loopback, run
    from graph.store.export import prefixes_for

    target = build_dir(build)
    served = target.current()
    manifest = target.manifest()
    target.open_store()  # a store that cannot be opened fails here, in one line, before anything listens
    loopback = is_loopback(host)
    if not loopback:
        err_console.print(
            f"[bold yellow]warning:[/] listening on {host}, not on loopback: anyone who can reach this machine can query the graph "
            "(read-only). Use the default --host 127.0.0.1 unless you mean it.",
            highlight=False,
            soft_wrap=True,
        )
    sock = bind(host, port)
    base_iri = str(manifest.get("base_iri", ""))
    settings = ServeSettings(
        build_dir=served,
        build_id=served.name,
        prefixes=prefixes_for(base_iri),
        base_iri=base_iri,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        memory_limit_mb=memory_limit or None,
        loopback_only=loopback,
    )

    def ready(pool: QueryPool) -> None:
        base = f"http://{_url_host(host)}:{sock.getsockname()[1]}"
        view = f"{base}/graph" if find_view(settings.view_dir) else f"{base}/graph (no view in this build yet: kg view)"
        limit = f"{memory_limit:,} MiB per worker" if memory_limit else "no memory limit"
        err_console.print(
            f"Serving build {settings.build_id} read-only with {workers} query worker(s)\n"
            f"  SPARQL endpoint  {base}/sparql\n"
            f"  query page       {base}/\n"
            f"  graph view       {view}\n"
            f"Limits: {timeout:g} s per query, {max_rows:,} rows per answer, {limit}. Ctrl+C stops.",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )

    if not run(settings, sock, ready, access_log=access_log):
        raise fail("the server could not start (see the messages above)")
