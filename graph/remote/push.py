"""``kg push``: the graph into any SPARQL 1.1 store, over the Graph Store HTTP Protocol.

Each named graph of the store (a source graph and its claims graph per source, the entities
graph, the ontology graph) becomes the same named graph at the endpoint, replaced as a whole
with ``PUT ?graph=<iri>``: pushing again replaces, never duplicates. A large graph goes in
batches (the first ``PUT``, the rest ``POST``, which adds); a graph with blank nodes always goes
in one request, since blank node labels are scoped to one document. Without ``replace``, a graph
that already exists at the endpoint (``HEAD`` answers 200) stops the push before anything is
sent. On an HTTP failure the push stops and the report says which graphs are complete at the
endpoint, which one failed (``incomplete`` when some of its batches had already replaced the
old content) and which were not sent; nothing half-pushed is reported as done.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pyoxigraph
from pyoxigraph import BlankNode, NamedNode, RdfFormat

from graph.defaults import PUSH_BATCH_SIZE
from graph.errors import QuotegraphError, UsageError
from graph.remote.client import RemoteError, check_url, http_failure, unreachable

DEFAULT_BATCH_SIZE = PUSH_BATCH_SIZE
CONTENT_TYPE = "text/turtle; charset=utf-8"


@dataclass
class GraphPlan:
    """One named graph to push: its IRI, size and whether it can be split into batches."""

    iri: str
    triples: int
    has_blank_nodes: bool

    def batches(self, batch_size: int) -> int:
        if self.has_blank_nodes or self.triples == 0:
            return 1
        return -(-self.triples // batch_size)


@dataclass
class GraphOutcome:
    iri: str
    triples: int
    status: str = "not sent"  # pushed | failed | incomplete | not sent
    batches_sent: int = 0
    batches: int = 1
    error: str | None = None


@dataclass
class PushReport:
    endpoint: str
    graphs: list[GraphOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(g.status == "pushed" for g in self.graphs)

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs if g.status == "pushed")

    def as_json(self) -> dict[str, object]:
        return {
            "endpoint": self.endpoint,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "graphs": [
                {
                    "graph": g.iri,
                    "triples": g.triples,
                    "status": g.status,
                    "batches": g.batches,
                    "batches_sent": g.batches_sent,
                    "error": g.error,
                }
                for g in self.graphs
            ],
        }


class PushFailed(QuotegraphError):
    """The push stopped; :attr:`report` says what reached the endpoint and what did not."""

    code = "push-failed"

    def __init__(self, message: str, report: PushReport):
        super().__init__(message)
        self.report = report


def plan(store: pyoxigraph.Store, only: list[str] | None = None) -> list[GraphPlan]:
    """The named graphs to push (all, or those named in ``only``), with their sizes."""
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, NamedNode))
    if only:
        unknown = [iri for iri in only if iri not in graphs]
        if unknown:
            raise UsageError(f"--graph {unknown[0]} is not a graph of this store; its graphs are: {', '.join(graphs)}")
        graphs = [iri for iri in graphs if iri in set(only)]
    plans = []
    for iri in graphs:
        count, blank = 0, False
        for quad in store.quads_for_pattern(None, None, None, NamedNode(iri)):
            count += 1
            blank = blank or isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)
        plans.append(GraphPlan(iri, count, blank))
    return plans


def _batches(store: pyoxigraph.Store, graph: GraphPlan, batch_size: int) -> Iterator[list[pyoxigraph.Triple]]:
    size = graph.triples if graph.has_blank_nodes else batch_size
    batch: list[pyoxigraph.Triple] = []
    for quad in store.quads_for_pattern(None, None, None, NamedNode(graph.iri)):
        batch.append(pyoxigraph.Triple(quad.subject, quad.predicate, quad.object))
        if len(batch) >= max(size, 1):
            yield batch
            batch = []
    if batch or graph.triples == 0:
        yield batch


def existing_graphs(client: httpx.Client, endpoint: str, graphs: list[GraphPlan]) -> list[str]:
    """The graphs that already exist at the endpoint (``HEAD`` 200; ``GET`` where HEAD is not allowed)."""
    found = []
    for graph in graphs:
        try:
            # a fresh connection per HEAD: Oxigraph 0.5 sends a body with its 404 to HEAD, which would
            # otherwise be read as the start of the next response on a reused connection
            response = client.head(endpoint, params={"graph": graph.iri}, headers={"Connection": "close"})
            if response.status_code in (405, 501):
                with client.stream("GET", endpoint, params={"graph": graph.iri}, headers={"Accept": "text/turtle"}) as streamed:
                    response = streamed
        except httpx.HTTPError as exc:
            raise unreachable(exc, "HEAD", endpoint) from None
        if response.status_code == 200:
            found.append(graph.iri)
        elif response.status_code != 404:
            raise http_failure(response, "")
    return found


def push(
    store: pyoxigraph.Store,
    endpoint: str,
    graphs: list[GraphPlan],
    client: httpx.Client,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[str, int], None] | None = None,
) -> PushReport:
    """Push ``graphs`` to the graph store at ``endpoint``; :class:`PushFailed` if any did not arrive whole."""
    check_url(endpoint)
    started = time.monotonic()
    report = PushReport(endpoint, [GraphOutcome(g.iri, g.triples, batches=g.batches(batch_size)) for g in graphs])
    if not replace:
        exists = existing_graphs(client, endpoint, graphs)
        if exists:
            report.seconds = time.monotonic() - started
            listed = ", ".join(exists[:3]) + (f" and {len(exists) - 3} more" if len(exists) > 3 else "")
            raise PushFailed(
                f"{len(exists)} graph(s) already exist at {endpoint} ({listed}); nothing was sent. Pass --replace to replace them.",
                report,
            )
    for graph, outcome in zip(graphs, report.graphs, strict=True):
        for batch in _batches(store, graph, batch_size):
            method = "PUT" if outcome.batches_sent == 0 else "POST"
            body = pyoxigraph.serialize(batch, format=RdfFormat.TURTLE) or b""
            try:
                response = client.request(
                    method, endpoint, params={"graph": graph.iri}, content=body, headers={"Content-Type": CONTENT_TYPE}
                )
            except httpx.HTTPError as exc:
                error: RemoteError = unreachable(exc, method, endpoint)
            else:
                if response.status_code in (200, 201, 204):
                    outcome.batches_sent += 1
                    if on_batch is not None:
                        on_batch(graph.iri, len(batch))
                    continue
                error = http_failure(response)
            outcome.status = "incomplete" if outcome.batches_sent else "failed"
            outcome.error = str(error)
            report.seconds = time.monotonic() - started
            pushed = sum(1 for g in report.graphs if g.status == "pushed")
            state = "holds only part of it now (push again with --replace)" if outcome.status == "incomplete" else "was left as it was"
            raise PushFailed(f"{error}. Graph <{graph.iri}> {state}; {pushed} of {len(graphs)} graph(s) were pushed.", report)
        outcome.status = "pushed"
    report.seconds = time.monotonic() - started
    return report
