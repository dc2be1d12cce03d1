"""The corpus as RDF quads: direct triples, statement nodes, quotes and named graphs.

Quads are produced as pyoxigraph terms, streamed, so that the same code feeds a bulk load of a
million statements and a unit test of one. The layout (see ``ontology/quotegraph.ttl``):

* ``<base>graph/entities`` — entities: types (with all superclasses), labels, aliases, Wikidata.
* ``<base>graph/<source>`` — the source record with its full text, the statement nodes with
  their Web Annotation quotes, and the direct triples of what the source narrates.
* ``<base>graph/<source>/claims`` — the direct triples of claims, quotations and judgements.
* ``https://w3id.org/quotegraph/ontology`` — the ontology itself, so that labels can be queried.

IRIs derive only from ids and the base IRI, so rebuilding gives the same graph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote as url_quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from graph import paths
from graph.errors import UsageError
from graph.model import Corpus, Entity, Source, Statement
from graph.ontology import Ontology
from graph.vocab import DCTERMS, OA, ONTOLOGY_IRI, PROV, QG, RDF, RDFS, SDO, SKOS, WIKIDATA, XSD

DEFAULT_BASE_IRI = "https://w3id.org/quotegraph/id/"
VOICE_CLASS = {"narration": QG.Narration, "claim": QG.Claim, "quotation": QG.Quotation, "judgement": QG.Judgement}
POLARITY = {"for": QG.For, "against": QG.Against}


@lru_cache(maxsize=4096)
def N(iri: str) -> NamedNode:  # noqa: N802 - reads like the term it builds
    """A cached NamedNode for vocabulary terms (built once, used millions of times)."""
    return NamedNode(str(iri))


_TYPE = N(RDF.type)
# Offsets are xsd:integer (≥ 0 by the shapes), not the xsd:nonNegativeInteger of the Web
# Annotation model: Oxigraph stores every derived integer type as xsd:integer, so a
# nonNegativeInteger would not survive a round trip through the store.
_XSD_INT = N(XSD.integer)


@dataclass(frozen=True)
class Iris:
    """Stable IRIs derived from ids under one configurable base."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            raise UsageError(f"base IRI must end with '/' or '#': {self.base}")
        try:
            NamedNode(self.base)
        except ValueError as exc:
            raise UsageError(f"base IRI is not a valid IRI: {self.base} ({exc})") from None

    def _iri(self, kind: str, ident: str) -> NamedNode:
        return NamedNode(f"{self.base}{kind}/{url_quote(ident, safe='')}")

    def entity(self, ident: str) -> NamedNode:
        return self._iri("entity", ident)

    def source(self, ident: str) -> NamedNode:
        return self._iri("source", ident)

    def statement(self, ident: str) -> NamedNode:
        return self._iri("statement", ident)

    def part(self, statement_id: str, fragment: str) -> NamedNode:
        return NamedNode(f"{self.statement(statement_id).value}#{fragment}")

    def source_graph(self, source_id: str) -> NamedNode:
        return self._iri("graph", source_id)

    def claims_graph(self, source_id: str) -> NamedNode:
        return NamedNode(self.source_graph(source_id).value + "/claims")

    @property
    def entities_graph(self) -> NamedNode:
        return NamedNode(f"{self.base}graph/entities")

    @property
    def ontology_graph(self) -> NamedNode:
        return NamedNode(ONTOLOGY_IRI)

    def entity_id(self, node: NamedNode | str) -> str | None:
        """The id back from an entity IRI, or None if it is not one."""
        value = node.value if isinstance(node, NamedNode) else node
        prefix = f"{self.base}entity/"
        return value[len(prefix) :] if value.startswith(prefix) else None

    def statement_id(self, node: NamedNode | str) -> str | None:
        value = node.value if isinstance(node, NamedNode) else node
        prefix = f"{self.base}statement/"
        return value[len(prefix) :].split("#", 1)[0] if value.startswith(prefix) else None


def literal_value(value: object, lang: str | None) -> Literal:
    """A Python value from the data as a typed RDF literal."""
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=N(XSD.boolean))
    if isinstance(value, int):
        return Literal(str(value), datatype=N(XSD.integer))
    if isinstance(value, float):
        return Literal(repr(value), datatype=N(XSD.double))
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=N(XSD.date))
    if lang:
        return Literal(str(value), language=lang)
    return Literal(str(value))


