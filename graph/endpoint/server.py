"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint, a query page and the graph view.

Starlette routes the requests and uvicorn serves them; neither evaluates SPARQL. Every query
goes to :class:`graph.endpoint.pool.QueryPool`, whose worker processes answer with Oxigraph's
engine and are killed when a query outlives its time limit (``graph/endpoint/pool.py`` says why).
The Oxigraph server itself is not used for serving: it follows ``SERVICE`` to any address with
no switch to turn that off, and on a timeout it answers 200 with half a body.

Routes::

    GET|POST /sparql     the SPARQL 1.1 Protocol (query=, application/sparql-query, form posts)
    GET /                the query page (own HTML, CSS and JS; nothing from other origins)
    GET /info.json       the build served, the limits and the bundled queries (for the page)
    GET /graph           the interactive graph of the build served (view/*.html), if built
    GET /view/...        the files of that build's view/

The build served is the one ``current`` points at, followed as builds come and go
(:class:`graph.endpoint.pool.QueryPool`); every answer of ``/sparql`` names it in the header
``Quotegraph-Build``.

Bound to loopback unless ``--host`` says otherwise; on loopback, requests whose ``Host`` is not
a loopback name are refused (a web page cannot reach the endpoint through DNS rebinding). A web
page of another origin cannot make the server run a query either: a request to ``/sparql`` whose
``Origin`` is not the server's own (or one ``--allow-origin`` names), or that the browser marks
``Sec-Fetch-Site: cross-site``/``same-site``, is refused with ``403 origin-refused`` (a link the
user follows, a top-level GET navigation, is not: its answer goes to the user, not to the page).
Clients that are not browsers (curl, SPARQLWrapper, YASGUI run from this server) send neither
header, or the server's own origin.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from graph.endpoint.pool import RETRY_S, PoolBusy, PoolSettings, PoolUnavailable, QueryPool, WorkerDied
from graph.endpoint.protocol import ERROR_MEDIA_TYPE, Job, ProtocolError, error_body
from graph.errors import QueryTimeout, UsageError
from graph.query.run import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, MAX_QUERY_CHARS, BundledQuery, bind_values, bundled_queries
from graph.store.builds import OutDir

#: A form-encoded query of MAX_QUERY_CHARS characters, percent-encoded, fits.
MAX_REQUEST_BYTES = MAX_QUERY_CHARS * 9 + 64 * 1024
WEB_DIR = Path(__file__).resolve().parent / "web"
VIEW_DIRNAME = "view"
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class ServeSettings:
    """What ``kg serve`` serves and its limits."""

    #: the output folder (its current build is served, followed across rebuilds) or one pinned build
    out: OutDir
    timeout: float = DEFAULT_TIMEOUT_S
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = 2
    memory_limit_mb: int | None = 1024
    loopback_only: bool = True
    #: origins (scheme://host:port) whose web pages may query the endpoint
    allowed_origins: frozenset[str] = field(default_factory=frozenset)
    network_filter: bool = True


def page_text(query: BundledQuery) -> str:
    """A bundled query as the query page offers it: label-language parameters bound to English.

    Bundled queries bind their parameters in a VALUES clause opening the WHERE group (see
    graph.query.run.bind_values); a ``lang`` parameter has a default, so the page can run the query as
    is. Entity parameters have none: the page shows the query unbound, with a comment saying what
    to bind.
    """
    defaults = {name: pyoxigraph.Literal("en") for name, kind in query.param_kinds.items() if kind == "lang"}
    text = bind_values(query.text, defaults) if defaults else query.text
    missing = [name for name in query.param_kinds if name not in defaults]
    if missing:
        hints = "\n".join(f"# bind ?{name} ({query.params[name]}), add after 'WHERE {{': VALUES ?{name} {{ <IRI> }}" for name in missing)
        text = f"{hints}\n{text}"
    return text


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``127.0.0.0/8``, ``::1``, ``localhost``)."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before the server starts (so ``--port 0`` can report its port)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def _host_of(header: str) -> str:
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def cross_origin(method: str, headers: dict[str, str], allowed: frozenset[str]) -> str | None:
    """Why a request to ``/sparql`` comes from another origin's web page and is refused; None if it may run.

    ``Origin`` is sent by browsers with every POST and every ``fetch``; ``Sec-Fetch-Site`` by
    current browsers with every request, ``<img>`` and ``<script>`` loads included.
    """
    origin = headers.get("origin")
    if origin is not None:
        # the server's own pages: the same host and port, http or https (behind a proxy that terminates TLS)
        if urllib.parse.urlsplit(origin).netloc == headers.get("host") or origin in allowed:
            return None
        return f"a query from a web page of {origin} is refused (kg serve --allow-origin {origin} allows it)"
    site = headers.get("sec-fetch-site", "none")
    if site in ("cross-site", "same-site") and not (method == "GET" and headers.get("sec-fetch-mode") == "navigate"):
        return f"a query from a web page of another site (Sec-Fetch-Site: {site}) is refused"
    return None


class _Guard:
    """Refuse non-loopback ``Host`` names when bound to loopback, and queries from other origins' pages; add security headers."""

    def __init__(self, app: ASGIApp, loopback_only: bool, allowed_origins: frozenset[str] = frozenset()):
        self.app = app
        self.loopback_only = loopback_only
        self.allowed_origins = allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if self.loopback_only and not is_loopback(_host_of(host)):
            response = _error(421, "host-refused", f"this endpoint answers only to loopback names, not to Host: {host}")
            await response(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        origin = headers.get("origin")
        cors = origin is not None and origin in self.allowed_origins and path == "/sparql"
        if path == "/sparql":
            if cors and scope["method"] == "OPTIONS":  # a preflight from an allowed origin
                await Response(status_code=204, headers=_cors_headers(origin or "", preflight=True))(scope, receive, send)
                return
            refusal = cross_origin(str(scope["method"]), headers, self.allowed_origins)
            if refusal is not None:
                await _error(403, "origin-refused", refusal, {"Vary": "Origin"})(scope, receive, send)
                return
        own_page = not path.startswith(f"/{VIEW_DIRNAME}/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(message.get("headers", []))
                extra.append((b"x-content-type-options", b"nosniff"))
                extra.append((b"referrer-policy", b"no-referrer"))
                if own_page:
                    extra.append((b"content-security-policy", PAGE_CSP.encode()))
                if cors:
                    extra += [(k.lower().encode(), v.encode()) for k, v in _cors_headers(origin or "").items()]
                message["headers"] = extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cors_headers(origin: str, preflight: bool = False) -> dict[str, str]:
    headers = {
        "Access-Control-Allow-Origin": origin,
        "Vary": "Origin",
        "Access-Control-Expose-Headers": "Quotegraph-Rows, Quotegraph-Truncated, Quotegraph-Build",
    }
    if preflight:
        headers |= {
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "600",
        }
    return headers


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(error_body(status, code, message), status_code=status, media_type=ERROR_MEDIA_TYPE, headers=headers)


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
        raise ProtocolError(413, "request-too-large", f"the request body is larger than {MAX_REQUEST_BYTES:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise ProtocolError(413, "request-too-large", f"the request body is larger than {MAX_REQUEST_BYTES:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "malformed-request", f"the {what} is not UTF-8") from None


def _form(text: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(text, keep_blank_values=True, max_num_fields=1000, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(400, "malformed-request", f"malformed form data: {exc}") from None


async def parse_request(request: Request, max_rows: int) -> Job:
    """A :class:`Job` from a SPARQL 1.1 Protocol query request, or :class:`ProtocolError`."""
    params = list(request.query_params.multi_items())
    query_texts: list[str] = []
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            raise ProtocolError(403, "update-refused", "SPARQL updates are refused: this endpoint is read-only")
        if content_type == "application/sparql-query":
            query_texts.append(_decode(await _read_body(request), "query"))
        elif content_type == "application/x-www-form-urlencoded":
            params += _form(_decode(await _read_body(request), "form"))
        else:
            raise ProtocolError(
                415, "unsupported-media-type", "POST a query as application/sparql-query or application/x-www-form-urlencoded (query=...)"
            )
    names = {name for name, _ in params}
    if "update" in names:
        raise ProtocolError(403, "update-refused", "SPARQL updates are refused: this endpoint is read-only")
    query_texts += [value for name, value in params if name == "query"]
    if not query_texts:
        raise ProtocolError(400, "missing-query", "no query: send query=... (GET or form POST) or an application/sparql-query body")
    if len(query_texts) > 1:
        raise ProtocolError(400, "malformed-request", "more than one query in one request")
    formats = [value for name, value in params if name == "format"]
    return Job(
        query=query_texts[0],
        accept=request.headers.get("accept"),
        format=formats[-1] if formats else None,
        default_graph_uris=tuple(value for name, value in params if name == "default-graph-uri"),
        named_graph_uris=tuple(value for name, value in params if name == "named-graph-uri"),
        max_rows=max_rows,
    )


def find_view(view_dir: Path) -> str | None:
    """The interactive graph's HTML file in ``view_dir``: quotegraph.html, index.html, or the first one."""
    if not view_dir.is_dir():
        return None
    pages = sorted(p.name for p in view_dir.glob("*.html") if p.is_file())
    for preferred in ("quotegraph.html", "index.html"):
        if preferred in pages:
            return preferred
    return pages[0] if pages else None


_NO_VIEW_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>quotegraph: no graph view</title>
<link rel="stylesheet" href="/query.css"></head>
<body><main><h1>No interactive graph in this build</h1>
<p>The build being served has no <code>view/</code> folder with an HTML page. Write one with
<code>kg view</code>; this page then leads to it, without restarting the server.</p>
<p><a href="/">Back to the query page</a></p></main></body></html>
"""


class _Views:
    """``/view/...``: the files of the served build's ``view/`` folder, whichever build that is now."""

    def __init__(self, build: Callable[[], Awaitable[Path]]):
        self.build = build
        self._files: dict[Path, StaticFiles] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        folder = (await self.build()) / VIEW_DIRNAME
        files = self._files.get(folder)
        if files is None:
            files = self._files[folder] = StaticFiles(directory=folder, check_dir=False)
        await files(scope, receive, send)


def create_app(settings: ServeSettings, on_ready: Callable[[QueryPool], None] | None = None) -> Starlette:
    """The ASGI application; its lifespan starts and stops the worker pool."""
    pool = QueryPool(
        PoolSettings(workers=settings.workers, memory_limit_mb=settings.memory_limit_mb, network_filter=settings.network_filter),
        locate=settings.out.current,
    )

    async def served() -> Path:
        """The build the pool answers from now (following ``current`` first)."""
        await pool.follow()
        assert pool.build is not None
        return pool.build

    assets = {name: (WEB_DIR / name).read_bytes() for name in ("index.html", "query.js", "query.css")}
    media = {"index.html": "text/html; charset=utf-8", "query.js": "text/javascript; charset=utf-8", "query.css": "text/css; charset=utf-8"}

    async def sparql(request: Request) -> Response:
        try:
            job = await parse_request(request, settings.max_rows)
            reply, build = await pool.run(job, settings.timeout)
        except ProtocolError as exc:
            return _error(exc.status, exc.code, exc.message)
        except QueryTimeout as exc:
            return _error(504, "query-timeout", str(exc))
        except PoolBusy as exc:
            return _error(503, "server-busy", str(exc), {"Retry-After": "1"})
        except PoolUnavailable as exc:
            return _error(503, "store-unavailable", str(exc), {"Retry-After": f"{RETRY_S:g}"})
        except WorkerDied as exc:
            return _error(500, "query-aborted", str(exc))
        headers = {"Vary": "Accept", "Cache-Control": "no-store", "Quotegraph-Build": build}
        if reply.rows is not None:
            headers["Quotegraph-Rows"] = str(reply.rows)
        if reply.truncated:
            headers["Quotegraph-Truncated"] = reply.truncated
        return Response(reply.body, status_code=reply.status, headers=headers, media_type=reply.media_type)

    def asset(name: str) -> Callable[[Request], Awaitable[Response]]:
        async def handler(request: Request) -> Response:
            return Response(assets[name], media_type=media[name])

        return handler

    async def info(request: Request) -> Response:
        build = await served()
        view = find_view(build / VIEW_DIRNAME)
        manifest = OutDir(settings.out.root, pinned=build).manifest()
        queries = [
            {"name": q.name, "title": q.title, "description": q.description, "params": q.params, "text": page_text(q)}
            for q in bundled_queries().values()
        ]
        return JSONResponse(
            {
                "build": build.name,
                "base_iri": str(manifest.get("base_iri", "")),
                "endpoint": "/sparql",
                "timeout_s": settings.timeout,
                "max_rows": settings.max_rows,
                "view": f"/{VIEW_DIRNAME}/{urllib.parse.quote(view)}" if view else None,
                "queries": queries,
            }
        )

    async def graph(request: Request) -> Response:
        view = find_view((await served()) / VIEW_DIRNAME)
        if view is None:
            return HTMLResponse(_NO_VIEW_PAGE, status_code=404)
        return RedirectResponse(f"/{VIEW_DIRNAME}/{urllib.parse.quote(view)}", status_code=307)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return _error(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        app.state.pool = pool
        if on_ready is not None:
            on_ready(pool)
        try:
            yield
        finally:
            await pool.close()

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/", asset("index.html"), methods=["GET"]),
        Route("/query.js", asset("query.js"), methods=["GET"]),
        Route("/query.css", asset("query.css"), methods=["GET"]),
        Route("/info.json", info, methods=["GET"]),
        Route("/graph", graph, methods=["GET"]),
        Mount(f"/{VIEW_DIRNAME}", app=_Views(served), name="view"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error})
    app.add_middleware(_Guard, loopback_only=settings.loopback_only, allowed_origins=settings.allowed_origins)
    return app


def run(settings: ServeSettings, sock: socket.socket, on_ready: Callable[[QueryPool], None], access_log: bool = False) -> bool:
    """Serve until interrupted (Ctrl+C or SIGTERM); ``False`` if the server could not start."""
    import uvicorn

    app = create_app(settings, on_ready)
    config = uvicorn.Config(
        app,
        lifespan="on",
        log_level="info" if access_log else "warning",
        access_log=access_log,
        server_header=False,
        h11_max_incomplete_event_size=MAX_REQUEST_BYTES,
        timeout_graceful_shutdown=5,
        http="h11",
        loop="asyncio",
        ws="none",
    )
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    return bool(server.started)
