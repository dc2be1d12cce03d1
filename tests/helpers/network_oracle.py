"""The network questions answered by networkx on the projection: the oracle the cache is held to.

``kg neighbors``, ``kg path``, ``kg central`` and ``kg communities`` answer from the build's
network cache (:mod:`graph.network.cached`). These functions ask the same questions of the
networkx projection (:func:`graph.network.projection.project`) the slow, obvious way, and
share the rules with the product (:mod:`graph.network.analysis`: links, paths by id, measures,
Louvain); tests/network/ compares the two on the bundled data and on generated graphs.

``restrict`` keeps only some voices (``narration`` alone leaves out claims, quotations and the
author's judgements) or drops derived shortcuts, for every question alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection

import networkx as nx

from graph.errors import UsageError
from graph.network import analysis


def restrict(graph: nx.MultiDiGraph, voices: Collection[str] | None = None, derived: bool = True) -> nx.MultiDiGraph:
    """A copy in sorted order with the statements of ``voices`` only (all if None), every entity kept."""
    unknown = sorted(set(voices or ()) - set(analysis.VOICES))
    if unknown:
        raise UsageError(f"unknown voice '{unknown[0]}'; choose from {', '.join(analysis.VOICES)}")
    out = nx.MultiDiGraph(**graph.graph)
    for node in sorted(graph.nodes):
        out.add_node(node, **graph.nodes[node])
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1])):
        if (voices and data["voice"] not in voices) or (data["derived"] and not derived):
            continue
        out.add_edge(u, v, key=key, **data)
    return out


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """One link per pair of entities that share a statement, weighted by the number of statements."""
    return analysis.weighted_graph(sorted(graph.nodes), analysis.linked_pairs(graph.edges()))


def _check_node(graph: nx.MultiDiGraph, node: str) -> None:
    if node not in graph:
        raise UsageError(f"no entity '{node}' in the graph")


def neighbours(graph: nx.MultiDiGraph, node: str, depth: int = 1) -> list[analysis.Neighbour]:
    """Every entity within ``depth`` steps (direction ignored), nearest first, then by id."""
    _check_node(graph, node)
    if depth < 1:
        raise UsageError("--depth must be at least 1")
    simple = _undirected(graph)
    distance = nx.single_source_shortest_path_length(simple, node, cutoff=depth)
    found: list[analysis.Neighbour] = []
    for other, dist in sorted(distance.items(), key=lambda item: (item[1], item[0])):
        if other == node:
            continue
        before = sorted(n for n in simple.neighbors(other) if distance.get(n) == dist - 1)
        links = [link for n in before for link in analysis.links_between(graph, n, other)]
        found.append(analysis.Neighbour(other, dist, links))
    return found


def shortest_paths(
    graph: nx.MultiDiGraph, start: str, end: str, limit: int = analysis.DEFAULT_MAX_PATHS, per_hop: int | None = None
) -> tuple[list[analysis.Path], bool]:
    """The first ``limit`` shortest paths between two entities (direction ignored) in the order of
    their entities' ids, and whether more exist; each hop with at most ``per_hop`` statements
    (:func:`analysis.first_per_hop`; all if None)."""
    _check_node(graph, start)
    _check_node(graph, end)
    if start == end:
        raise UsageError("a path needs two different entities")
    simple = _undirected(graph)
    found = analysis.first_shortest_paths(simple, start, end, limit)
    truncated = len(found) > limit
    paths = []
    for p in found[:limit]:
        hops = [analysis.links_between(graph, a, b) for a, b in itertools.pairwise(p)]
        paths.append(analysis.Path(p, [analysis.first_per_hop(hop, per_hop) for hop in hops], [len(hop) for hop in hops]))
    return paths, truncated


def centrality(graph: nx.MultiDiGraph, by: str = "degree") -> list[analysis.Centrality]:
    """Degree, PageRank and betweenness of every entity, highest ``by`` first (ties: the other measures, then id)."""
    nodes = sorted(graph.nodes)
    edges = list(graph.edges())
    return analysis.centrality_of(
        analysis.weighted_graph(nodes, analysis.linked_pairs(edges)),
        analysis.weighted_graph(nodes, analysis.directed_pairs(edges), directed=True),
        {n: int(graph.degree(n)) for n in nodes},
        by,
    )


def communities(graph: nx.MultiDiGraph, seed: int = analysis.DEFAULT_SEED) -> analysis.Communities:
    """Louvain communities (networkx, weighted by statements, fixed seed), largest first."""
    edges = list(graph.edges())

    def inside(members: list[set[str]]) -> list[int]:
        group = {n: i for i, m in enumerate(members) for n in m}
        counts = [0] * len(members)
        for u, v in edges:
            if group[u] == group[v]:
                counts[group[u]] += 1
        return counts

    return analysis.communities_of(_undirected(graph), inside, seed)