def ontology_quads() -> Iterator[Quad]:
    """The ontology Turtle, in its own named graph."""
    graph = NamedNode(ONTOLOGY_IRI)
    for triple in parse(path=str(paths.ontology_file()), format=RdfFormat.TURTLE):
        yield Quad(triple.subject, triple.predicate, triple.object, graph)


def entity_quads(entity: Entity, onto: Ontology, iris: Iris) -> Iterator[Quad]:
    g = iris.entities_graph
    node = iris.entity(entity.id)
    cls = onto.classes[entity.type] if entity.type else onto.kinds[entity.kind]
    for superclass in sorted(onto.superclasses(cls)):
        yield Quad(node, _TYPE, N(superclass), g)
    yield Quad(node, N(SDO.identifier), Literal(entity.id), g)
    yield Quad(node, N(RDFS.label), Literal(entity.label.de, language="de"), g)
    yield Quad(node, N(RDFS.label), Literal(entity.label.en, language="en"), g)
    for lang in ("de", "en"):
        for alias in getattr(entity.aliases, lang):
            yield Quad(node, N(SKOS.altLabel), Literal(alias, language=lang), g)
        description = getattr(entity.description, lang)
        if description:
            yield Quad(node, N(SDO.description), Literal(description, language=lang), g)
    if entity.wikidata:
        yield Quad(node, N(SDO.sameAs), N(WIKIDATA[entity.wikidata]), g)
    for other in entity.negates:
        # qg:negates is symmetric; both directions are written so that no reasoner is needed
        yield Quad(node, N(QG.negates), iris.entity(other), g)
        yield Quad(iris.entity(other), N(QG.negates), node, g)


def source_quads(source: Source, iris: Iris, has_claims: bool) -> Iterator[Quad]:
    g = iris.source_graph(source.id)
    node = iris.source(source.id)
    for cls in (QG.Source, SDO.CreativeWork, PROV.Entity):
        yield Quad(node, _TYPE, N(cls), g)
    yield Quad(node, N(SDO.identifier), Literal(source.id), g)
    yield Quad(node, N(DCTERMS.title), Literal(source.title, language=source.language), g)
    yield Quad(node, N(SDO.inLanguage), Literal(source.language), g)
    yield Quad(node, N(QG.text), Literal(source.text), g)
    yield Quad(node, N(QG.sha256), Literal(source.sha256), g)
    if source.author:
        yield Quad(node, N(SDO.author), iris.entity(source.author), g)
        yield Quad(node, N(PROV.wasAttributedTo), iris.entity(source.author), g)
    if source.date:
        yield Quad(node, N(SDO.datePublished), Literal(source.date.isoformat(), datatype=N(XSD.date)), g)
    if source.url:
        yield Quad(node, N(SDO.url), NamedNode(source.url), g)
    if source.publisher:
        yield Quad(node, N(SDO.publisher), Literal(source.publisher), g)
    if source.note:
        yield Quad(node, N(SKOS.editorialNote), Literal(source.note, language="en"), g)
    yield Quad(g, _TYPE, N(QG.SourceGraph), g)
    yield Quad(g, N(QG.graphOf), node, g)
    if has_claims:
        claims = iris.claims_graph(source.id)
        yield Quad(claims, _TYPE, N(QG.ClaimsGraph), g)
        yield Quad(claims, N(QG.graphOf), node, g)


