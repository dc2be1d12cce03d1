"""The SPARQL 1.1 Protocol over the store: one request in, one complete answer out.

Kept apart from HTTP (:mod:`graph.endpoint.server`) and from the worker processes
(:mod:`graph.endpoint.pool`) so that the rules are plain functions: every request is checked with
:func:`graph.query.run.checked` (no updates, ``LOAD``, ``SERVICE`` or ``FROM`` a graph the store
does not hold) and only the canonical text it returns is evaluated, the protocol's ``default-graph-uri``/``named-graph-uri`` may only name graphs of
the store, and a query without a dataset sees the same default graph as ``kg query`` (every
graph but the claims graphs). Results are capped in rows and in bytes and serialised completely
before anything is sent, so that an answer is either whole (possibly marked truncated) or an
error with a proper status, never half a result behind a 200.

Every error has one JSON shape: ``{"error": {"status": 403, "code": "service-refused",
"message": "..."}}``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph
from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions

from graph.errors import QueryError, QueryRefused
from graph.query.dataset import Dataset
from graph.query.results import write_csv, write_graph, write_json, write_tsv
from graph.query.run import DEFAULT_MAX_ROWS, Checked, QueryResult, checked

#: About this much term text per answer, whatever --max-rows says: bounds a worker's memory.
MAX_RESULT_BYTES = 16 * 1024 * 1024
ERROR_MEDIA_TYPE = "application/json"

#: HTTP status of each refusal rule (see QueryRefused.code).
REFUSAL_STATUS = {"query-too-long": 413}


@dataclass(frozen=True)
class Format:
    """One serialisation the endpoint offers: a short name (``?format=``) and its media type."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


#: Results of SELECT and ASK, in order of preference (the first is the default).
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
#: Results of CONSTRUCT and DESCRIBE.
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", ("text/plain",)),
    Format("jsonld", "application/ld+json", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml")),
)
_GRAPH_NAME_FOR = {"json": "jsonld", "xml": "rdfxml"}


class ProtocolError(Exception):
    """A request the endpoint answers with an error status and the JSON error shape."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def reply(self) -> Reply:
        return Reply(self.status, ERROR_MEDIA_TYPE, error_body(self.status, self.code, self.message), code=self.code)


def error_body(status: int, code: str, message: str) -> bytes:
    """The one JSON shape of every error the endpoint returns."""
    return json.dumps({"error": {"status": status, "code": code, "message": message}}, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Job:
    """One query request, as the HTTP layer parsed it; small and picklable (it crosses processes)."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    max_rows: int = DEFAULT_MAX_ROWS


@dataclass(frozen=True)
class Reply:
    """A complete answer: status, media type and body; for results, the row count and any cap hit."""

    status: int
    media_type: str
    body: bytes
    rows: int | None = None
    truncated: str | None = None  # "max-rows" or "max-bytes" when the result was cut
    code: str | None = None  # the error code of an error reply


@dataclass
class StoreContext:
    """What every request needs to know about the store, computed once per worker.

    Checked queries are remembered by :mod:`graph.query.shape` (parsing with rdflib costs more than
    evaluating a selective bundled query); the bundled queries' checks come with the build.
    """

    dataset: Dataset
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def known_graphs(self) -> frozenset[str]:
        return self.dataset.known_graphs

    def check(self, query: str) -> Checked:
        """:func:`graph.query.run.checked` against this store's graphs (remembered per text): the text to run and its shape."""
        return checked(query, self.known_graphs, self.prefixes, self.dataset.shapes)

    @classmethod
    def of(cls, store: pyoxigraph.Store, prefixes: Mapping[str, str], dataset: Dataset | None = None) -> StoreContext:
        return cls(dataset=dataset or Dataset.of(store), prefixes=dict(prefixes))


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return ranges


def _quality(fmt: Format, ranges: list[tuple[str, float]]) -> float:
    """The q-value that the most specific matching media range gives this format (RFC 9110 §12.5.1)."""
    best_specificity, best_quality = -1, 0.0
    for media in (fmt.media_type, *fmt.aliases):
        major = media.split("/")[0]
        for pattern, quality in ranges:
            if pattern == media:
                specificity = 2
            elif pattern == f"{major}/*" and media == fmt.media_type:  # aliases answer only to their exact name
                specificity = 1
            elif pattern == "*/*":
                specificity = 0
            else:
                continue
            if specificity > best_specificity or (specificity == best_specificity and quality > best_quality):
                best_specificity, best_quality = specificity, quality
    return best_quality


def negotiate(kind: str, accept: str | None, name: str | None = None) -> Format:
    """The format to answer in: ``?format=NAME`` if given, else the best match for ``Accept``."""
    offered = GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS
    if name:
        wanted = _GRAPH_NAME_FOR.get(name, name) if kind == "graph" else name
        for fmt in offered:
            if fmt.name == wanted:
                return fmt
        names = ", ".join(f.name for f in offered)
        raise ProtocolError(406, "not-acceptable", f"format={name} does not fit a {_kind_label(kind)} result; use one of {names}")
    if not accept or not accept.strip():
        return offered[0]
    ranges = _parse_accept(accept)
    scored = [(_quality(fmt, ranges), -index, fmt) for index, fmt in enumerate(offered)]
    quality, _, best = max(scored, key=lambda item: (item[0], item[1]))
    if quality <= 0:
        types = ", ".join(f.media_type for f in offered)
        raise ProtocolError(406, "not-acceptable", f"cannot answer a {_kind_label(kind)} query as {accept!r}; offered: {types}")
    return best


