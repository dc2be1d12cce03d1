"""The rules of the network questions: neighbourhoods, paths, centrality and communities.

The network is that of :func:`graph.network.projection.project` (entities as nodes, one edge per
statement, each edge with its quote), so every answer can be shown with the statements behind it:

* **Neighbourhoods and paths** ignore direction when walking (a relation connects both of its
  ends: Musk agreed with Sutskever connects Sutskever to Musk), but every hop keeps and shows the
  direction of each of its statements. A hop is every statement between two entities, not one.
* **Centrality and communities** collapse the statements between two entities into one link
  weighted by their number: degree counts distinct neighbours, PageRank follows statements from
  subject to object (what is talked about gathers rank), betweenness is computed on the
  undirected links.
* **Deterministic**: the graph is rebuilt in sorted order and Louvain gets a fixed seed, so the
  same store always gives the same answer.

The commands answer from the build's network cache (:mod:`graph.network.cached`) with the
rules kept here; the same questions asked of networkx directly, the oracle the cache is tested
against, are in tests/helpers/network_oracle.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from graph.errors import UsageError
from graph.model.lang import DISPLAY_LANGS, display_label

if TYPE_CHECKING:
    import networkx as nx

    from graph.network.answer import Answer

    #: the full projection (networkx) or what one answer names (graph.network.answer)
    Named: TypeAlias = nx.MultiDiGraph | Answer

VOICES = ("narration", "claim", "quotation", "judgement")
DEFAULT_SEED = 42
DEFAULT_MAX_PATHS = 20
#: statements kg path shows per hop unless --per-hop says otherwise: one hop of a generated
#: million-statement graph (an event and the hub of its parties) holds 20,110 statements, and
#: reading and printing all of them took 48 s (2026-12-02, 2 cores) for an answer whose point is the chain
DEFAULT_PER_HOP = 10


def label(graph: Named, node: str, lang: str = "en") -> str:
    """An entity's label in ``lang``; else its label in another language, marked ("Elon Musk (de)"); else its id."""
    attrs = graph.nodes[node]
    return display_label({code: str(attrs.get(f"label_{code}") or "") for code in DISPLAY_LANGS}, lang, node)


def term_label(graph: Named, local_name: str, lang: str = "en") -> str:
    """The label of an ontology term (``agreedWith`` → ``agreed with``/``stimmte zu``)."""
    labels = graph.graph.get("labels", {}).get(local_name, {})
    return str(labels.get(lang) or labels.get("en") or local_name)


@dataclass(frozen=True)
class Link:
    """One statement between two entities, seen from ``near`` (the end a walk comes from)."""

    near: str
    far: str
    statement: str
    subject: str
    object: str
    data: dict[str, Any] = field(compare=False, repr=False)

    @property
    def forward(self) -> bool:
        """Whether the statement reads from ``near`` to ``far`` (near is its subject)."""
        return self.subject == self.near

    @property
    def order(self) -> tuple[str, int, str]:
        """Source order: source id, then the offset of the first quote, then the id."""
        quotes = self.data.get("quotes") or [{}]
        return (str(self.data.get("source", "")), int(quotes[0].get("start", 0)), self.statement)

    def as_dict(self, graph: Named, lang: str = "en") -> dict[str, Any]:
        """Everything a reader needs to check the link: relation, ends, quote, voice, source."""
        d = self.data
        return {
            **statement_fields(graph, self.statement, self.subject, d["relation"], self.object, d, lang),
            "direction": "forward" if self.forward else "backward",
            "derived": d["derived"],
            "derived_from": list(d["derived_from"]),
        }


