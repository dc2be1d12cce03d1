"""Full statements for the few edges an answer shows, fetched from the store by statement IRI.

The cache knows which statements connect which entities; what a reader sees (quotes with their
sentence and offsets, translation, who asserts it, where, when) stays in the store and is read
only for the statements shown: all properties of the statement nodes, then their quote selectors,
each as one query whose ``VALUES`` lists the statements (Oxigraph starts from them: a lookup per
statement, not a join over the graph). The result is the same ``MultiDiGraph`` that
:func:`graph.network.projection.project` builds, restricted to those statements and entities; tests check
that the two agree on every edge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx
import pyoxigraph

from graph.model.vocab import DCTERMS, OA, PROV, QG, RDF, SDO, local_name
from graph.network.arrays import NetworkCache
from graph.network.rows import Term, iri, language, rows, text

_VOICES = {str(QG.Narration), str(QG.Claim), str(QG.Quotation), str(QG.Judgement)}
_POLARITY = {str(QG.For): "for", str(QG.Against): "against"}
_CHUNK = 5_000
#: from this many statements the properties and the quotes are read by two threads at once
_BOTH_AT_ONCE_FROM = 200


def _values(iris: Iterable[str]) -> str:
    return " ".join(str(pyoxigraph.NamedNode(i)) for i in iris)


def _select(store: pyoxigraph.Store, query: str, iris: Sequence[str]) -> Iterable[tuple[Term | None, ...]]:
    """Rows of ``query`` with ``{values}`` replaced by chunks of ``iris``."""
    for start in range(0, len(iris), _CHUNK):
        yield from rows(store, query.replace("{values}", _values(iris[start : start + _CHUNK])))


def _properties(store: pyoxigraph.Store, iris: Sequence[str]) -> dict[str, dict[str, list[Term | None]]]:
    """Statement IRI → predicate IRI → objects, all in the statement's own graph."""
    found: dict[str, dict[str, list[Term | None]]] = defaultdict(lambda: defaultdict(list))
    for st, p, o in _select(store, "SELECT ?st ?p ?o WHERE { VALUES ?st { {values} } ?st ?p ?o }", iris):
        found[text(st)][text(p)].append(o)
    return found


