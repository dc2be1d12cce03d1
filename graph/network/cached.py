"""Neighbourhoods, paths, centrality and communities from the network cache.

The same answers as :mod:`graph.network.analysis` on the full projection (tests compare them), for graphs
too big to project: the walk runs on the cached arrays, and only the statements an answer shows
are read, from the cache's statement lines or the store (:func:`graph.network.details.subgraph`). Each function returns the answer
together with a small graph (:class:`graph.network.answer.Answer`) holding what the answer names (its entities, their
statements, who asserts them), so that the commands can print it as they print answers from the
projection.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from typing import Any

import numpy as np
import numpy.typing as npt
import pyoxigraph

from graph.errors import UsageError
from graph.network.analysis import (
    DEFAULT_SEED,
    VOICES,
    Centrality,
    Communities,
    Neighbour,
    Path,
    centrality_of,
    check_per_hop,
    communities_of,
    links_between,
    weighted_graph,
)
from graph.network.answer import Answer
from graph.network.arrays import Mask, NetworkCache
from graph.network.details import subgraph

IntArray = npt.NDArray[np.int64]


def _mask(cache: NetworkCache, voices: Collection[str] | None, derived: bool) -> Mask:
    unknown = sorted(set(voices or ()) - set(VOICES))
    if unknown:
        raise UsageError(f"unknown voice '{unknown[0]}'; choose from {', '.join(VOICES)}")
    return cache.mask(voices, derived)


def _index(cache: NetworkCache, node: str) -> int:
    found = cache.index(node)
    if found is None:
        raise UsageError(f"no entity '{node}' in the graph")
    return found


def labels_graph(cache: NetworkCache, nodes: Collection[str]) -> Answer:
    """A graph of just these entities with their attributes, for showing their labels and kinds."""
    graph = Answer(labels=cache.labels)
    numbers = cache.indices(nodes)
    for ident, attrs in sorted(cache.attrs(list(numbers.values())).items()):
        graph.add_node(ident, **attrs)
    return graph


def neighbours(
    store: pyoxigraph.Store,
    cache: NetworkCache,
    node: str,
    depth: int = 1,
    voices: Collection[str] | None = None,
    derived: bool = True,
    limit: int | None = None,
) -> tuple[list[Neighbour], Answer, int]:
    """``neighbours`` of tests/helpers/network_oracle.py of the restricted graph, the graph it names, and how many
    entities are within ``depth`` in all.

    With ``limit``, only the first ``limit`` entities (nearest first, then by id) are linked and
    their statements read: two steps from a hub can reach most of a million-statement graph.
    """
    if depth < 1:
        raise UsageError("--depth must be at least 1")
    mask = _mask(cache, voices, derived)
    start = _index(cache, node)
    dist = cache.distances(start, mask, cutoff=depth)
    others = np.flatnonzero(dist > 0).astype(np.int64)
    total = len(others)
    others = others[np.lexsort((others, dist[others]))][:limit]
    towards = cache.links_towards(others, dist, mask)
    statements = sorted({s for near in towards.values() for found in near.values() for s in found})
    ids = dict(zip([start, *others.tolist()], cache.ids([start, *others.tolist()]), strict=True))
    graph = subgraph(store, cache, statements, ids)
    found = []
    for other in others.tolist():
        before = sorted(towards[other])
        links = [link for near in before for link in links_between(graph, ids[near], ids[other])]
        found.append(Neighbour(ids[other], int(dist[other]), links))
    return found, graph, total


def shortest_paths(
    store: pyoxigraph.Store,
    cache: NetworkCache,
    start: str,
    end: str,
    limit: int,
    voices: Collection[str] | None = None,
    derived: bool = True,
    per_hop: int | None = None,
) -> tuple[list[Path], bool, Answer]:
    """``shortest_paths`` of tests/helpers/network_oracle.py of the restricted graph, and the graph it names.

    With ``per_hop``, each hop's statements are chosen on the cache (by source, then id: the
    rule of :func:`graph.network.analysis.first_per_hop`), so only those shown are read.
    """
    mask = _mask(cache, voices, derived)
    a, b = _index(cache, start), _index(cache, end)
    if a == b:
        raise UsageError("a path needs two different entities")
    found, truncated = cache.shortest_paths(a, b, mask, limit)
    hops = {(x, y) for p in found for x, y in itertools.pairwise(p)}
    between = cache.statements_between(hops, mask)
    totals = {pair: len(found_) for pair, found_ in between.items()}
    check_per_hop(per_hop)
    if per_hop is not None:
        # statement numbers follow statement ids, source numbers follow source ids
        between = {pair: sorted(found_, key=lambda s: (int(cache.source[s]), s))[:per_hop] for pair, found_ in between.items()}
    nodes = sorted({a, b, *(n for p in found for n in p)})
    ids = dict(zip(nodes, cache.ids(nodes), strict=True))
    graph = subgraph(store, cache, sorted({s for found_ in between.values() for s in found_}), ids)
    # the graph holds only the statements chosen, and a pair's choice is the same in both directions
    paths = [
        Path(
            [ids[n] for n in p],
            [links_between(graph, ids[x], ids[y]) for x, y in itertools.pairwise(p)],
            [totals[x, y] for x, y in itertools.pairwise(p)],
        )
        for p in found
    ]
    return paths, truncated, graph


def _links(cache: NetworkCache, mask: Mask, ids: list[str]) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """Undirected and directed weighted links over the allowed statements, in the order
    :func:`graph.network.analysis.linked_pairs` and :func:`graph.network.analysis.directed_pairs` give them."""
    edges = np.flatnonzero(mask)
    u, v = cache.subj[edges].astype(np.int64), cache.obj[edges].astype(np.int64)
    order = np.lexsort((v, u))  # node numbers follow ids, so this is sorted by (subject id, object id)
    u, v = u[order], v[order]
    n = cache.n
    result = []
    for keys in (np.minimum(u, v) * n + np.maximum(u, v), u * n + v):
        unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
        by_first = np.argsort(first, kind="stable")
        result.append(
            [(ids[k // n], ids[k % n], int(c)) for k, c in zip(unique[by_first].tolist(), counts[by_first].tolist(), strict=True)]
        )
    return result[0], result[1]


def centrality(
    cache: NetworkCache, by: str = "degree", voices: Collection[str] | None = None, derived: bool = True
) -> tuple[list[Centrality], int | None]:
    """``centrality`` of tests/helpers/network_oracle.py of the restricted graph, and how many sources betweenness was estimated from."""
    from graph.network.analysis import betweenness_samples

    mask = _mask(cache, voices, derived)
    ids = cache.all_ids()
    undirected, directed = _links(cache, mask, ids)
    simple = weighted_graph(ids, undirected)
    edges = np.flatnonzero(mask)
    counts = np.bincount(cache.subj[edges], minlength=cache.n) + np.bincount(cache.obj[edges], minlength=cache.n)
    rows = centrality_of(simple, weighted_graph(ids, directed, directed=True), dict(zip(ids, counts.tolist(), strict=True)), by)
    return rows, betweenness_samples(simple.number_of_nodes(), simple.number_of_edges())


def communities(cache: NetworkCache, seed: int = DEFAULT_SEED, voices: Collection[str] | None = None, derived: bool = True) -> Communities:
    """``communities`` of tests/helpers/network_oracle.py of the restricted graph."""
    mask = _mask(cache, voices, derived)
    ids = cache.all_ids()
    undirected, _ = _links(cache, mask, ids)
    edges = np.flatnonzero(mask)
    number = {ident: i for i, ident in enumerate(ids)}

    def inside(members: list[set[str]]) -> list[int]:
        group = np.full(cache.n, -1, dtype=np.int64)
        for i, m in enumerate(members):
            group[[number[n] for n in m]] = i
        a, b = group[cache.subj[edges]], group[cache.obj[edges]]
        same = a[a == b]
        return np.bincount(same, minlength=len(members)).tolist()  # type: ignore[no-any-return]

    return communities_of(weighted_graph(ids, undirected), inside, seed)


def statement_counts(cache: NetworkCache, nodes: Collection[str]) -> dict[str, Any]:
    """Statements each entity is the subject or object of (every voice, shortcuts included)."""
    numbers = cache.indices(nodes)
    return {ident: int(cache.statements_per_node[i]) for ident, i in numbers.items()}
