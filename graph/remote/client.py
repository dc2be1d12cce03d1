"""Other SPARQL stores over HTTP: credentials, error messages, and ``kg query --endpoint``.

Credentials come from the environment only, never from the command line or the URL (where
they would land in shell history and process lists): ``QUOTEGRAPH_ENDPOINT_TOKEN`` (a bearer
token), or ``QUOTEGRAPH_ENDPOINT_USER`` and ``QUOTEGRAPH_ENDPOINT_PASSWORD`` (HTTP Basic, or
Digest with ``QUOTEGRAPH_ENDPOINT_AUTH=digest``, which Virtuoso's graph store asks for). A value
no header can carry (a token file saved on Windows ends with CR LF) is refused by the name of
its variable and what is wrong with it, and no message ever prints a credential's value:
httpx's own messages quote header values, so every remote error passes :func:`redact`.

A remote store has its own default graph: Oxigraph's is the empty default graph, GraphDB,
Virtuoso and Neptune use the union of all graphs (claims included). So that a query means the
same everywhere, :class:`Endpoint` first asks the store which quotegraph graphs it holds (each
source graph declares itself ``a qg:SourceGraph`` and its claims graph ``a qg:ClaimsGraph``)
and then sends the SPARQL 1.1 Protocol's ``default-graph-uri`` (every quotegraph graph but the
claims graphs, as ``kg query`` does locally) and ``named-graph-uri`` (all of them, so that
``GRAPH ?g`` still reaches the claims). Results are parsed by Oxigraph while they stream in
and the response is closed after ``max_rows``, so a huge answer costs no memory.

What stores do differently, and what the client does about it (tested against Oxigraph's server
and Virtuoso 7.2 in tests/remote/):

* parameters are written into the query as constants where that means what ``kg query``'s
  ``VALUES`` clause means (:mod:`graph.remote.inline`: Virtuoso evaluates FILTERs on a
  ``VALUES``-bound variable wrongly);
* the ``Accept`` header follows the query form: Virtuoso answers a CONSTRUCT with a table of
  ``?s ?p ?o`` when a results format is acceptable at all;
* Virtuoso writes blank nodes in result sets as ``"nodeID://b10006"``, which no results parser
  takes as a label: the prefix is dropped while the answer streams in (:func:`_bnode_labels`);
* a store may cut an answer at its own row limit (Virtuoso's ``ResultSetMaxRows``, Debian's
  default 10,000) and say so only in a header (``X-SPARQL-MaxRows``): the result is marked
  (:attr:`graph.query.run.QueryResult.endpoint_limit`) and a lookup that needs every row fails.
"""

from __future__ import annotations

import io
import os
import re
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyoxigraph
from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from graph import __version__
from graph.errors import QueryTimeout, QuotegraphError, UsageError
from graph.model.vocab import ONTOLOGY_IRI, QG
from graph.query.run import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, QueryResult, checked
from graph.rdf.quads import Iris
from graph.remote.inline import inline_params
from graph.remote.text import query_form

ENV_TOKEN = "QUOTEGRAPH_ENDPOINT_TOKEN"  # noqa: S105 - the name of a variable, not a secret
ENV_USER = "QUOTEGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "QUOTEGRAPH_ENDPOINT_PASSWORD"  # noqa: S105 - the name of a variable, not a secret
ENV_AUTH = "QUOTEGRAPH_ENDPOINT_AUTH"
CONNECT_TIMEOUT_S = 10.0

# results formats for SELECT and ASK, RDF for CONSTRUCT and DESCRIBE; no TSV: Virtuoso's is not
# SPARQL's (strings in quotes, blank nodes as "nodeID://…"), though one that comes is parsed
_ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, application/ld+json;q=0.4"
# Virtuoso's blank nodes in JSON and XML results; at most 49 bytes, so 64 kept back between chunks find every one
_VIRTUOSO_BNODE = re.compile(rb'("type"\s{0,4}:\s{0,4}"bnode"\s{0,4},\s{0,4}"value"\s{0,4}:\s{0,4}"|<bnode>)nodeID://')
_CARRY = 64
# the header with which Virtuoso says that it cut the answer at its ResultSetMaxRows
_ENDPOINT_LIMIT = "x-sparql-maxrows"
_RESULT_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/xml": QueryResultsFormat.XML,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
}
_DECLARED_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


