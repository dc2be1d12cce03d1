"""``kg serve``: the built graph as a read-only SPARQL endpoint with a query page."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated

import typer

from graph.cli.app import BuildOption, app, build_dir, err_console, fail, handle_errors
from graph.cli.output import labelled
from graph.query.run import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S

if TYPE_CHECKING:
    from graph.endpoint.pool import QueryPool


def _origin(value: str) -> str:
    """``--allow-origin``: an origin as browsers send it (scheme://host[:port], no path)."""
    import urllib.parse

    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise typer.BadParameter(f"expected an origin such as http://localhost:3000, got {value!r}", param_hint="--allow-origin")
    return f"{parts.scheme}://{parts.netloc}"


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
    allow_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-origin",
            help="Let web pages of this origin (scheme://host:port) query the endpoint, with CORS headers; repeatable. "
            "Pages of other origins are refused (403).",
            show_default=False,
        ),
    ] = None,
    no_network_filter: Annotated[
        bool,
        typer.Option(
            "--no-network-filter",
            help="Serve even where the query workers cannot be kept off the network (no seccomp: not Linux on x86-64 or "
            "AArch64); then only the query check refuses SERVICE.",
        ),
    ] = False,
    build: BuildOption = None,
) -> None:
    """Serve the built graph over the SPARQL 1.1 Protocol: read-only, loopback only by default.

    GET and POST /sparql (query=... or an application/sparql-query body) answer in SPARQL JSON,
    XML, CSV or TSV, and CONSTRUCT/DESCRIBE in Turtle, N-Triples, JSON-LD or RDF/XML, chosen by
    the Accept header (or ?format=). / is a query page; /graph is the interactive graph of the
    build, if `kg view` wrote one. Updates, LOAD, SERVICE and FROM graphs the store does not
    hold are refused (403), and the query workers cannot open network connections; a query
    past --timeout is stopped (504). Queries from web pages of other origins are refused unless
    --allow-origin names them. The server follows the output folder's current build across
    rebuilds (header Quotegraph-Build). Errors are JSON: {"error": {"status", "code", "message"}}.
    """
    from graph.endpoint.server import ServeSettings, bind, find_view, is_loopback, run
    from graph.store.publish import lease

    target = build_dir(build)
    target.open_store()  # a store that cannot be opened fails here, in one line, before anything listens
    origins = frozenset(_origin(o) for o in allow_origin or [])
    loopback = is_loopback(host)
    if not loopback:
        labelled(
            "warning",
            f"listening on {host}, not on loopback: anyone who can reach this machine can query the graph "
            "(read-only). Use the default --host 127.0.0.1 unless you mean it.",
            "bold yellow",
        )
    sock = bind(host, port)
    settings = ServeSettings(
        out=target,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        memory_limit_mb=memory_limit or None,
        loopback_only=loopback,
        allowed_origins=origins,
        network_filter=not no_network_filter,
    )

    def ready(pool: QueryPool) -> None:
        base = f"http://{_url_host(host)}:{sock.getsockname()[1]}"
        served = pool.build
        assert served is not None
        view = f"{base}/graph" if find_view(served / "view") else f"{base}/graph (no view in this build yet: kg view)"
        limit = f"{memory_limit:,} MiB per worker" if memory_limit else "no memory limit"
        follows = "" if target.pinned else f" (follows {target.current_link} as builds come)"
        err_console.print(
            f"Serving build {served.name} read-only with {workers} query worker(s){follows}\n"
            f"  SPARQL endpoint  {base}/sparql\n"
            f"  query page       {base}/\n"
            f"  graph view       {view}\n"
            f"Limits: {timeout:g} s per query, {max_rows:,} rows per answer, {limit}. Ctrl+C stops.",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )

    # a pinned build is kept from pruning while it is served; the current one is followed instead
    with lease(target.current()) if target.pinned else contextlib.nullcontext():
        started = run(settings, sock, ready, access_log=access_log)
    if not started:
        raise fail("the server could not start (see the messages above)")