def _kind_label(kind: str) -> str:
    return "CONSTRUCT/DESCRIBE" if kind == "graph" else "SELECT/ASK"


def _term_size(term: Any) -> int:
    if term is None:
        return 0
    if isinstance(term, pyoxigraph.Triple):
        return _term_size(term.subject) + _term_size(term.predicate) + _term_size(term.object)
    value = getattr(term, "value", "")
    return len(value) + 16


def _collect(results: Any, max_rows: int, max_bytes: int) -> tuple[QueryResult, str | None]:
    """At most ``max_rows`` rows and about ``max_bytes`` of term text; says which cap it hit."""
    if isinstance(results, QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(results)), None
    budget = max_bytes
    if isinstance(results, QuerySolutions):
        variables = [v.value for v in results.variables]
        rows: list[tuple[Any, ...]] = []
        for solution in results:
            if len(rows) >= max_rows:
                return QueryResult(kind="select", variables=variables, rows=rows, truncated=True), "max-rows"
            row = tuple(solution[v] for v in variables)
            budget -= sum(_term_size(t) for t in row)
            if budget < 0:
                return QueryResult(kind="select", variables=variables, rows=rows, truncated=True), "max-bytes"
            rows.append(row)
        return QueryResult(kind="select", variables=variables, rows=rows), None
    triples: list[pyoxigraph.Triple] = []
    for triple in results:
        if len(triples) >= max_rows:
            return QueryResult(kind="graph", triples=triples, truncated=True), "max-rows"
        budget -= _term_size(triple)
        if budget < 0:
            return QueryResult(kind="graph", triples=triples, truncated=True), "max-bytes"
        triples.append(triple)
    return QueryResult(kind="graph", triples=triples), None


def serialize(result: QueryResult, fmt: Format, prefixes: Mapping[str, str]) -> bytes:
    """The result in ``fmt``: the same writers as ``kg query``; XML through Oxigraph's writer."""
    if result.kind == "graph":
        binary = io.BytesIO()
        write_graph(result, binary, fmt.name, prefixes)
        return binary.getvalue()
    text = io.StringIO()
    if fmt.name == "csv":
        write_csv(result, text)
    elif fmt.name == "tsv":
        write_tsv(result, text)
    else:
        write_json(result, text)
    body = text.getvalue().encode("utf-8")
    if fmt.name == "xml":
        parsed = pyoxigraph.parse_query_results(body, format=QueryResultsFormat.JSON)
        xml = parsed.serialize(format=QueryResultsFormat.XML)
        assert xml is not None  # serialize() returns the bytes when given no output
        return xml
    return body


def _kind_of(results: Any) -> str:
    if isinstance(results, QueryBoolean):
        return "ask"
    if isinstance(results, QuerySolutions):
        return "select"
    return "graph"


def _check_dataset(uris: Iterable[str], known: Collection[str], parameter: str) -> None:
    for uri in uris:
        if uri not in known:
            raise ProtocolError(403, "dataset-refused", f"{parameter}=<{uri}> is refused: it is not a graph of this store")


def answer(store: pyoxigraph.Store, context: StoreContext, job: Job, max_bytes: int = MAX_RESULT_BYTES) -> Reply:
    """Check, evaluate, cap and serialise one request; every failure becomes an error reply."""
    try:
        return _answer(store, context, job, max_bytes)
    except ProtocolError as exc:
        return exc.reply()
    except QueryRefused as exc:
        return ProtocolError(REFUSAL_STATUS.get(exc.code, 403), exc.code, str(exc)).reply()
    except QueryError as exc:
        return ProtocolError(400, "malformed-query", str(exc)).reply()
    except MemoryError:
        return ProtocolError(500, "out-of-memory", "the query needed more memory than one query may use; narrow it down").reply()


def _answer(store: pyoxigraph.Store, context: StoreContext, job: Job, max_bytes: int) -> Reply:
    found = context.check(job.query)
    shape = found.shape
    _check_dataset(job.default_graph_uris, context.known_graphs, "default-graph-uri")
    _check_dataset(job.named_graph_uris, context.known_graphs, "named-graph-uri")
    kwargs: dict[str, Any] = {"prefixes": context.prefixes}
    if job.default_graph_uris or job.named_graph_uris:
        # the protocol's dataset replaces FROM/FROM NAMED and the default view (SPARQL 1.1 Protocol §2.1.4)
        kwargs["default_graph"] = [NamedNode(uri) for uri in job.default_graph_uris]
        kwargs["named_graphs"] = [NamedNode(uri) for uri in job.named_graph_uris]
    elif not shape.has_dataset:
        if context.dataset.union_answers(shape.predicates):
            kwargs["use_default_graph_as_union"] = True
        else:
            kwargs["default_graph"] = context.dataset.nodes() or None
    try:
        results = store.query(found.text, **kwargs)  # the canonical text: what was checked is what runs
        fmt = negotiate(_kind_of(results), job.accept, job.format)
        result, truncated = _collect(results, job.max_rows, max_bytes)
    except (ProtocolError, MemoryError):
        raise
    except SyntaxError as exc:
        raise ProtocolError(400, "malformed-query", f"SPARQL syntax error: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - an engine error is one line in the JSON error shape, never a traceback
        raise ProtocolError(500, "query-failed", f"query failed: {exc}") from None
    rows = len(result.rows) if result.kind == "select" else len(result.triples) if result.kind == "graph" else None
    return Reply(200, fmt.content_type, serialize(result, fmt, context.prefixes), rows=rows, truncated=truncated)
