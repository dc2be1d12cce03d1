"""What one answer names (a few hundred entities, a few thousand statements), held without networkx.

An answer from the network cache (:mod:`graph.network.cached`) needs a graph only to hold what it
shows: each entity's attributes, each statement's fields under its two ends, the vocabulary's
labels. That is the part of networkx's ``MultiDiGraph`` that :class:`Answer` offers, with the
same names (``nodes[n]``, ``graph``, ``add_node``, ``add_edge``, ``get_edge_data``, ``in``),
so that the rules of :mod:`graph.network.analysis` read either. Importing networkx took
0.09 s warm of a ``kg neighbors --depth 2`` that should answer in under a second at a million
statements (README, "Where the misses come from"; 0.3 s measured 2026-12-03 with the other core
busy), for a job that is three dicts. :meth:`Answer.to_networkx` gives the same graph as networkx's
own, node and edge order included, where one is needed (the view, the tests' oracle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx


class Answer:
    """Entities (node → attributes) and statements (subject → object → statement id → fields)."""

    def __init__(self, **graph: Any):
        self.graph: dict[str, Any] = dict(graph)
        self.nodes: dict[str, dict[str, Any]] = {}
        self._edges: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._order: list[tuple[str, str, str]] = []

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def add_node(self, node: str, **attrs: Any) -> None:
        self.nodes.setdefault(node, {}).update(attrs)

    def add_edge(self, u: str, v: str, key: str, **attrs: Any) -> None:
        """A statement from ``u`` to ``v``; its ends become nodes if they are not yet (as in networkx)."""
        for end in (u, v):
            self.nodes.setdefault(end, {})
        keyed = self._edges.setdefault(u, {}).setdefault(v, {})
        if key not in keyed:
            self._order.append((u, v, key))
        keyed.setdefault(key, {}).update(attrs)

    def get_edge_data(self, u: str, v: str) -> dict[str, dict[str, Any]] | None:
        """Statement id → fields of every statement from ``u`` to ``v``, or None if there is none."""
        return self._edges.get(u, {}).get(v)

    def number_of_edges(self) -> int:
        return len(self._order)

    def to_networkx(self) -> nx.MultiDiGraph:
        import networkx as nx  # only where a caller needs networkx itself (see the module docstring)

        graph = nx.MultiDiGraph(**self.graph)
        graph.add_nodes_from(self.nodes.items())
        for u, v, key in self._order:
            graph.add_edge(u, v, key=key, **self._edges[u][v][key])
        return graph
