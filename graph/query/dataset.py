"""Which graphs a query sees by default, computed once per build instead of once per query.

The default graph of ``kg query`` and ``kg serve`` is every named graph except the claims graphs
(see :func:`graph.store.builds.default_graphs`). Finding them means listing every named graph and asking
which are claims graphs; a million statements come from tens of thousands of sources, two graphs
each, so the build writes the answer into the build folder (``cache/dataset.json``).

Handing Oxigraph that list as ``default_graph`` is correct but slow: every triple pattern is then
looked up once per graph (orders of magnitude slower for a selective bundled query at 100,000 statements:
the benchmark phase "kg query relations-of (median)" against "floor: raw pyoxigraph relations-of" shows it).
Oxigraph's union of all graphs is one index lookup. The claims graphs hold nothing but the direct
triples of what someone asserts, so their predicates are few and known (``claims_predicates``): a
query none of whose default-graph patterns can match such a triple (no variable predicate, no
path that may be empty, no such predicate) gets exactly the same answer from the union, and
:func:`graph.query.run.run_query` uses it. Every other query gets the list.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from graph.model.terms import QG
from graph.query.shape import RDF_TYPE, Shape, typed_predicate
from graph.store.builds import claims_graphs, default_graphs, write_atomically

#: the folder of a build that holds what questions read instead of the whole store
CACHE_DIRNAME = "cache"
DATASET_FILENAME = "dataset.json"


@dataclass(frozen=True)
class Dataset:
    """The default graph of a built store: its graphs, and what the graphs left out can hold."""

    default_graphs: tuple[str, ...]
    #: every predicate of a triple in a claims graph
    claims_predicates: frozenset[str]
    #: whether the store's own default graph is empty (then the union of all graphs is the union of named graphs)
    default_graph_empty: bool = True
    known_graphs: frozenset[str] = field(default_factory=frozenset)
    #: checked shapes of the bundled queries by the SHA-256 of their text (see :mod:`graph.query.shape`)
    shapes: Mapping[str, Shape] = field(default_factory=dict)
    #: whether the union of all graphs is exactly the default graph (a store without claims graphs)
    union_is_default: bool = field(init=False, compare=False)
    _nodes: list[pyoxigraph.NamedNode] | None = field(init=False, compare=False, repr=False, default=None)

    def __post_init__(self) -> None:
        # worked out once: a store of a million statements has tens of thousands of graphs
        same = self.default_graph_empty and set(self.default_graphs) == set(self.known_graphs)
        object.__setattr__(self, "union_is_default", same)

    def union_answers(self, predicates: frozenset[str] | None) -> bool:
        """Whether a query whose default-graph patterns match only ``predicates`` (None: any) gets the
        same answer from the union of all graphs as from the default graph."""
        if self.union_is_default:
            return True
        return self.default_graph_empty and predicates is not None and predicates.isdisjoint(self.claims_predicates)

    def nodes(self) -> list[pyoxigraph.NamedNode]:
        """The default graphs as Oxigraph terms (made once)."""
        if self._nodes is None:
            object.__setattr__(self, "_nodes", [pyoxigraph.NamedNode(g) for g in self.default_graphs])
        assert self._nodes is not None
        return list(self._nodes)

    @classmethod
    def of(cls, store: pyoxigraph.Store) -> Dataset:
        """Computed from the store: one listing of the graphs and one query over the claims graphs."""
        claims = claims_graphs(store)
        predicates: set[str] = set()
        if claims:
            query = f"SELECT DISTINCT ?p ?t WHERE {{ GRAPH ?m {{ ?c a <{QG.ClaimsGraph}> }} GRAPH ?c {{ ?s ?p ?o }} BIND(IF(?p = rdf:type, ?o, ?none) AS ?t) }}"
            for row in store.query(query, prefixes={"rdf": RDF_TYPE.removesuffix("type")}):  # type: ignore[union-attr]
                predicates.add(row["p"].value)  # bare rdf:type as well: a query's untyped `?x a ?t` overlaps it
                if row["t"] is not None:
                    predicates.add(typed_predicate(row["p"].value, row["t"].value))
        empty = not any(True for _ in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
        known = frozenset(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode))
        return cls(tuple(g.value for g in default_graphs(store)), frozenset(predicates), empty, known)

    def write(self, path: Path) -> None:
        data = {
            "default_graphs": list(self.default_graphs),
            "claims_predicates": sorted(self.claims_predicates),
            "default_graph_empty": self.default_graph_empty,
            "typed_predicates": True,  # claims_predicates name rdf:type with its classes (see shape.typed_predicate)
            "known_graphs": sorted(self.known_graphs),
            "shapes": {key: value.as_json() for key, value in sorted(self.shapes.items())},
        }
        encoded = json.dumps(data, ensure_ascii=False).encode("utf-8")
        write_atomically(path, lambda handle: handle.write(encoded))

    @classmethod
    def read(cls, path: Path) -> Dataset | None:
        """The dataset a build wrote, or None if this build has none (built by an older version)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not data.get("typed_predicates"):
            return None  # written before types were told apart: worked out from the store again
        return cls(
            tuple(data["default_graphs"]),
            frozenset(data["claims_predicates"]),
            bool(data["default_graph_empty"]),
            frozenset(data["known_graphs"]),
            {key: Shape.from_json(value) for key, value in data.get("shapes", {}).items()},
        )


def read_dataset(build_dir: Path) -> Dataset | None:
    """The default-graph description a build wrote, or None if it has none."""
    return Dataset.read(build_dir / CACHE_DIRNAME / DATASET_FILENAME)
