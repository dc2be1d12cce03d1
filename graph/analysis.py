"""Network analysis of the projection: neighbourhoods, paths, centrality and communities.

Everything runs on :func:`graph.network.project` (entities as nodes, one edge per statement, each
edge with its quote), so every answer can be shown with the statements behind it:

* **Neighbourhoods and paths** ignore direction when walking (a relation connects both of its
  ends: Musk agreed with Sutskever connects Sutskever to Musk), but every hop keeps and shows the
  direction of each of its statements. A hop is every statement between two entities, not one.
* **Centrality and communities** collapse the statements between two entities into one link
  weighted by their number: degree counts distinct neighbours, PageRank follows statements from
  subject to object (what is talked about gathers rank), betweenness is computed on the
  undirected links.
* **Deterministic**: the graph is rebuilt in sorted order and Louvain gets a fixed seed, so the
  same store always gives the same answer.

``restrict`` keeps only some voices (``narration`` alone leaves out claims, quotations and the
author's judgements) or drops derived shortcuts, for every analysis alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.errors import UsageError

VOICES = ("narration", "claim", "quotation", "judgement")
DEFAULT_SEED = 42
DEFAULT_MAX_PATHS = 20


def restrict(graph: nx.MultiDiGraph, voices: Collection[str] | None = None, derived: bool = True) -> nx.MultiDiGraph:
    """A copy in sorted order with the statements of ``voices`` only (all if None), every entity kept."""
    unknown = sorted(set(voices or ()) - set(VOICES))
    if unknown:
        raise UsageError(f"unknown voice '{unknown[0]}'; choose from {', '.join(VOICES)}")
    out = nx.MultiDiGraph(**graph.graph)
    for node in sorted(graph.nodes):
        out.add_node(node, **graph.nodes[node])
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1])):
        if (voices and data["voice"] not in voices) or (data["derived"] and not derived):
            continue
        out.add_edge(u, v, key=key, **data)
    return out


def label(graph: nx.MultiDiGraph, node: str, lang: str = "en") -> str:
    """An entity's label in ``lang`` (its id if it has none)."""
    attrs = graph.nodes[node]
    return str(attrs.get(f"label_{lang}") or attrs.get("label_en") or node)


def term_label(graph: nx.MultiDiGraph, local_name: str, lang: str = "en") -> str:
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

    def as_dict(self, graph: nx.MultiDiGraph, lang: str = "en") -> dict[str, Any]:
        """Everything a reader needs to check the link: relation, ends, quote, voice, source."""
        d = self.data
        return {
            "statement": self.statement,
            "subject": self.subject,
            "subject_label": label(graph, self.subject, lang),
            "relation": d["relation"],
            "relation_label": term_label(graph, d["relation"], lang),
            "object": self.object,
            "object_label": label(graph, self.object, lang),
            "direction": "forward" if self.forward else "backward",
            "voice": d["voice"],
            "voice_label": term_label(graph, d["voice"].capitalize(), lang),
            "asserted_by": d["asserted_by"],
            "asserted_by_label": label(graph, d["asserted_by"], lang) if d["asserted_by"] in graph else d["asserted_by"],
            "quote": d["quote"],
            "translation": d["translation"],
            "source": d["source"],
            "expressed_in": d["expressed_in"],
            "when": d["when"],
            "derived": d["derived"],
            "derived_from": list(d["derived_from"]),
        }


