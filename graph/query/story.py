"""Questions across sources: which sources there are and whom they mention, and an entity over time.

A story is told by many sources, and the graph keeps each statement with the source it comes
from, so these questions are asked of the store directly (one SPARQL query each, on Oxigraph):

* :func:`source_overview`: every source with its metadata (date, licence, credit line) and its
  statements by voice and the entities it mentions;
* :func:`mentions`: the sources that mention one entity, with how (as subject, object, the one
  who asserts, or the event or document a statement was expressed in);
* :func:`timeline`: what the sources say an entity did, said or held, in order of time.

Time is never invented. A statement is dated by the date the source gives for it (``date:`` in
the data, ``qg:date``); otherwise by its source's publication date, which says when it was
*reported*, not when it happened, and is shown as such; a statement with neither is undated and
listed last, saying so. Words such as "Derzeit" are shown as the source wrote them, never turned
into dates.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph

from graph.model.vocab import QG, SPARQL_PREFIXES, local_name

STATED, REPORTED, UNDATED = "stated", "reported", "undated"
_SKIPPED_TYPES = {str(QG.Statement), str(QG.DerivedStatement)}


_SOURCES = (
    SPARQL_PREFIXES
    + """
SELECT ?src ?id ?p ?v WHERE {
  GRAPH ?g { ?src a qg:Source ; schema:identifier ?id ; ?p ?v .
    FILTER(?p IN (dcterms:title, schema:datePublished, schema:inLanguage, schema:publisher, schema:url,
                  dcterms:license, dcterms:rights, schema:creditText, schema:author)) }
}
"""
)

_SOURCE_COUNTS = (
    SPARQL_PREFIXES
    + """
SELECT ?id ?type ?derived (COUNT(DISTINCT ?st) AS ?n) WHERE {
  GRAPH ?g { ?st a qg:Statement ; a ?type ; prov:wasDerivedFrom ?src . ?src a qg:Source ; schema:identifier ?id .
    BIND(EXISTS { ?st a qg:DerivedStatement } AS ?derived) }
} GROUP BY ?id ?type ?derived
"""
)

_SOURCE_ENTITIES = (
    SPARQL_PREFIXES
    + """
SELECT ?id (COUNT(DISTINCT ?e) AS ?n) WHERE {
  GRAPH ?g { ?e qg:mentionedIn ?src . ?src schema:identifier ?id . }
} GROUP BY ?id
"""
)

_MENTIONS = (
    SPARQL_PREFIXES
    + """
SELECT ?srcId ?role (COUNT(DISTINCT ?st) AS ?n) WHERE {
  GRAPH ?g {
    ?st a qg:Statement ; prov:wasDerivedFrom ?src . ?src a qg:Source ; schema:identifier ?srcId .
    FILTER NOT EXISTS { ?st a qg:DerivedStatement }
    { ?st rdf:subject ?e . BIND("subject" AS ?role) } UNION { ?st rdf:object ?e . BIND("object" AS ?role) }
    UNION { ?st prov:wasAttributedTo ?e . BIND("asserted_by" AS ?role) } UNION { ?st qg:expressedIn ?e . BIND("expressed_in" AS ?role) }
  }
} GROUP BY ?srcId ?role
"""
)

_TIMELINE = (
    SPARQL_PREFIXES
    + """
SELECT ?st ?id ?type ?p ?o ?who ?srcId ?srcTitle ?srcDate ?date ?when ?in ?translation ?polarity ?hedged ?exact ?start WHERE {
  GRAPH ?g {
    ?st a qg:Statement ; schema:identifier ?id ; a ?type ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o ;
        prov:wasAttributedTo ?who ; prov:wasDerivedFrom ?src .
    ?src a qg:Source ; schema:identifier ?srcId ; dcterms:title ?srcTitle .
    FILTER NOT EXISTS { ?st a qg:DerivedStatement }
    OPTIONAL { ?src schema:datePublished ?srcDate }
    OPTIONAL { ?st qg:date ?date }
    OPTIONAL { ?st qg:timeText ?when }
    OPTIONAL { ?st qg:expressedIn ?in }
    OPTIONAL { ?st qg:translation ?translation }
    OPTIONAL { ?st qg:polarity ?polarity }
    OPTIONAL { ?st qg:hedged ?hedged }
    OPTIONAL { ?st qg:quote ?q . ?q oa:hasSelector ?tqs , ?tps . ?tqs oa:exact ?exact . ?tps oa:start ?start . }
  }
}
"""
)

_LABELS = (
    SPARQL_PREFIXES
    + """
SELECT ?t ?id ?label WHERE {
  { GRAPH ?g { ?t a qg:Entity ; schema:identifier ?id ; rdfs:label ?label } }
  UNION { GRAPH ?o { ?t rdfs:label ?label } FILTER(STRSTARTS(STR(?t), "https://w3id.org/quotegraph/ontology#")) }
}
"""
)


def _rows(store: pyoxigraph.Store, query: str) -> list[Any]:
    results = store.query(query)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    return list(results)


@dataclass
class Labels:
    """Labels of entities (by IRI) and ontology terms (by local name) in German and English, read from the store."""

    ids: dict[str, str] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: pyoxigraph.Store) -> Labels:
        found = cls()
        for row in _rows(store, _LABELS):
            iri = row["t"].value
            key = iri if row["id"] is not None else local_name(iri)
            if row["id"] is not None:
                found.ids[iri] = row["id"].value
            lang = row["label"].language or ""
            found.names.setdefault(key, {})[lang] = row["label"].value
        return found

    def label(self, key: str, lang: str) -> str:
        """The label in ``lang``; else the other language's, marked ``(de)``; else the id."""
        names = self.names.get(key, {})
        if names.get(lang):
            return names[lang]
        for other, value in sorted(names.items()):
            if value:
                return f"{value} ({other})"
        return self.ids.get(key, local_name(key))