def statement_fields(graph: Named, statement: str, subject: str, relation: str, obj: str, d: dict[str, Any], lang: str) -> dict[str, Any]:
    """What every answer says of a statement (an edge's ``data``): its ends and relation with their
    labels in ``lang``, its voice and who asserts it, the quote and its translation, where and when."""
    return {
        "statement": statement,
        "subject": subject,
        "subject_label": label(graph, subject, lang),
        "relation": relation,
        "relation_label": term_label(graph, relation, lang),
        "object": obj,
        "object_label": label(graph, obj, lang),
        "voice": d["voice"],
        "voice_label": term_label(graph, d["voice"].capitalize(), lang),
        "asserted_by": d["asserted_by"],
        "asserted_by_label": label(graph, d["asserted_by"], lang) if d["asserted_by"] in graph else d["asserted_by"],
        "quote": d["quote"],
        "translation": d["translation"],
        "source": d["source"],
        "expressed_in": d["expressed_in"],
        "when": d["when"],
    }


def links_between(graph: Named, near: str, far: str) -> list[Link]:
    """Every statement between two entities, in either direction, in source order."""
    links = [Link(near, far, key, near, far, data) for key, data in (graph.get_edge_data(near, far) or {}).items()]
    links += [Link(near, far, key, far, near, data) for key, data in (graph.get_edge_data(far, near) or {}).items()]
    return sorted(links, key=lambda link: link.order)