def links_between(graph: nx.MultiDiGraph, near: str, far: str) -> list[Link]:
    """Every statement between two entities, in either direction, in source order."""
    links = [Link(near, far, key, near, far, data) for key, data in (graph.get_edge_data(near, far) or {}).items()]
    links += [Link(near, far, key, far, near, data) for key, data in (graph.get_edge_data(far, near) or {}).items()]
    return sorted(links, key=lambda link: link.order)


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """One link per pair of entities that share a statement, weighted by the number of statements."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for u, v in sorted(graph.edges()):
        a, b = sorted((u, v))
        if simple.has_edge(a, b):
            simple[a][b]["weight"] += 1
        else:
            simple.add_edge(a, b, weight=1)
    return simple


def _check_node(graph: nx.MultiDiGraph, node: str) -> None:
    if node not in graph:
        raise UsageError(f"no entity '{node}' in the graph")


@dataclass(frozen=True)
class Neighbour:
    """An entity ``distance`` steps away, with the statements that reach it from the step before."""

    node: str
    distance: int
    links: list[Link]


def neighbours(graph: nx.MultiDiGraph, node: str, depth: int = 1) -> list[Neighbour]:
    """Every entity within ``depth`` steps (direction ignored), nearest first, then by id."""
    _check_node(graph, node)
    if depth < 1:
        raise UsageError("--depth must be at least 1")
    simple = _undirected(graph)
    distance = nx.single_source_shortest_path_length(simple, node, cutoff=depth)
    found: list[Neighbour] = []
    for other, dist in sorted(distance.items(), key=lambda item: (item[1], item[0])):
        if other == node:
            continue
        before = sorted(n for n in simple.neighbors(other) if distance.get(n) == dist - 1)
        links = [link for n in before for link in links_between(graph, n, other)]
        found.append(Neighbour(other, dist, links))
    return found


@dataclass(frozen=True)
class Path:
    """A shortest path as entities, and for each hop every statement between its two ends."""

    nodes: list[str]
    hops: list[list[Link]]


def shortest_paths(graph: nx.MultiDiGraph, start: str, end: str, limit: int = DEFAULT_MAX_PATHS) -> tuple[list[Path], bool]:
    """All shortest paths between two entities (direction ignored); at most ``limit``, and whether more exist."""
    _check_node(graph, start)
    _check_node(graph, end)
    if start == end:
        raise UsageError("a path needs two different entities")
    simple = _undirected(graph)
    try:
        found = list(itertools.islice(nx.all_shortest_paths(simple, start, end), limit + 1))
    except nx.NetworkXNoPath:
        return [], False
    truncated = len(found) > limit
    paths = [Path(p, [links_between(graph, a, b) for a, b in itertools.pairwise(p)]) for p in sorted(found[:limit])]
    return paths, truncated


@dataclass(frozen=True)
class Centrality:
    """How central one entity is, by three measures."""

    node: str
    degree: int  # distinct entities it shares a statement with
    statements: int  # statements it is the subject or object of
    pagerank: float
    betweenness: float


CENTRALITY_MEASURES = ("degree", "statements", "pagerank", "betweenness")


def centrality(graph: nx.MultiDiGraph, by: str = "degree") -> list[Centrality]:
    """Degree, PageRank and betweenness of every entity, highest ``by`` first (ties: the other measures, then id)."""
    if by not in CENTRALITY_MEASURES:
        raise UsageError(f"unknown measure '{by}'; choose from {', '.join(CENTRALITY_MEASURES)}")
    simple = _undirected(graph)
    directed = nx.DiGraph()
    directed.add_nodes_from(sorted(graph.nodes))
    for u, v in sorted(graph.edges()):
        weight = directed[u][v]["weight"] + 1 if directed.has_edge(u, v) else 1
        directed.add_edge(u, v, weight=weight)
    pagerank = nx.pagerank(directed, weight="weight") if directed.number_of_nodes() else {}
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    rows = [
        Centrality(n, simple.degree(n), graph.degree(n), float(pagerank.get(n, 0.0)), float(betweenness.get(n, 0.0)))
        for n in sorted(graph.nodes)
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


def communities(graph: nx.MultiDiGraph, seed: int = DEFAULT_SEED) -> Communities:
    """Louvain communities (networkx, weighted by statements, fixed seed), largest first."""
    simple = _undirected(graph)
    if simple.number_of_edges() == 0:
        parts: Iterable[set[str]] = [{n} for n in simple.nodes]
        modularity = 0.0
    else:
        parts = nx.community.louvain_communities(simple, weight="weight", seed=seed)
        modularity = float(nx.community.modularity(simple, parts, weight="weight"))
    ordered = sorted((sorted(p, key=lambda n: (-simple.degree(n), n)) for p in parts), key=lambda m: (-len(m), sorted(m)))
    found = []
    for number, members in enumerate(ordered, 1):
        inside = set(members)
        found.append(Community(number, members, sum(1 for u, v in graph.edges() if u in inside and v in inside)))
    return Communities(found, modularity, "louvain", seed)