def _quotes(store: pyoxigraph.Store, iris: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Statement IRI → its quotes (exact text, the source's language, offsets, prefix, suffix), in text order."""
    # oa:exact is a plain string; a quote's language is its source's dcterms:language
    query = f"""SELECT ?st ?q ?p ?v WHERE {{ VALUES ?st {{ {{values}} }}
      ?st <{QG.quote}> ?q .
      {{ ?q <{OA.hasSelector}> ?sel . ?sel ?p ?v }} UNION {{ ?q <{OA.hasSource}>/<{DCTERMS.language}> ?v . BIND(<{DCTERMS.language}> AS ?p) }} }}"""
    per_quote: dict[str, dict[str, dict[str, Term | None]]] = defaultdict(lambda: defaultdict(dict))
    for st, quote, p, v in _select(store, query, iris):
        per_quote[text(st)][str(quote)][local_name(text(p))] = v
    found: dict[str, list[dict[str, Any]]] = {}
    for statement, quotes in per_quote.items():
        unique: dict[tuple[int, int], dict[str, Any]] = {}
        for props in quotes.values():
            if "exact" not in props or "start" not in props or "end" not in props:
                continue
            start, end = int(text(props["start"])), int(text(props["end"]))
            unique[start, end] = {
                "exact": text(props["exact"]),
                "lang": text(props["language"]) if "language" in props else language(props["exact"]),
                "start": start,
                "end": end,
                "prefix": text(props["prefix"]) if "prefix" in props else "",
                "suffix": text(props["suffix"]) if "suffix" in props else "",
            }
        found[statement] = [unique[key] for key in sorted(unique)]
    return found


def _identifiers(store: pyoxigraph.Store, iris: Sequence[str]) -> dict[str, str]:
    """IRI → ``schema:identifier`` (one pattern, so that Oxigraph starts from the ``VALUES``)."""
    query = f"SELECT ?x ?id WHERE {{ VALUES ?x {{ {{values}} }} ?x <{SDO.identifier}> ?id }}"
    return {text(x): text(ident) for x, ident in _select(store, query, iris)}


def subgraph(
    store: pyoxigraph.Store,
    cache: NetworkCache,
    statements: Sequence[int],
    nodes: Collection[int] = (),
    *,
    mentioned: bool = True,
) -> nx.MultiDiGraph:
    """The projection restricted to ``statements`` (cache numbers) and the entities they join.

    ``nodes`` adds entities without their other statements (a neighbour, a path's end); with
    ``mentioned``, who asserts each statement and where it was expressed are added as nodes too,
    so that their labels can be shown. Statements with a literal value become node attributes.
    """
    iris = cache.statement_iris(sorted({int(s) for s in statements}))
    if len(iris) < _BOTH_AT_ONCE_FROM:
        props, quotes = _properties(store, iris), _quotes(store, iris)
    else:
        # Oxigraph evaluates part of a query without holding the GIL: the two reads side by side
        # took 0.44-0.59 s for the 2,001 statements of kg neighbors --depth 2 at a million
        # statements, one after the other 0.57-0.82 s
        with ThreadPoolExecutor(max_workers=2) as pool:
            asked = pool.submit(_properties, store, iris)
            quoted = pool.submit(_quotes, store, iris)
            props, quotes = asked.result(), quoted.result()
    referenced = {
        found
        for p in props.values()
        for key in (str(PROV.wasDerivedFrom), str(QG.regardingStatement))
        for o in p.get(key, [])
        if (found := iri(o))
    }
    entity_iris = {
        found
        for p in props.values()
        for key in (str(RDF.subject), str(RDF.object), str(PROV.wasAttributedTo), str(PROV.wasQuotedFrom), str(QG.expressedIn))
        for o in p.get(key, [])
        if (found := iri(o))
    }
    entities = cache.attrs_by_iri(entity_iris)
    ids = {iri: attrs["id"] for iri, attrs in entities.items()}
    by_id = {attrs["id"]: attrs for attrs in entities.values()}
    sources = cache.sources({int(cache.source[s]) for s in statements})
    # what a statement derives from or regards: other statements (a source is no part)
    statement_ids = _identifiers(store, sorted(referenced - set(sources)))

    graph = nx.MultiDiGraph(labels=cache.labels)
    for ident, attrs in sorted(cache.attrs(list(nodes)).items()):
        graph.add_node(ident, **attrs)
    attributes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for st in iris:
        p = props.get(st, {})
        first = {key: values[0] for key, values in p.items()}
        subject = iri(first.get(str(RDF.subject), ""))
        obj = first.get(str(RDF.object))
        source = next((sources[s] for o in p.get(str(PROV.wasDerivedFrom), []) if (s := iri(o) or "") in sources), None)
        voice = next((v for o in p.get(str(RDF.type), []) if (v := iri(o) or "") in _VOICES), None)
        if subject not in ids or obj is None or source is None or voice is None:
            continue
        sid = text(first[str(SDO.identifier)])
        ordered = quotes.get(st, [])
        # who asserts it: an agent, or the document quoted when the source names no writer
        who = iri(first.get(str(PROV.wasAttributedTo)) or first.get(str(PROV.wasQuotedFrom), ""))
        where = iri(first.get(str(QG.expressedIn), ""))
        derived = str(QG.derivedVia) in first
        edge = {
            "statement": sid,
            "relation": local_name(iri(first[str(RDF.predicate)]) or ""),
            "voice": local_name(voice).lower(),
            "asserted_by": ids.get(who, local_name(who)) if who else "",
            "source": source["id"],
            "source_title": source["title"],
            "source_date": source["date"],
            "expressed_in": ids.get(where, "") if where else "",
            "translation": text(first[str(QG.translation)]) if str(QG.translation) in first else "",
            "when": text(first[str(QG.timeText)]) if str(QG.timeText) in first else "",
            "polarity": _POLARITY.get(iri(first[str(QG.polarity)]) or "", "") if str(QG.polarity) in first else "",
            "hedged": str(QG.hedged) in first and text(first[str(QG.hedged)]) == "true",
            "derived": derived,
            "quotes": ordered,
            "quote": " … ".join(q["exact"] for q in ordered),
            "derived_from": sorted(statement_ids[s] for o in p.get(str(PROV.wasDerivedFrom), []) if (s := iri(o) or "") in statement_ids)
            if derived
            else [],
            "regarding": sorted(statement_ids[s] for o in p.get(str(QG.regardingStatement), []) if (s := iri(o) or "") in statement_ids),
        }
        u = ids[subject]
        target = ids.get(iri(obj) or "")
        for end in (u, target):
            if end is not None and end not in graph:
                graph.add_node(end, **by_id[end])
        if target is not None:
            graph.add_edge(u, target, key=sid, **edge)
        else:
            attributes[u].append({**edge, "value": text(obj)})
        if mentioned:
            for other in (edge["asserted_by"], edge["expressed_in"]):
                if other and other not in graph and other in by_id:
                    graph.add_node(other, **by_id[other])
    for node, literal in attributes.items():
        graph.nodes[node]["attributes"] = sorted(literal, key=lambda a: a["statement"])
    return graph