def statement_quads(stmt: Statement, source: Source, onto: Ontology, iris: Iris) -> Iterator[Quad]:
    g = iris.source_graph(stmt.source)
    node = iris.statement(stmt.id)
    subject = iris.entity(stmt.subject)
    predicate = N(onto.relations[stmt.predicate].iri)
    obj = iris.entity(stmt.object) if stmt.object is not None else literal_value(stmt.value, stmt.value_lang)
    # the direct triple: facts the source narrates in its graph, everything asserted by someone in the claims graph
    direct_graph = g if stmt.voice == "narration" else iris.claims_graph(stmt.source)
    yield Quad(subject, predicate, obj, direct_graph)
    # the statement node
    yield Quad(node, _TYPE, N(QG.Statement), g)
    yield Quad(node, _TYPE, N(VOICE_CLASS[stmt.voice]), g)
    yield Quad(node, N(SDO.identifier), Literal(stmt.id), g)
    yield Quad(node, N(RDF.subject), subject, g)
    yield Quad(node, N(RDF.predicate), predicate, g)
    yield Quad(node, N(RDF.object), obj, g)
    yield Quad(node, N(PROV.wasDerivedFrom), iris.source(stmt.source), g)
    yield Quad(node, N(PROV.wasAttributedTo), iris.entity(stmt.asserted_by), g)
    if stmt.expressed_in:
        yield Quad(node, N(QG.expressedIn), iris.entity(stmt.expressed_in), g)
    if stmt.translation:
        yield Quad(node, N(QG.translation), Literal(stmt.translation, language="en"), g)
    if stmt.when:
        yield Quad(node, N(QG.timeText), Literal(stmt.when, language=source.language), g)
    if stmt.date:
        yield Quad(node, N(QG.date), Literal(stmt.date.isoformat(), datatype=N(XSD.date)), g)
    if stmt.hedged:
        yield Quad(node, N(QG.hedged), Literal("true", datatype=N(XSD.boolean)), g)
    if stmt.polarity:
        yield Quad(node, N(QG.polarity), N(POLARITY[stmt.polarity]), g)
    for other in stmt.regarding:
        yield Quad(node, N(QG.regardingStatement), iris.statement(other), g)
    if stmt.note:
        yield Quad(node, N(SKOS.editorialNote), Literal(stmt.note, language="en"), g)
    for entity_id in {stmt.subject, stmt.object, stmt.asserted_by, stmt.expressed_in} - {None}:
        yield Quad(iris.entity(str(entity_id)), N(QG.mentionedIn), iris.source(stmt.source), g)
    if stmt.is_derived:
        yield Quad(node, _TYPE, N(QG.DerivedStatement), g)
        yield Quad(node, N(QG.derivedVia), predicate, g)
        for part in stmt.derived_from:
            yield Quad(node, N(PROV.wasDerivedFrom), iris.statement(part), g)
            yield Quad(node, N(QG.quote), iris.part(part, "quote"), g)
        return
    # the quote: a Web Annotation specific resource with a quote selector and a position selector
    quote = stmt.quote
    target = iris.part(stmt.id, "quote")
    tqs = iris.part(stmt.id, "text-quote")
    tps = iris.part(stmt.id, "text-position")
    yield Quad(node, N(QG.quote), target, g)
    yield Quad(target, _TYPE, N(OA.SpecificResource), g)
    yield Quad(target, N(OA.hasSource), iris.source(stmt.source), g)
    yield Quad(target, N(OA.hasSelector), tqs, g)
    yield Quad(target, N(OA.hasSelector), tps, g)
    yield Quad(tqs, _TYPE, N(OA.TextQuoteSelector), g)
    yield Quad(tqs, N(OA.exact), Literal(quote.exact, language=source.language), g)
    if quote.prefix:
        yield Quad(tqs, N(OA.prefix), Literal(quote.prefix, language=source.language), g)
    if quote.suffix:
        yield Quad(tqs, N(OA.suffix), Literal(quote.suffix, language=source.language), g)
    yield Quad(tps, _TYPE, N(OA.TextPositionSelector), g)
    yield Quad(tps, N(OA.start), Literal(str(quote.start), datatype=_XSD_INT), g)
    yield Quad(tps, N(OA.end), Literal(str(quote.end), datatype=_XSD_INT), g)


def corpus_quads(corpus: Corpus, derived: dict[str, Statement], onto: Ontology, iris: Iris, with_ontology: bool = True) -> Iterator[Quad]:
    """Every quad of the graph, streamed. Each source's quads come together (one named graph each)."""
    if with_ontology:
        yield from ontology_quads()
    for entity in corpus.entities.values():
        yield from entity_quads(entity, onto, iris)
    by_source: dict[str, list[Statement]] = {sid: [] for sid in corpus.sources}
    for stmt in [*corpus.statements.values(), *derived.values()]:
        by_source[stmt.source].append(stmt)
    for source_id, source in corpus.sources.items():
        stmts = by_source[source_id]
        yield from source_quads(source, iris, has_claims=any(s.voice != "narration" for s in stmts))
        for stmt in stmts:
            yield from statement_quads(stmt, source, onto, iris)