class RemoteError(QuotegraphError):
    """An endpoint could not be reached or answered with an error."""

    code = "remote-error"


def check_url(url: str) -> str:
    """An ``http(s)`` URL without credentials in it; :class:`UsageError` otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--endpoint must be an http:// or https:// URL, got {url!r}")
    if parts.username or parts.password:
        raise UsageError(f"put credentials in ${ENV_USER} and ${ENV_PASSWORD} (or ${ENV_TOKEN}), not in the URL")
    return url


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_NAMES = {"\r": "a carriage return", "\n": "a line feed", "\t": "a tab", "\x00": "a NUL character"}


def _credential(name: str, ascii_only: bool = False) -> str | None:
    """The value of one credential variable, refused (by name, never by value) if no HTTP header can carry it.

    A bearer token goes into the header as it is, and header values are ASCII (httpx raised a
    UnicodeEncodeError, a traceback); a user name and password are UTF-8 encoded into Basic or
    Digest credentials (RFC 7617), so they may hold any character but controls.
    """
    value = os.environ.get(name)
    if value is None:
        return None
    if ascii_only and not value.isascii():
        raise UsageError(
            f"${name} holds a character outside ASCII, which no HTTP header can carry "
            "(a token copied from a document may hold a typographic quote or a non-breaking space): set it again"
        )
    bad = _CONTROL.search(value)
    if bad is not None:
        what = _CONTROL_NAMES.get(bad.group(), f"the control character U+{ord(bad.group()):04X}")
        where = "ends with" if bad.start() >= len(value.rstrip("\r\n\t")) else "holds"
        hint = " (a file saved on Windows ends its lines with CR LF)" if bad.group() in "\r\n" else ""
        raise UsageError(f"${name} {where} {what}{hint}; no HTTP header can carry it: set it again without")
    if value != value.strip():
        raise UsageError(f"${name} begins or ends with a space; set it again without")
    return value


def secrets() -> list[str]:
    """The credential values of the environment as they could appear in a message (to be redacted)."""
    import base64

    values = [v for v in (os.environ.get(ENV_TOKEN), os.environ.get(ENV_PASSWORD)) if v]
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user is not None and password:
        values.append(base64.b64encode(f"{user}:{password}".encode()).decode("ascii"))
    for value in list(values):
        values += [value.strip(), repr(value.encode())[2:-1]]  # as bytes in an exception message: b'...\r'
    return sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)


def redact(text: str) -> str:
    """``text`` with every credential value of the environment replaced by ``***``."""
    for value in secrets():
        text = text.replace(value, "***")
    return text


def _auth_from_env() -> tuple[httpx.Auth | None, dict[str, str]]:
    token = _credential(ENV_TOKEN, ascii_only=True)
    user = _credential(ENV_USER)
    password = _credential(ENV_PASSWORD)
    if token:
        return None, {"Authorization": f"Bearer {token}"}
    if user is None and password is None:
        return None, {}
    if not user or password is None:
        raise UsageError(f"set both ${ENV_USER} and ${ENV_PASSWORD} (or ${ENV_TOKEN} for a bearer token)")
    if ":" in user:
        raise UsageError(f"${ENV_USER} holds a colon, which HTTP Basic authentication cannot carry in a user name")
    scheme = os.environ.get(ENV_AUTH, "basic").lower()
    if scheme == "digest":
        return httpx.DigestAuth(user, password), {}
    if scheme != "basic":
        raise UsageError(f"${ENV_AUTH} must be basic or digest, got {scheme!r}")
    return httpx.BasicAuth(user, password), {}


def http_client(timeout: float) -> httpx.Client:
    """An HTTP client with the credentials of the environment; ``timeout`` bounds each read."""
    auth, headers = _auth_from_env()
    return httpx.Client(
        auth=auth,
        headers={"User-Agent": f"quotegraph/{__version__}", **headers},
        timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_S)),
        follow_redirects=False,
    )


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return "(empty body)"


def http_failure(response: httpx.Response, body: str | None = None) -> RemoteError:
    """``PUT <url> answered 401 Unauthorized: <first line of the body>``."""
    if body is None:
        body = response.text
    request = response.request
    message = f"{request.method} {request.url} answered {response.status_code} {response.reason_phrase}: {_first_line(body)}"
    return RemoteError(redact(message))  # a server may echo the Authorization header back


def unreachable(exc: httpx.HTTPError, method: str, url: str) -> RemoteError:
    """The one line for a request that got no answer; credentials never appear in it (httpx puts header values in its messages)."""
    if isinstance(exc, httpx.TimeoutException):
        return RemoteError(f"{method} {url}: no answer in time ({type(exc).__name__})")
    if isinstance(exc, httpx.LocalProtocolError):
        return RemoteError(redact(f"{method} {url}: the request could not be sent ({exc})"))
    return RemoteError(redact(f"{method} {url}: cannot connect ({exc})"))


def _bnode_labels(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks with Virtuoso's ``nodeID://`` dropped from blank node values (nothing else is touched)."""
    pending = b""
    for chunk in chunks:
        pending = _VIRTUOSO_BNODE.sub(rb"\1", pending + chunk)
        if len(pending) > _CARRY:
            yield pending[:-_CARRY]
            pending = pending[-_CARRY:]
    if pending:
        yield pending


