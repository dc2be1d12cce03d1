"""The graph as networkx: entities as nodes, statements as edges that keep their quotes.

This is the projection used for network analysis, graph exports (GraphML, GEXF) and the
interactive view. It is read from the built store, so it shows exactly what was built. Each
statement whose object is an entity becomes one edge (a ``MultiDiGraph`` keeps parallel edges,
one per statement, keyed by statement id); statements with a literal value (``describedAs``)
become node attributes. Derived shortcuts (``sued``) are edges too, marked ``derived``.
Stances carry the stances they are declared to negate (``negates``); an edge carries the
statements it is about (``regarding``: the stance statement someone agreed with).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
import pyoxigraph

from graph.model.vocab import ONTOLOGY_IRI, QG, SPARQL_PREFIXES, local_name

_NODES = (
    SPARQL_PREFIXES
    + """
SELECT ?e ?id ?kind ?type ?p ?value WHERE {
  GRAPH ?g { ?e a qg:Entity ; schema:identifier ?id . }
  GRAPH ?g2 { ?e a ?kindClass . }
  GRAPH ?o { ?kindClass qg:kind ?kind . }
  OPTIONAL {
    GRAPH ?g3 { ?e a ?type . } GRAPH ?o2 { ?type rdfs:subClassOf+ ?kindClass }
    # the entity's own type, not a broader one it is also typed with (a Counterclaim is a Lawsuit too)
    FILTER NOT EXISTS { GRAPH ?g5 { ?e a ?narrower } GRAPH ?o3 { ?narrower rdfs:subClassOf+ ?type } }
  }
  GRAPH ?g4 { ?e ?p ?value . FILTER(?p IN (rdfs:label, skos:altLabel, schema:description, schema:sameAs, qg:negates)) }
}
"""
)

_STATEMENTS = (
    SPARQL_PREFIXES
    + """
SELECT ?st ?id ?s ?p ?o ?voice ?who ?src ?srcId ?srcTitle ?srcDate ?srcLang ?date ?in ?translation ?when ?polarity ?hedged ?derived
       ?exact ?start ?end ?prefix ?suffix ?part ?regarding
WHERE {
  GRAPH ?g {
    ?st a qg:Statement ; schema:identifier ?id ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        a ?voice ; prov:wasAttributedTo|prov:wasQuotedFrom ?who ; prov:wasDerivedFrom ?src ; qg:quote ?q .
    FILTER(?voice IN (qg:Narration, qg:Claim, qg:Quotation, qg:Judgement))
    ?src a qg:Source ; schema:identifier ?srcId ; dcterms:title ?srcTitle .
    OPTIONAL { ?src dcterms:language ?srcLang }
    OPTIONAL { ?src schema:datePublished ?srcDate }
    OPTIONAL { ?st qg:expressedIn ?in }
    OPTIONAL { ?st qg:translation ?translation }
    OPTIONAL { ?st qg:timeText ?when }
    OPTIONAL { ?st qg:date ?date }
    OPTIONAL { ?st qg:polarity ?polarity }
    OPTIONAL { ?st qg:hedged ?hedged }
    OPTIONAL { ?st qg:derivedVia ?derived . ?st prov:wasDerivedFrom ?partNode . ?partNode a qg:Statement ; schema:identifier ?part }
    OPTIONAL { ?st qg:regardingStatement ?regardingNode . ?regardingNode schema:identifier ?regarding }
    ?q oa:hasSelector ?tqs , ?tps . ?tqs oa:exact ?exact . ?tps oa:start ?start ; oa:end ?end .
    OPTIONAL { ?tqs oa:prefix ?prefix } OPTIONAL { ?tqs oa:suffix ?suffix }
  }
}
"""
)


_VOCABULARY_LABELS = (
    SPARQL_PREFIXES
    + f"""
