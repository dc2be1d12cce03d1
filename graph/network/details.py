"""Full statements for the few edges an answer shows: the cache's numbers and detail lines, or the store.

The cache knows which statements connect which entities, and for each its subject, object,
relation, voice, source, polarity and whether it is a shortcut. What a reader sees besides (its
id, quotes with offsets and context, translation, who asserts it, where, when) is in the cache's
detail lines when ``kg build`` wrote the cache (:func:`_shown_from_cache`): reading the lines of
the 2,001 statements of ``kg neighbors --depth 2`` at a million statements took 0.06–0.08 s, where
the queries below took 0.93–0.96 s in a new process (0.64 s once Oxigraph's blocks were in
memory), nearly all of it RocksDB seeks, one per statement and selector (2026-12-03, 2 cores).
Without lines (a cache written for a store made by another tool) the same fields are read from
the store, only for the statements shown, by queries whose ``VALUES`` lists them
(:func:`_shown_from_store`); a test holds the two ways to the same answer, field for field.

How those queries are written decides whether an answer takes a tenth of a second or a minute
(``python -m tests.bench.details BUILD ENTITY`` times them; the README's Performance section has
the figures for the 2,001 statements of ``kg neighbors --depth 2`` at a million statements):

* **Only plain patterns that start from the ``VALUES``.** Oxigraph evaluated an ``OPTIONAL``, a
  ``UNION`` right after the ``VALUES``, or a second pattern with an unbound subject (``?other a
  qg:Statement``) against the whole store and joined afterwards: nearly a minute at a million
  statements. The fields a statement
  may lack are therefore rows of ``?st ?p ?o`` filtered by predicate, not optional columns.
* **Numbers, not IRIs, say which statement a row is about.** The ``VALUES`` pairs each IRI with
  its position; an integer is stored inline, where an IRI is a dictionary lookup per row.
* **Quotes are read at their selectors**, whose IRIs ``kg build`` derives from the statement's
  (:data:`graph.model.terms.TEXT_QUOTE_FRAGMENT`), faster than walking from the statement
  through ``qg:quote`` and ``oa:hasSelector``. Only the statements whose selectors are
  not found so (a store written by another tool, blank-node selectors) are walked.

The result is the same ``MultiDiGraph`` that :func:`graph.network.projection.project` builds,
restricted to those statements and entities; a test compares every field of every edge and node.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph

from graph.model.terms import (
    DCTERMS,
    OA,
    PROV,
    QG,
    RDF,
    SDO,
    TEXT_POSITION_FRAGMENT,
    TEXT_QUOTE_FRAGMENT,
    local_name,
)
from graph.network.answer import Answer
from graph.network.arrays import NetworkCache
from graph.network.rows import Term, iri, language, rows, text

_POLARITY = {1: "for", 2: "against"}
_CHUNK = 5_000

#: the statement-node properties an answer shows beyond the cache's numbers
_FIELD_PREDICATES = (
    SDO.identifier,
    PROV.wasAttributedTo,
    PROV.wasQuotedFrom,
    QG.expressedIn,
    QG.translation,
    QG.timeText,
    QG.date,
    QG.hedged,
)
_FIELD = {str(p): i for i, p in enumerate(_FIELD_PREDICATES)}
#: the fields that name an entity: who asserts it (an agent, or the document quoted), where it was said
_PEOPLE = tuple(_FIELD[str(p)] for p in (PROV.wasAttributedTo, PROV.wasQuotedFrom, QG.expressedIn))
_REGARDING = str(QG.regardingStatement)
#: the fields, and the statements it regards (any number)
_FIELDS = f"""SELECT ?n ?p ?o WHERE {{ VALUES (?x ?n) {{ {{values}} }} ?x ?p ?o
  FILTER(?p IN ({", ".join(f"<{p}>" for p in [*_FIELD_PREDICATES, QG.regardingStatement])})) }}"""
#: the value of a statement whose object is no entity of the cache (a literal, or another IRI)
_VALUES = f"SELECT ?n ?o WHERE {{ VALUES (?x ?n) {{ {{values}} }} ?x <{RDF.object}> ?o }}"

#: what shortcuts derive from (their parts, and their source)
_DERIVED_FROM = f"SELECT ?n ?other WHERE {{ VALUES (?x ?n) {{ {{values}} }} ?x <{PROV.wasDerivedFrom}> ?other }}"
_IDENTIFIERS = f"SELECT ?n ?id WHERE {{ VALUES (?x ?n) {{ {{values}} }} ?x <{SDO.identifier}> ?id }}"

#: a quote's exact text and context (its text-quote selector) and offsets (its text-position selector)
_QUOTE_PARTS = {str(OA.exact): "exact", str(OA.prefix): "prefix", str(OA.suffix): "suffix", str(OA.start): "start", str(OA.end): "end"}
_QUOTE_FILTER = f"FILTER(?p IN ({', '.join(f'<{p}>' for p in _QUOTE_PARTS)}))"
_SELECTORS = f"SELECT ?n ?p ?v WHERE {{ VALUES (?x ?n) {{ {{values}} }} ?x ?p ?v {_QUOTE_FILTER} }}"
#: the same parts found by walking from the statement (``qg:quote``, ``oa:hasSelector``), for a store
#: whose selectors are not named after their statement (blank nodes, another writer): slower
_WALKED = f"""SELECT ?n ?q ?p ?v WHERE {{ VALUES (?x ?n) {{ {{values}} }}
  ?x <{QG.quote}> ?q . ?q <{OA.hasSelector}> ?sel . ?sel ?p ?v {_QUOTE_FILTER} }}"""
#: oa:exact is a plain string: a quote's language is its source's (a shortcut joins statements of
#: one source, so its parts' quotes are in its source too)
_LANGUAGES = f"SELECT ?n ?lang WHERE {{ VALUES (?x ?n) {{ {{values}} }} ?x <{DCTERMS.language}> ?lang }}"


def _select(store: pyoxigraph.Store, query: str, pairs: Sequence[tuple[str, int]]) -> Iterator[tuple[int, list[Term | None]]]:
    """Rows of ``query`` with its ``{values}`` bound to (IRI, number) ``pairs``, in chunks: (number, the other columns)."""
    for start in range(0, len(pairs), _CHUNK):
        values = " ".join(f"({pyoxigraph.NamedNode(i)} {n})" for i, n in pairs[start : start + _CHUNK])
        for n, *rest in rows(store, query.replace("{values}", values)):
            yield int(text(n)), rest


def _numbered(iris: Sequence[str]) -> list[tuple[str, int]]:
    return [(i, n) for n, i in enumerate(iris)]


def _fields(store: pyoxigraph.Store, iris: Sequence[str]) -> tuple[list[list[Term | None]], list[tuple[int, str]]]:
    """Per statement (by position), the first value of each of :data:`_FIELD_PREDICATES` (None: none);
    and (position, IRI) of every statement one regards."""
    found: list[list[Term | None]] = [[None] * len(_FIELD_PREDICATES) for _ in iris]
    regarding: list[tuple[int, str]] = []
    for n, (p, o) in _select(store, _FIELDS, _numbered(iris)):
        predicate = text(p)
        if predicate == _REGARDING:
            regarding.append((n, text(o)))
            continue
        values, at = found[n], _FIELD[predicate]
        if values[at] is None:
            values[at] = o
    return found, regarding


def _references(
    store: pyoxigraph.Store, iris: Sequence[str], derived: Sequence[bool], regarding: Sequence[tuple[int, str]], sources: Collection[str]
) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """Statement position → ``derived_from`` / ``regarding`` → (IRI, id) of those statements.

    Only shortcuts (``derived``) are asked what they derive from, and ``sources`` are no part:
    every statement derives from its source, an IRI to decode per row for nothing.
    """
    shortcuts = [(i, n) for n, i in enumerate(iris) if derived[n]]
    found = [
        (n, "derived_from", target) for n, (other,) in _select(store, _DERIVED_FROM, shortcuts) if (target := text(other)) not in sources
    ]
    found += [(n, "regarding", target) for n, target in regarding]
    targets = sorted({target for _, _, target in found})
    ids = {targets[n]: text(ident) for n, (ident,) in _select(store, _IDENTIFIERS, _numbered(targets))}
    references: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for n, kind, target in found:
        if target in ids:  # a statement: what has no id is not one
            references[n][kind].append((target, ids[target]))
    return references


def _quotes(store: pyoxigraph.Store, owners: Sequence[tuple[str, int]], languages: Sequence[str]) -> dict[int, list[dict[str, Any]]]:
    """Statement position → its quotes (exact text, the source's language, offsets, prefix, suffix), in text order.

    ``owners`` pairs the IRI of each statement whose quote is shown with the position it is shown
    for: a statement's own, or, for a shortcut, each of its parts'. ``languages`` are those of the
    statements' sources ("" where a source gives none), by position.
    """
    selectors = [
        (f"{owner}#{fragment}", k) for k, (owner, _) in enumerate(owners) for fragment in (TEXT_QUOTE_FRAGMENT, TEXT_POSITION_FRAGMENT)
    ]
    parts: list[dict[str, Term | None]] = [{} for _ in owners]
    for k, (p, v) in _select(store, _SELECTORS, selectors):
        parts[k][_QUOTE_PARTS[text(p)]] = v
    unnamed = [(owner, k) for k, (owner, _) in enumerate(owners) if not parts[k]]
    walked: dict[tuple[int, str], dict[str, Term | None]] = defaultdict(dict)
    for k, (q, p, v) in _select(store, _WALKED, unnamed):
        walked[k, text(q)][_QUOTE_PARTS[text(p)]] = v
    found = [(owners[k][1], props) for k, props in enumerate(parts) if props]
    found += [(owners[k][1], props) for (k, _), props in walked.items()]
    unique: dict[int, dict[tuple[int, int], dict[str, Any]]] = defaultdict(dict)
    for n, props in found:
        if "exact" not in props or "start" not in props or "end" not in props:
            continue
        start, end = int(text(props["start"])), int(text(props["end"]))
        unique[n].setdefault(
            (start, end),
            {
                "exact": text(props["exact"]),
                "lang": languages[n] or language(props["exact"]),
                "start": start,
                "end": end,
                "prefix": text(props.get("prefix")),
                "suffix": text(props.get("suffix")),
            },
        )
    return {n: [quotes[key] for key in sorted(quotes)] for n, quotes in unique.items()}


@dataclass
class _Read:
    """What the store says of the statements, each by its position in the list read."""

    fields: list[list[Term | None]]
    values: dict[int, Term | None]
    quotes: dict[int, list[dict[str, Any]]]
    references: dict[int, dict[str, list[tuple[str, str]]]]


def _read(
    store: pyoxigraph.Store, cache: NetworkCache, numbers: Sequence[int], iris: Sequence[str], sources: dict[int, dict[str, str]]
) -> _Read:
    """Fields, values, quotes and references of the statements (one after the other: a second
    thread gained nothing measurable, most of a read holding the GIL; README, Performance)."""
    fields, regarding = _fields(store, iris)
    valued = [(i, n) for n, (i, number) in enumerate(zip(iris, numbers, strict=True)) if cache.obj[number] < 0]
    values = {n: o for n, (o,) in _select(store, _VALUES, valued)}
    derived = [bool(cache.derived[number]) for number in numbers]
    source_iris = [(source["iri"], n) for n, source in sources.items()]
    references = _references(store, iris, derived, regarding, {iri for iri, _ in source_iris})
    language = {n: text(lang) for n, (lang,) in _select(store, _LANGUAGES, source_iris)}
    # a statement's own quote; a shortcut's are its parts'
    owners = [
        pair
        for n, statement in enumerate(iris)
        for pair in ([(part, n) for part, _ in references.get(n, {}).get("derived_from", [])] if derived[n] else [(statement, n)])
    ]
    quotes = _quotes(store, owners, [language.get(int(cache.source[number]), "") for number in numbers])
    return _Read(fields, values, quotes, references)


def _shown_from_store(
    store: pyoxigraph.Store, cache: NetworkCache, numbers: Sequence[int], sources: dict[int, dict[str, str]]
) -> tuple[list[dict[str, Any] | None], dict[int, str], dict[str, dict[str, Any]]]:
    """What each statement shows (None: not in the store), literal values by position, and the
    attributes of the entities that assert them or that they were expressed in, all read from the store."""
    iris = cache.statement_iris(numbers)
    read = _read(store, cache, numbers, iris, sources)
    others = {found for row in read.fields for at in _PEOPLE if (found := iri(row[at]))}
    entities = cache.attrs_by_iri(others)
    ids = {iri_: attrs["id"] for iri_, attrs in entities.items()}
    shown: list[dict[str, Any] | None] = []
    for at, number in enumerate(numbers):
        sid, who_, quoted_, where_, translation, when, date, hedged = read.fields[at]
        if sid is None:
            shown.append(None)
            continue
        # who asserts it: an agent, or the document quoted when the source names no writer
        who = iri(who_ or quoted_)
        where = iri(where_)
        refs = read.references.get(at, {})
        shown.append(
            {
                "statement": text(sid),
                "asserted_by": ids.get(who, local_name(who)) if who else "",
                "expressed_in": ids.get(where, "") if where else "",
                "translation": text(translation),
                "when": text(when),
                "date": text(date),  # the statement's own date, when its source gives one
                "hedged": text(hedged) == "true",
                "quotes": read.quotes.get(at, []),
                "derived_from": sorted(ident for _, ident in refs.get("derived_from", [])) if cache.derived[number] else [],
                "regarding": sorted(ident for _, ident in refs.get("regarding", [])),
            }
        )
    values = {at: text(value) for at, value in read.values.items()}
    return shown, values, {attrs["id"]: attrs for attrs in entities.values()}


def _shown_from_cache(
    store: pyoxigraph.Store, cache: NetworkCache, numbers: Sequence[int]
) -> tuple[list[dict[str, Any] | None], dict[int, str], dict[str, dict[str, Any]]]:
    """The same as :func:`_shown_from_store`, from the cache's detail lines; only literal values
    (a handful of statements, in Oxigraph's canonical form) are read from the store."""
    rows = cache.details(numbers)
    people = cache.indices({ident for row in rows for ident in (row["asserted_by"], row["expressed_in"]) if ident})
    entities = cache.attrs(list(people.values()))
    shown: list[dict[str, Any] | None] = []
    for row in rows:
        shown.append(
            {
                "statement": row["id"],
                "asserted_by": row["asserted_by"],
                "expressed_in": row["expressed_in"] if row["expressed_in"] in entities else "",
                "translation": row["translation"],
                "when": row["when"],
                "date": row["date"],
                "hedged": bool(row["hedged"]),
                "quotes": [
                    {"exact": exact, "lang": row["lang"], "start": start, "end": end, "prefix": prefix, "suffix": suffix}
                    for exact, start, end, prefix, suffix in row["quotes"]
                ],
                "derived_from": row["derived_from"],
                "regarding": row["regarding"],
            }
        )
    valued = [(at, number) for at, number in enumerate(numbers) if cache.obj[number] < 0]
    values: dict[int, str] = {}
    if valued:
        iris = cache.statement_iris([number for _, number in valued])
        pairs = [(statement, at) for statement, (at, _) in zip(iris, valued, strict=True)]
        values = {at: text(o) for at, (o,) in _select(store, _VALUES, pairs)}
    return shown, values, entities


def subgraph(
    store: pyoxigraph.Store,
    cache: NetworkCache,
    statements: Sequence[int],
    nodes: Collection[int] = (),
    *,
    mentioned: bool = True,
    from_store: bool = False,
) -> Answer:
    """The projection restricted to ``statements`` (cache numbers) and the entities they join.

    ``nodes`` adds entities without their other statements (a neighbour, a path's end); with
    ``mentioned``, who asserts each statement and where it was expressed are added as nodes too,
    so that their labels can be shown. Statements with a literal value become node attributes.
    What the cache's numbers do not say comes from the cache's detail lines when the build wrote
    them, else (or with ``from_store``) from the store.
    """
    numbers = sorted({int(s) for s in statements})
    sources = cache.sources({int(cache.source[n]) for n in numbers})
    if cache.has_details and not from_store:
        shown, values, people = _shown_from_cache(store, cache, numbers)
    else:
        shown, values, people = _shown_from_store(store, cache, numbers, sources)
    ends = {int(end) for n in numbers for end in (cache.subj[n], cache.obj[n]) if end >= 0}
    by_number = dict(zip(sorted(ends), cache.ids(sorted(ends)), strict=True))
    by_id = dict(people)
    by_id.update(cache.attrs(sorted(ends)))

    graph = Answer(labels=cache.labels)
    for ident, attrs in sorted(cache.attrs(list(nodes)).items()):
        graph.add_node(ident, **attrs)
    attributes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for at, number in enumerate(numbers):
        found = shown[at]
        if found is None:
            continue
        source = sources[int(cache.source[number])]
        ordered = found["quotes"]
        edge: dict[str, Any] = {
            "statement": found["statement"],
            "relation": cache.relations[int(cache.rel[number])],
            "voice": cache.voices[int(cache.voice[number])],
            "asserted_by": found["asserted_by"],
            "source": source["id"],
            "source_title": source["title"],
            "source_date": source["date"],
            "date": found["date"],
            "expressed_in": found["expressed_in"],
            "translation": found["translation"],
            "when": found["when"],
            "polarity": _POLARITY.get(int(cache.polarity[number]), ""),
            "hedged": found["hedged"],
            "derived": bool(cache.derived[number]),
            "quotes": ordered,
            "quote": " … ".join(q["exact"] for q in ordered),
            "derived_from": found["derived_from"],
            "regarding": found["regarding"],
        }
        u = by_number[int(cache.subj[number])]
        target = by_number.get(int(cache.obj[number]))
        for end in (u, target):
            if end is not None and end not in graph:
                graph.add_node(end, **by_id[end])
        if target is not None:
            graph.add_edge(u, target, key=edge["statement"], **edge)
        else:
            attributes[u].append({**edge, "value": values.get(at, "")})
        if mentioned:
            for other in (edge["asserted_by"], edge["expressed_in"]):
                if other and other not in graph and other in by_id:
                    graph.add_node(other, **by_id[other])
    for node, literal in attributes.items():
        graph.nodes[node]["attributes"] = sorted(literal, key=lambda a: a["statement"])
    return graph