class _Stream(io.RawIOBase):
    """The body of a streamed response as a file, for Oxigraph's parsers; stops at a deadline."""

    def __init__(self, chunks: Iterator[bytes], deadline: float):
        self._chunks = chunks
        self._buffer = b""
        self._deadline = deadline
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        if time.monotonic() > self._deadline:
            self.timed_out = True
            raise TimeoutError("deadline passed")
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


@dataclass
class RemoteDataset:
    """The quotegraph graphs a store holds: what the default graph should be and what GRAPH may reach."""

    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None


def _with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """The query with PREFIX lines for the predefined prefixes it uses but does not declare."""
    declared = {m.group(1) or "" for m in _DECLARED_PREFIX.finditer(text)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name not in declared and f"{name}:" in text]
    return "\n".join([*lines, text]) if lines else text


def _collect(results: Any, max_rows: int, stream: _Stream, deadline: float) -> QueryResult:
    if isinstance(results, QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(results))
    if isinstance(results, QuerySolutions):
        variables = [v.value for v in results.variables]
        rows: list[tuple[Any, ...]] = []
        for solution in results:
            if len(rows) >= max_rows:
                return QueryResult(kind="select", variables=variables, rows=rows, truncated=True)
            rows.append(tuple(solution[v] for v in variables))
            if time.monotonic() > deadline:
                stream.timed_out = True
                break
        return QueryResult(kind="select", variables=variables, rows=rows)
    triples: list[pyoxigraph.Triple] = []
    for item in results:
        if len(triples) >= max_rows:
            return QueryResult(kind="graph", triples=triples, truncated=True)
        triples.append(item if isinstance(item, pyoxigraph.Triple) else pyoxigraph.Triple(item.subject, item.predicate, item.object))
        if time.monotonic() > deadline:
            stream.timed_out = True
            break
    return QueryResult(kind="graph", triples=triples)