@dataclass
class SourceInfo:
    id: str
    title: str = ""
    date: str = ""
    language: str = ""
    publisher: str = ""
    url: str = ""
    licence: str = ""
    licence_url: str = ""
    attribution: str = ""
    author: str = ""
    statements_by_voice: dict[str, int] = field(default_factory=dict)
    derived_statements: int = 0
    entities: int = 0

    @property
    def statements(self) -> int:
        return sum(self.statements_by_voice.values())


_SOURCE_FIELDS = {
    "title": "title",
    "datePublished": "date",
    "inLanguage": "language",
    "publisher": "publisher",
    "url": "url",
    "license": "licence_url",
    "rights": "licence",
    "creditText": "attribution",
    "author": "author",
}


def source_overview(store: pyoxigraph.Store) -> list[SourceInfo]:
    """Every source with its metadata, its statements by voice and the number of entities it mentions; by date, undated last."""
    labels = Labels.from_store(store)
    found: dict[str, SourceInfo] = {}
    for row in _rows(store, _SOURCES):
        info = found.setdefault(row["id"].value, SourceInfo(row["id"].value))
        name = _SOURCE_FIELDS[local_name(row["p"].value)]
        value = row["v"]
        setattr(info, name, labels.ids.get(value.value, value.value) if name == "author" else value.value)
    voices: dict[str, Counter[str]] = defaultdict(Counter)
    derived: Counter[str] = Counter()
    for row in _rows(store, _SOURCE_COUNTS):
        kind, is_derived = row["type"].value, row["derived"].value == "true"
        if kind == str(QG.DerivedStatement):
            derived[row["id"].value] += int(row["n"].value)
        elif kind != str(QG.Statement) and not is_derived:  # a shortcut carries its parts' voice; it counts as derived only
            voices[row["id"].value][local_name(kind).lower()] += int(row["n"].value)
    for row in _rows(store, _SOURCE_ENTITIES):
        if row["id"].value in found:
            found[row["id"].value].entities = int(row["n"].value)
    for ident, info in found.items():
        info.derived_statements = derived[ident]
        info.statements_by_voice = dict(sorted(voices[ident].items()))
    return sorted(found.values(), key=lambda s: (s.date == "", s.date, s.id))


def mentions(store: pyoxigraph.Store, entity_iri: str) -> dict[str, dict[str, int]]:
    """For each source that mentions the entity: its statements that do, counted by role."""
    query = _MENTIONS.replace("?e", f"<{pyoxigraph.NamedNode(entity_iri).value}>")
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _rows(store, query):
        found[row["srcId"].value][row["role"].value] = int(row["n"].value)
    return dict(found)


@dataclass
class Step:
    """One statement about the entity, with its time as far as the sources give it."""

    statement: str
    relation: str
    object: str  # an entity IRI or a literal's text
    object_is_entity: bool
    voices: list[str]
    asserted_by: str
    source: str
    source_title: str
    source_date: str
    date: str  # the statement's own date, when the source gives one
    when: str
    expressed_in: str
    translation: str
    polarity: str
    hedged: bool
    quote: str
    start: int

    @property
    def dated_by(self) -> str:
        """``stated``: the source dates it; ``reported``: only the source's date is known; ``undated``."""
        return STATED if self.date else REPORTED if self.source_date else UNDATED

    @property
    def time(self) -> str:
        return self.date or self.source_date


def timeline(store: pyoxigraph.Store, entity_iri: str, stances_only: bool = False) -> list[Step]:
    """What the sources say the entity did, said or held (it is the subject), earliest first, undated last.

    ``stances_only`` keeps statements with a polarity (for or against a stance) and agreements.
    Within one time, statements keep the order of their source's text.
    """
    query = _TIMELINE.replace("?e ;", f"<{pyoxigraph.NamedNode(entity_iri).value}> ;")
    steps: dict[str, Step] = {}
    for row in _rows(store, query):
        sid = row["id"].value
        step = steps.get(sid)
        if step is None:
            obj = row["o"]
            step = steps[sid] = Step(
                statement=sid,
                relation=local_name(row["p"].value),
                object=obj.value,
                object_is_entity=isinstance(obj, pyoxigraph.NamedNode),
                voices=[],
                asserted_by=row["who"].value,
                source=row["srcId"].value,
                source_title=row["srcTitle"].value,
                source_date=row["srcDate"].value if row["srcDate"] is not None else "",
                date=row["date"].value if row["date"] is not None else "",
                when=row["when"].value if row["when"] is not None else "",
                expressed_in=row["in"].value if row["in"] is not None else "",
                translation=row["translation"].value if row["translation"] is not None else "",
                polarity={str(QG.For): "for", str(QG.Against): "against"}.get(row["polarity"].value, "")
                if row["polarity"] is not None
                else "",
                hedged=row["hedged"] is not None and row["hedged"].value == "true",
                quote=row["exact"].value if row["exact"] is not None else "",
                start=int(row["start"].value) if row["start"] is not None else 0,
            )
        kind = row["type"].value
        if kind not in _SKIPPED_TYPES and local_name(kind).lower() not in step.voices:
            step.voices.append(local_name(kind).lower())
    found = [s for s in steps.values() if not stances_only or s.polarity or s.relation == "agreedWith"]
    return sorted(found, key=lambda s: (s.time == "", s.time, s.source_date, s.source, s.start, s.statement))