def linked_pairs(edges: Iterable[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """Statements (subject, object) as links: one per pair of entities, ends sorted, weighted by
    the number of statements, in the order each pair first occurs among ``edges`` sorted."""
    weights: dict[tuple[str, str], int] = {}
    for u, v in sorted(edges):
        key = (u, v) if u <= v else (v, u)
        weights[key] = weights.get(key, 0) + 1
    return [(a, b, w) for (a, b), w in weights.items()]


def directed_pairs(edges: Iterable[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """Statements (subject, object) as directed links weighted by their number, in first-occurrence order."""
    weights: dict[tuple[str, str], int] = {}
    for u, v in sorted(edges):
        weights[u, v] = weights.get((u, v), 0) + 1
    return [(a, b, w) for (a, b), w in weights.items()]


def weighted_graph(nodes: Iterable[str], links: Iterable[tuple[str, str, int]], directed: bool = False) -> nx.Graph:
    """A simple graph with ``nodes`` in the order given and ``links`` as weighted edges, in order."""
    import networkx as nx  # here, not at the top: the questions that walk the cache never need it (graph.network.answer)

    simple: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_weighted_edges_from(links, weight="weight")
    return simple


@dataclass(frozen=True)
class Neighbour:
    """An entity ``distance`` steps away, with the statements that reach it from the step before."""

    node: str
    distance: int
    links: list[Link]


@dataclass(frozen=True)
class Path:
    """A shortest path as entities, and for each hop the statements shown between its two ends.

    ``totals`` says how many statements each hop has in all: more than ``hops`` holds when the
    answer was cut to a number per hop.
    """

    nodes: list[str]
    hops: list[list[Link]]
    totals: list[int]

    @property
    def left_out(self) -> int:
        """Statements on this path's hops that are not shown."""
        return sum(total - len(hop) for hop, total in zip(self.hops, self.totals, strict=True))


def check_per_hop(per_hop: int | None) -> None:
    """A hop shows at least one statement; None shows all."""
    if per_hop is not None and per_hop < 1:
        raise UsageError("a hop shows at least one statement (None: all)")


def first_per_hop(links: list[Link], per_hop: int | None) -> list[Link]:
    """The first ``per_hop`` links by source, then statement id (all if None), in source order.

    The rule needs only what the network cache holds (a statement's source and id), so the cache
    can choose the statements before any is read in full.
    """
    check_per_hop(per_hop)
    if per_hop is None or len(links) <= per_hop:
        return links
    chosen = sorted(links, key=lambda link: (str(link.data.get("source", "")), link.statement))[:per_hop]
    return sorted(chosen, key=lambda link: link.order)


def first_shortest_paths(simple: nx.Graph, start: str, end: str, limit: int) -> list[list[str]]:
    """Up to ``limit + 1`` shortest paths, smallest first when compared entity by entity (by id).

    Which paths are shown when there are more than ``limit`` is then a property of the graph,
    not of the order in which a search happens to meet them.
    """
    import networkx as nx  # here, not at the top: the questions that walk the cache never need it (graph.network.answer)

    from_start = nx.single_source_shortest_path_length(simple, start)
    if end not in from_start:
        return []
    length = from_start[end]
    from_end = nx.single_source_shortest_path_length(simple, end, cutoff=length)
    found: list[list[str]] = []

    def extend(path: list[str]) -> bool:
        here = path[-1]
        if here == end:
            found.append(list(path))
            return len(found) <= limit
        step = len(path)
        for nxt in sorted(n for n in simple.neighbors(here) if from_start.get(n) == step and from_end.get(n) == length - step):
            path.append(nxt)
            going = extend(path)
            path.pop()
            if not going:
                return False
        return True

    extend([start])
    return found


@dataclass(frozen=True)
class Centrality:
    """How central one entity is, by three measures."""

    node: str
    degree: int  # distinct entities it shares a statement with
    statements: int  # statements it is the subject or object of
    pagerank: float
    betweenness: float


CENTRALITY_MEASURES = ("degree", "statements", "pagerank", "betweenness")


#: up to this many entities betweenness is exact; above, it is estimated from a sample of sources
BETWEENNESS_EXACT_UP_TO = 5_000
#: the sample is as large as fits this many edge visits (networkx walks every edge once per source)
BETWEENNESS_BUDGET = 20_000_000


def betweenness_samples(nodes: int, links: int) -> int | None:
    """How many sources betweenness is estimated from (None: all of them, exact)."""
    if nodes <= BETWEENNESS_EXACT_UP_TO:
        return None
    return max(32, min(nodes, BETWEENNESS_BUDGET // max(links, 1)))


def centrality_of(simple: nx.Graph, directed: nx.Graph, statements: dict[str, int], by: str = "degree") -> list[Centrality]:
    """:func:`centrality` from the linked pairs (``simple``), the directed links and each entity's statement count."""
    import networkx as nx  # here, not at the top: the questions that walk the cache never need it (graph.network.answer)

    if by not in CENTRALITY_MEASURES:
        raise UsageError(f"unknown measure '{by}'; choose from {', '.join(CENTRALITY_MEASURES)}")
    pagerank = nx.pagerank(directed, weight="weight") if directed.number_of_nodes() else {}
    samples = betweenness_samples(simple.number_of_nodes(), simple.number_of_edges())
    betweenness = nx.betweenness_centrality(simple, k=samples, normalized=True, seed=DEFAULT_SEED)
    rows = [
        Centrality(n, simple.degree(n), statements[n], float(pagerank.get(n, 0.0)), float(betweenness.get(n, 0.0))) for n in simple.nodes
    ]
    return sorted(rows, key=lambda r: (-getattr(r, by), -r.degree, -r.pagerank, -r.betweenness, r.node))


@dataclass(frozen=True)
class Community:
    """A group of entities more tightly linked among themselves than to the rest."""

    number: int
    members: list[str]  # by degree inside the graph, highest first
    statements: int  # statements between two members


@dataclass(frozen=True)
class Communities:
    communities: list[Community]
    modularity: float
    method: str
    seed: int


def communities_of(simple: nx.Graph, inside: Callable[[list[set[str]]], list[int]], seed: int = DEFAULT_SEED) -> Communities:
    """:func:`communities` from the linked pairs; ``inside`` counts the statements within each group."""
    import networkx as nx  # here, not at the top: the questions that walk the cache never need it (graph.network.answer)

    if simple.number_of_edges() == 0:
        parts: Iterable[set[str]] = [{n} for n in simple.nodes]
        modularity = 0.0
    else:
        parts = nx.community.louvain_communities(simple, weight="weight", seed=seed)
        modularity = float(nx.community.modularity(simple, parts, weight="weight"))
    ordered = sorted((sorted(p, key=lambda n: (-simple.degree(n), n)) for p in parts), key=lambda m: (-len(m), sorted(m)))
    counts = inside([set(m) for m in ordered])
    found = [Community(number, members, counts[number - 1]) for number, members in enumerate(ordered, 1)]
    return Communities(found, modularity, "louvain", seed)