class Endpoint:
    """A remote SPARQL 1.1 query endpoint, with the quotegraph dataset it holds."""

    def __init__(self, url: str, client: httpx.Client, dataset: RemoteDataset | None = None):
        self.url = check_url(url)
        self.client = client
        self.dataset = dataset or RemoteDataset()

    @classmethod
    def connect(cls, url: str, timeout: float = DEFAULT_TIMEOUT_S) -> Endpoint:
        """Reach the endpoint and find its quotegraph graphs (see the module docstring)."""
        endpoint = cls(url, http_client(timeout))
        endpoint.dataset = endpoint.discover(timeout)
        return endpoint

    @property
    def base_iri(self) -> str:
        from graph.rdf.quads import DEFAULT_BASE_IRI

        return self.dataset.base_iri or DEFAULT_BASE_IRI

    def discover(self, timeout: float = DEFAULT_TIMEOUT_S) -> RemoteDataset:
        query = f"SELECT DISTINCT ?g ?type WHERE {{ GRAPH ?h {{ ?g a ?type }} VALUES ?type {{ <{QG.SourceGraph}> <{QG.ClaimsGraph}> }} }}"
        rows = self.every_row(query, timeout)
        sources = sorted(str(row[0].value) for row in rows if row[1].value == str(QG.SourceGraph))
        claims = sorted(str(row[0].value) for row in rows if row[1].value == str(QG.ClaimsGraph))
        if not sources:
            return RemoteDataset()
        base = sources[0][: sources[0].rfind("graph/")]
        shared = [Iris(base).entities_graph.value, ONTOLOGY_IRI]
        return RemoteDataset(default_graphs=[*sources, *shared], named_graphs=[*sources, *claims, *shared], base_iri=base)

    def query(
        self,
        text: str,
        *,
        params: Mapping[str, NamedNode | pyoxigraph.Literal] | None = None,
        prefixes: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Check the query as ``kg query`` does (no updates, LOAD or SERVICE), then send its canonical text with its parameters.

        Parameters are written in as constants where that means what a ``VALUES`` clause means
        (:mod:`graph.remote.inline`), else bound by one, as locally. A ``FROM`` or ``FROM NAMED``
        must name one of quotegraph's graphs that :meth:`discover` found at the endpoint, as
        locally it must name a graph of the store: an endpoint may fetch any other IRI from the web.
        """
        found = checked(text, known_graphs={*self.dataset.default_graphs, *self.dataset.named_graphs})
        text = inline_params(found.text, params or {})
        dataset = None if found.shape.has_dataset or not self.dataset.default_graphs else self.dataset
        return self._send(_with_prefixes(text, prefixes or {}), dataset, timeout, max_rows)

    def every_row(self, text: str, timeout: float = DEFAULT_TIMEOUT_S) -> list[tuple[Any, ...]]:
        """The rows of one of quotegraph's own SELECTs (its graphs, names, statement ids) over quotegraph's graphs: all or an error."""
        result = self._send(text, self.dataset if self.dataset.named_graphs else None, timeout, max_rows=100_000_000)
        if result.endpoint_limit is not None:
            raise RemoteError(
                f"POST {self.url}: the endpoint sends at most {result.endpoint_limit:,} rows per answer, fewer than this lookup needs "
                "(Virtuoso: raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)"
            )
        return result.rows

    def _send(self, text: str, dataset: RemoteDataset | None, timeout: float, max_rows: int) -> QueryResult:
        form: dict[str, Any] = {"query": text}
        if dataset is not None:
            form["default-graph-uri"] = dataset.default_graphs
            form["named-graph-uri"] = dataset.named_graphs
        accept = _ACCEPT_GRAPH if query_form(text) in ("construct", "describe") else _ACCEPT_RESULTS
        deadline = time.monotonic() + timeout
        try:
            with self.client.stream("POST", self.url, data=form, headers={"Accept": accept}) as response:
                if response.status_code >= 400:
                    raise http_failure(response, response.read()[:4096].decode("utf-8", "replace"))
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                stream = _Stream(_bnode_labels(response.iter_bytes()), deadline)
                reader = io.BufferedReader(stream, 64 * 1024)
                try:
                    if media in _RESULT_FORMATS:
                        parsed: Any = pyoxigraph.parse_query_results(reader, format=_RESULT_FORMATS[media])
                    elif media in _GRAPH_FORMATS:
                        parsed = pyoxigraph.parse(reader, format=_GRAPH_FORMATS[media])
                    else:
                        raise RemoteError(f"POST {self.url} answered with Content-Type {media or '(none)'}, not a SPARQL result format")
                    result = _collect(parsed, max_rows, stream, deadline)
                except (SyntaxError, OSError, ValueError) as exc:
                    if stream.timed_out:
                        raise QueryTimeout(f"the endpoint did not finish answering within {timeout:g} s") from None
                    raise RemoteError(f"POST {self.url}: the answer is not valid {media}: {exc}") from None
                if stream.timed_out:
                    raise QueryTimeout(f"the endpoint did not finish answering within {timeout:g} s")
                limit = response.headers.get(_ENDPOINT_LIMIT, "")
                if limit.isdigit() and result.kind == "select" and len(result.rows) >= int(limit):
                    result.endpoint_limit, result.truncated = int(limit), True
                return result
        except httpx.TimeoutException:
            raise QueryTimeout(f"the endpoint did not answer within {timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise unreachable(exc, "POST", self.url) from None
