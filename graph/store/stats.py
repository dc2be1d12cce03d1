"""Counts of a built graph, asked of the store with SPARQL (so they describe what is stored)."""

from __future__ import annotations

from typing import Any

import pyoxigraph

from graph.model.vocab import QG, SDO


def _grouped(store: pyoxigraph.Store, query: str) -> dict[str, int]:
    results = store.query(query, use_default_graph_as_union=True)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    out = {}
    for row in results:
        key = row["key"]
        name = key.value.rsplit("#", 1)[-1] if isinstance(key, pyoxigraph.NamedNode) else str(key.value)
        if name[:1].isupper():  # class names (Person, Claim) read as the kinds and voices of the data
            name = name.lower()
        out[name] = int(row["n"].value)
    return dict(sorted(out.items()))


def store_stats(store: pyoxigraph.Store, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    kinds = "(" + ", ".join(f"<{QG[c]}>" for c in ("Person", "Organization", "Stance", "Office", "Event", "Document", "Topic")) + ")"
    stats: dict[str, Any] = {
        "sources": _grouped(store, f"SELECT ('sources' AS ?key) (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{QG.Source}> }}").get(
            "sources", 0
        ),
        "entities_by_kind": _grouped(
            store, f"SELECT (?c AS ?key) (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?c . FILTER(?c IN {kinds}) }} GROUP BY ?c"
        ),
        "statements_by_voice": _grouped(
            store,
            f"SELECT (?c AS ?key) (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c . FILTER(?c IN (<{QG.Narration}>, <{QG.Claim}>, <{QG.Quotation}>, <{QG.Judgement}>)) }} GROUP BY ?c",
        ),
        "derived_statements": _grouped(
            store, f"SELECT ('d' AS ?key) (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{QG.DerivedStatement}> }}"
        ).get("d", 0),
        "statements_by_predicate": _grouped(
            store,
            f"SELECT (?p AS ?key) (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{QG.Statement}> ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p }} GROUP BY ?p",
        ),
        "quads": len(store),
        "named_graphs": sum(1 for _ in store.named_graphs()),
        "wikidata_links": _grouped(store, f"SELECT ('w' AS ?key) (COUNT(*) AS ?n) WHERE {{ ?e <{SDO.sameAs}> ?w }}").get("w", 0),
    }
    if manifest:
        stats["built"] = manifest.get("built", "")
        stats["base_iri"] = manifest.get("base_iri", "")
    return stats