SELECT ?term ?label WHERE {{
  GRAPH <{ONTOLOGY_IRI}> {{ ?term rdfs:label ?label }}
  FILTER(STRSTARTS(STR(?term), "https://w3id.org/quotegraph/ontology#") && LANG(?label) IN ("de", "en"))
}}
"""
)


def vocabulary_labels(store: pyoxigraph.Store) -> dict[str, dict[str, str]]:
    """German and English labels of the ontology's terms by local name (``agreedWith``, ``Narration``).

    Read from the ontology graph of the store, so that the projection labels relations exactly
    as the built graph does. Only that graph: over every graph the pattern read every entity's
    label (294,370 at a million statements: 2.8 s on a warm store, against 0.009 s now; 2026-12-02,
    2 cores) to keep 286;
    an incremental build, whose fresh copy of the store is not in memory yet, was found waiting
    on the disk in it.
    """
    labels: dict[str, dict[str, str]] = {}
    for row in store.query(_VOCABULARY_LABELS):  # type: ignore[union-attr]
        labels.setdefault(local_name(row["term"].value), {})[row["label"].language] = row["label"].value
    # sorted: Oxigraph answers in its index order, which differs between an on-disk store and an
    # in-memory one holding the same quads (the cache written beside the load reads the latter)
    return {term: dict(sorted(by_language.items())) for term, by_language in sorted(labels.items())}


def _value(term: Any) -> Any:
    return None if term is None else term.value


def entity_nodes(store: pyoxigraph.Store) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Every entity's node attributes by id (see :func:`project`), and the id of every entity IRI."""
    ids: dict[str, str] = {}
    nodes: dict[str, dict[str, Any]] = {}
    negated: dict[str, set[str]] = {}
    for row in store.query(_NODES):  # type: ignore[union-attr]
        iri = row["e"].value
        ident = row["id"].value
        ids[iri] = ident
        node = nodes.setdefault(
            ident,
            {
                "id": ident,
                "iri": iri,
                "kind": row["kind"].value,
                "type": "",
                "label_de": "",
                "label_en": "",
                "aliases": [],
                "description_en": "",
                "description_de": "",
                "wikidata": "",
            },
        )
        if row["type"] is not None:
            node["type"] = local_name(row["type"].value)
        prop, value = row["p"].value, row["value"]
        lang = getattr(value, "language", None)
        if prop.endswith("#label") and lang in ("de", "en"):
            node[f"label_{lang}"] = value.value
        elif prop.endswith("#altLabel") and value.value not in node["aliases"]:
            node["aliases"].append(value.value)
        elif prop.endswith("description") and lang in ("de", "en"):
            node[f"description_{lang}"] = value.value
        elif prop.endswith("sameAs"):
            node["wikidata"] = local_name(value.value)
        elif prop == str(QG.negates):
            negated.setdefault(ident, set()).add(value.value)
    for ident, attrs in nodes.items():
        attrs["aliases"] = sorted(attrs["aliases"])
        # declared negations between stances (qg:negates, written in both directions), as ids
        attrs["negates"] = sorted(ids[iri] for iri in negated.get(ident, ()) if iri in ids)
    return nodes, ids


def project(store: pyoxigraph.Store) -> nx.MultiDiGraph:
    """Entities and statements of a built store as a ``MultiDiGraph`` (see the module docstring).

    ``graph.graph["labels"]`` holds the labels of relations, voices and polarities
    (:func:`vocabulary_labels`), so that a consumer can show them in German or English.
    """
    graph = nx.MultiDiGraph(labels=vocabulary_labels(store))
    nodes, ids = entity_nodes(store)
    for ident, attrs in nodes.items():
        graph.add_node(ident, **attrs)

    edges: dict[str, dict[str, Any]] = {}
    quotes: dict[str, dict[tuple[int, int], dict[str, Any]]] = defaultdict(dict)
    parts: dict[str, set[str]] = defaultdict(set)
    regarding: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_STATEMENTS):  # type: ignore[union-attr]
        sid = row["id"].value
        start, end = int(row["start"].value), int(row["end"].value)
        quotes[sid][(start, end)] = {
            "exact": row["exact"].value,
            "lang": _value(row["srcLang"]) or row["exact"].language or "",  # oa:exact is plain; the language is the source's
            "start": start,
            "end": end,
            "prefix": _value(row["prefix"]) or "",
            "suffix": _value(row["suffix"]) or "",
        }
        if row["part"] is not None:
            parts[sid].add(row["part"].value)
        if row["regarding"] is not None:
            regarding[sid].add(row["regarding"].value)
        if sid in edges:
            continue
        edges[sid] = {
            "statement": sid,
            "subject": row["s"],
            "object": row["o"],
            "relation": local_name(row["p"].value),
            "voice": local_name(row["voice"].value).lower(),
            "asserted_by": ids.get(row["who"].value, local_name(row["who"].value)),
            "source": row["srcId"].value,
            "source_title": row["srcTitle"].value,
            "source_date": _value(row["srcDate"]) or "",
            "date": _value(row["date"]) or "",  # the statement's own date, when its source gives one
            "expressed_in": ids.get(row["in"].value, "") if row["in"] is not None else "",
            "translation": _value(row["translation"]) or "",
            "when": _value(row["when"]) or "",
            "polarity": {str(QG.For): "for", str(QG.Against): "against"}.get(_value(row["polarity"]) or "", ""),
            "hedged": _value(row["hedged"]) == "true",
            "derived": row["derived"] is not None,
        }
    for sid, edge in edges.items():
        subject, obj = edge.pop("subject"), edge.pop("object")
        ordered = [quotes[sid][k] for k in sorted(quotes[sid])]
        edge["quotes"] = ordered
        edge["quote"] = " … ".join(q["exact"] for q in ordered)
        edge["derived_from"] = sorted(parts.get(sid, ()))
        edge["regarding"] = sorted(regarding.get(sid, ()))
        source_id = ids.get(subject.value)
        if source_id is None:
            continue
        if isinstance(obj, pyoxigraph.NamedNode) and obj.value in ids:
            graph.add_edge(source_id, ids[obj.value], key=sid, **edge)
        else:  # a literal value: an attribute of the subject, with its statement and quote
            graph.nodes[source_id].setdefault("attributes", []).append({**edge, "value": obj.value})
    return graph
