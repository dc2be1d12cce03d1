"""The corpus as RDF quads: direct triples, statement nodes, quotes and named graphs.

Quads are written as N-Quads text, one source at a time, because that is the fastest way from
Python into Oxigraph: an f-string per statement costs a fraction of building ~28 pyoxigraph
terms, and Oxigraph's bulk loader parses N-Quads in Rust at about a million quads a second. The
same text, parsed, gives the pyoxigraph quads a unit test or pySHACL looks at, so there is one
writer of the layout, not two. The layout (see ``ontology/quotegraph.ttl``):

* ``<base>graph/entities`` — entities: types (with all superclasses), labels, aliases, Wikidata.
* ``<base>graph/<source>`` — the source record with its full text, the statement nodes with
  their Web Annotation quotes, and the direct triples of what the source narrates.
* ``<base>graph/<source>/claims`` — the direct triples of claims, quotations and judgements.
* ``https://w3id.org/quotegraph/ontology`` — the ontology itself, so that labels can be queried.

IRIs derive only from ids and the base IRI, so rebuilding gives the same graph.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote as url_quote

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from graph import paths
from graph.defaults import DEFAULT_BASE_IRI as DEFAULT_BASE_IRI
from graph.errors import UsageError
from graph.model import dates
from graph.model.lang import DISPLAY_LANGS, display_label
from graph.model.ontology import Ontology
from graph.model.records import Corpus, Entity, Source, Statement
from graph.model.vocab import (
    DCTERMS,
    OA,
    ONTOLOGY_IRI,
    ORG,
    PROV,
    QG,
    QUOTE_FRAGMENT,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TEXT_POSITION_FRAGMENT,
    TEXT_QUOTE_FRAGMENT,
    WIKIDATA,
    XSD,
)

VOICE_CLASS = {"narration": QG.Narration, "claim": QG.Claim, "quotation": QG.Quotation, "judgement": QG.Judgement}
POLARITY = {"for": QG.For, "against": QG.Against}


# Offsets are xsd:integer (≥ 0 by the shapes), not the xsd:nonNegativeInteger of the Web
# Annotation model: Oxigraph stores every derived integer type as xsd:integer, so a
# nonNegativeInteger would not survive a round trip through the store.


@dataclass(frozen=True)
class Iris:
    """Stable IRIs derived from ids under one configurable base."""

    base: str = DEFAULT_BASE_IRI

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise UsageError(f"base IRI must end with '/': {self.base}")
        if "#" in self.base:  # the parts of a statement are <statement>#quote; an IRI has one '#' at most
            raise UsageError(f"base IRI must not contain '#' (a quote's IRI is <statement IRI>#quote): {self.base}")
        try:
            NamedNode(self.base)
        except ValueError as exc:
            raise UsageError(f"base IRI is not a valid IRI: {self.base} ({exc})") from None

    def _iri(self, kind: str, ident: str) -> NamedNode:
        return NamedNode(f"{self.base}{kind}/{_segment(ident)}")

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


_SAFE_ID = re.compile(r"[A-Za-z0-9_.~-]+")


def _segment(ident: str) -> str:
    """An id as one IRI path segment (ids are already safe; anything else is percent-encoded)."""
    return ident if _SAFE_ID.fullmatch(ident) else url_quote(ident, safe="")


def _escape(text: str) -> str:
    """A string as the inside of an N-Quads literal (only these four must be escaped)."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


def _lang(text: str, lang: str) -> str:
    return f'"{_escape(text)}"@{lang}'


def _plain(text: str) -> str:
    return f'"{_escape(text)}"'


def literal_value(value: object, lang: str | None) -> Literal:
    """A Python value from the data as a typed RDF literal."""
    return _parse_term(_literal_text(value, lang))


def _literal_text(value: object, lang: str | None) -> str:
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{XSD.boolean}>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD.integer}>'
    if isinstance(value, float):
        return f'"{value!r}"^^<{XSD.double}>'
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"^^<{XSD.date}>'
    if lang:
        return _lang(str(value), lang)
    return _plain(str(value))


def _parse_term(text: str) -> Literal:
    quad = next(parse(f"<x:s> <x:p> {text} .".encode(), format=RdfFormat.N_TRIPLES))
    assert isinstance(quad.object, Literal)
    return quad.object


@cache
def _ontology_quads() -> tuple[Quad, ...]:
    graph = NamedNode(ONTOLOGY_IRI)
    labels: dict[str, BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, BlankNode):
            return labels.setdefault(term.value, BlankNode(f"o{len(labels) + 1}"))
        return term

    return tuple(
        Quad(stable(t.subject), t.predicate, stable(t.object), graph)
        for t in parse(path=str(paths.ontology_file()), format=RdfFormat.TURTLE)
    )


def ontology_quads() -> Iterator[Quad]:
    """The ontology Turtle in its own named graph.

    Blank nodes (the property-chain lists) get labels in order of appearance, so that every
    build writes the same ontology graph and an incremental build equals a full one quad for
    quad. These few hundred quads are added as terms, not through the bulk loader, which would
    give blank nodes new labels.
    """
    yield from _ontology_quads()


def quads_of(text: str | Iterable[str]) -> Iterator[Quad]:
    """Parse N-Quads text (one string or many) into pyoxigraph quads."""
    data = text if isinstance(text, str) else "".join(text)
    yield from parse(data.encode("utf-8"), format=RdfFormat.N_QUADS)


class NQuads:
    """Writes the layout as N-Quads text. One instance per build: IRI prefixes are built once."""

    def __init__(self, onto: Ontology, iris: Iris):
        self.onto = onto
        self.iris = iris
        base = iris.base
        self.e = f"<{base}entity/"
        self.st = f"<{base}statement/"
        self.src = f"<{base}source/"
        self.g = f"<{base}graph/"
        self.entities_graph = f"<{base}graph/entities>"
        self.relations = {name: f"<{rel.iri}>" for name, rel in onto.relations.items()}
        # the reverse direct triple of a symmetric relation, and the inverse one of a relation with a declared inverse
        self.reverse = {
            name: self.relations[rel.inverse] if rel.inverse else self.relations[name]
            for name, rel in onto.relations.items()
            if rel.symmetric or rel.inverse
        }
        # role relations under org:memberOf / org:hasMember: which end is the member, and the role
        self.memberships = {
            name: (end, f"<{rel.role}>") for name, rel in onto.relations.items() if rel.role and (end := onto.is_membership(rel))
        }
        self.types: dict[tuple[str, str | None], list[str]] = {}

    def entity(self, ident: str) -> str:
        return f"{self.e}{_segment(ident)}>"

    def _types(self, kind: str, type_: str | None) -> list[str]:
        found = self.types.get((kind, type_))
        if found is None:
            cls = self.onto.classes[type_] if type_ else self.onto.kinds[kind]
            found = self.types[(kind, type_)] = [f"<{c}>" for c in sorted(self.onto.superclasses(cls))]
        return found

    def entity_nquads(self, entity: Entity) -> str:
        g = self.entities_graph
        node = self.entity(entity.id)
        lines = [f"{node} {_TYPE} {cls} {g} .\n" for cls in self._types(entity.kind, entity.type)]
        lines.append(f"{node} {_IDENTIFIER} {_plain(entity.id)} {g} .\n")
        labels = entity.label.as_dict()
        for lang, text in labels.items():
            lines.append(f"{node} {_LABEL} {_lang(text, lang)} {g} .\n")
            lines.append(f"{node} {_NAME} {_lang(text, lang)} {g} .\n")
        for lang in DISPLAY_LANGS:  # what tables and views show: the own label, or another marked with its language
            lines.append(f"{node} {_DISPLAY_LABEL} {_lang(display_label(labels, lang, entity.id), lang)} {g} .\n")
        for lang in ("de", "en"):
            for alias in getattr(entity.aliases, lang):
                lines.append(f"{node} {_ALT_LABEL} {_lang(alias, lang)} {g} .\n")
            description = getattr(entity.description, lang)
            if description:
                lines.append(f"{node} {_DESCRIPTION} {_lang(description, lang)} {g} .\n")
        if entity.wikidata:
            lines.append(f"{node} {_SAME_AS} <{WIKIDATA[entity.wikidata]}> {g} .\n")
        for other in entity.negates:
            # qg:negates is symmetric; both directions are written so that no reasoner is needed
            lines.append(f"{node} {_NEGATES} {self.entity(other)} {g} .\n")
            lines.append(f"{self.entity(other)} {_NEGATES} {node} {g} .\n")
        return "".join(lines)

    def source_nquads(self, source: Source, has_claims: bool) -> str:
        sid = _segment(source.id)
        g = f"{self.g}{sid}>"
        node = f"{self.src}{sid}>"
        lang = source.language
        out = [
            f"{node} {_TYPE} <{QG.Source}> {g} .\n",
            f"{node} {_TYPE} <{SDO.CreativeWork}> {g} .\n",
            f"{node} {_TYPE} <{PROV.Entity}> {g} .\n",
            f"{node} {_IDENTIFIER} {_plain(source.id)} {g} .\n",
            f"{node} <{DCTERMS.title}> {_lang(source.title, lang)} {g} .\n",
            f"{node} <{SDO.inLanguage}> {_plain(lang)} {g} .\n",
            f"{node} <{DCTERMS.language}> {_plain(lang)} {g} .\n",
            f"{node} <{QG.text}> {_plain(source.text)} {g} .\n",
            f"{node} <{QG.sha256}> {_plain(source.sha256)} {g} .\n",
        ]
        if source.author:
            out.append(f"{node} <{SDO.author}> {self.entity(source.author)} {g} .\n")
            out.append(f"{node} {_ATTRIBUTED} {self.entity(source.author)} {g} .\n")
            # the byline names the author: a source's author is mentioned in it even before any statement quotes them
            out.append(f"{self.entity(source.author)} {_MENTIONED_IN} {node} {g} .\n")
        if source.date:
            out.append(f'{node} <{SDO.datePublished}> "{source.date.isoformat()}"^^<{XSD.date}> {g} .\n')
        if source.url:
            out.append(f"{node} <{SDO.url}> <{NamedNode(source.url).value}> {g} .\n")
        if source.publisher:
            out.append(f"{node} <{SDO.publisher}> {_plain(source.publisher)} {g} .\n")
        # licence and credit: the IRI of the licence (or of the reason the text is public domain),
        # its short id (SPDX where one exists) and the credit line to show with the text
        if source.licence_url:
            out.append(f"{node} <{DCTERMS.license}> <{NamedNode(source.licence_url).value}> {g} .\n")
        if source.licence:
            out.append(f"{node} <{DCTERMS.rights}> {_plain(source.licence)} {g} .\n")
        if source.attribution:
            out.append(f"{node} <{SDO.creditText}> {_plain(source.attribution)} {g} .\n")
        if source.note:
            out.append(f"{node} {_NOTE} {_lang(source.note, 'en')} {g} .\n")
        out.append(f"{g} {_TYPE} <{QG.SourceGraph}> {g} .\n")
        out.append(f"{g} <{QG.graphOf}> {node} {g} .\n")
        if has_claims:
            claims = f"{self.g}{sid}/claims>"
            out.append(f"{claims} {_TYPE} <{QG.ClaimsGraph}> {g} .\n")
            out.append(f"{claims} <{QG.graphOf}> {node} {g} .\n")
        return "".join(out)

    def statement_nquads(self, stmt: Statement, source: Source) -> str:
        sid = _segment(stmt.source)
        g = f"{self.g}{sid}>"
        src = f"{self.src}{sid}>"
        node_iri = f"{self.st}{_segment(stmt.id)}"
        node = node_iri + ">"
        subject = self.entity(stmt.subject)
        predicate = self.relations[stmt.predicate]
        obj = self.entity(stmt.object) if stmt.object is not None else _literal_text(stmt.value, stmt.value_lang)
        lang = source.language
        # the direct triple: facts the source narrates in its graph, everything asserted by someone in the claims graph
        direct_graph = g if stmt.voice == "narration" else f"{self.g}{sid}/claims>"
        out = [
            f"{subject} {predicate} {obj} {direct_graph} .\n",
            # the statement node
            f"{node} {_TYPE} {_STATEMENT} {g} .\n",
            f"{node} {_TYPE} {_VOICE[stmt.voice]} {g} .\n",
            f"{node} {_IDENTIFIER} {_plain(stmt.id)} {g} .\n",
            f"{node} {_RDF_SUBJECT} {subject} {g} .\n",
            f"{node} {_RDF_PREDICATE} {predicate} {g} .\n",
            f"{node} {_RDF_OBJECT} {obj} {g} .\n",
            f"{node} {_DERIVED_FROM} {src} {g} .\n",
            # who asserts it: an agent, or, for words quoted from a document whose writer is not named, that document
            f"{node} {_QUOTED_FROM if stmt.quoted_from == stmt.asserted_by else _ATTRIBUTED} {self.entity(stmt.asserted_by)} {g} .\n",
        ]
        if stmt.predicate in self.reverse and stmt.object is not None:
            out.append(f"{obj} {self.reverse[stmt.predicate]} {subject} {direct_graph} .\n")
        if stmt.predicate in self.memberships and stmt.object is not None and not stmt.is_derived:
            out.append(self._membership(stmt, node_iri, subject, obj, direct_graph))
        if stmt.expressed_in:
            out.append(f"{node} {_EXPRESSED_IN} {self.entity(stmt.expressed_in)} {g} .\n")
        if stmt.translation:
            out.append(f"{node} {_TRANSLATION} {_lang(stmt.translation, 'en')} {g} .\n")
        if stmt.when:
            out.append(f"{node} {_TIME_TEXT} {_lang(stmt.when, lang)} {g} .\n")
        if stmt.date:
            out.append(f'{node} <{QG.date}> "{dates.text(stmt.date)}"^^<{dates.datatype(stmt.date)}> {g} .\n')
        if stmt.inferred:
            out.append(f'{node} <{QG.inferred}> "true"^^<{XSD.boolean}> {g} .\n')
        if stmt.hedged:
            out.append(f'{node} <{QG.hedged}> "true"^^<{XSD.boolean}> {g} .\n')
        if stmt.polarity:
            out.append(f"{node} {_POLARITY} {_POLARITY_VALUE[stmt.polarity]} {g} .\n")
        for other in stmt.regarding:
            out.append(f"{node} <{QG.regardingStatement}> {self.st}{_segment(other)}> {g} .\n")
        if stmt.note:
            out.append(f"{node} {_NOTE} {_lang(stmt.note, 'en')} {g} .\n")
        for entity_id in sorted({e for e in (stmt.subject, stmt.object, stmt.asserted_by, stmt.expressed_in) if e is not None}):
            out.append(f"{self.entity(entity_id)} {_MENTIONED_IN} {src} {g} .\n")
        if stmt.is_derived:
            out.append(f"{node} {_TYPE} <{QG.DerivedStatement}> {g} .\n")
            out.append(f"{node} <{QG.derivedVia}> {predicate} {g} .\n")
            for part in stmt.derived_from:
                part_iri = f"{self.st}{_segment(part)}"
                out.append(f"{node} {_DERIVED_FROM} {part_iri}> {g} .\n")
                out.append(f"{node} {_QUOTE} {part_iri}#{QUOTE_FRAGMENT}> {g} .\n")
            return "".join(out)
        # the quote: a Web Annotation specific resource with a quote selector and a position selector
        quote = stmt.quote
        target = f"{node_iri}#{QUOTE_FRAGMENT}>"
        tqs = f"{node_iri}#{TEXT_QUOTE_FRAGMENT}>"
        tps = f"{node_iri}#{TEXT_POSITION_FRAGMENT}>"
        out.append(
            f"{node} {_QUOTE} {target} {g} .\n"
            f"{target} {_TYPE} {_SPECIFIC_RESOURCE} {g} .\n"
            f"{target} {_HAS_SOURCE} {src} {g} .\n"
            f"{target} {_HAS_SELECTOR} {tqs} {g} .\n"
            f"{target} {_HAS_SELECTOR} {tps} {g} .\n"
            f"{tqs} {_TYPE} {_TQS} {g} .\n"
            # plain xsd:string, as the Web Annotation model defines oa:exact; the language is the source's (dcterms:language)
            f"{tqs} {_EXACT} {_plain(quote.exact)} {g} .\n"
        )
        if quote.prefix:
            out.append(f"{tqs} {_PREFIX} {_plain(quote.prefix)} {g} .\n")
        if quote.suffix:
            out.append(f"{tqs} {_SUFFIX} {_plain(quote.suffix)} {g} .\n")
        out.append(
            f'{tps} {_TYPE} {_TPS} {g} .\n{tps} {_START} "{quote.start}"^^{_INTEGER} {g} .\n{tps} {_END} "{quote.end}"^^{_INTEGER} {g} .\n'
        )
        if stmt.quoted_from:
            # the quoted span repeats words of a document (an e-mail): a PROV quotation of it
            document, quotation = self.entity(stmt.quoted_from), f"{node_iri}#quotation>"
            out.append(
                f"{target} {_QUOTED_FROM} {document} {g} .\n"
                f"{target} <{PROV.qualifiedQuotation}> {quotation} {g} .\n"
                f"{quotation} {_TYPE} <{PROV.Quotation}> {g} .\n"
                f"{quotation} <{PROV.entity}> {document} {g} .\n"
            )
        return "".join(out)

    def _membership(self, stmt: Statement, node_iri: str, subject: str, obj: str, graph: str) -> str:
        """The W3C ORG membership a role statement implies ("X is CEO of Y": X, Y, the role qg:ChiefExecutive).

        Written beside the direct triple (in the claims graph for a claim), derived from the
        statement, with the plain ``org:memberOf``/``org:hasMember`` edges that a reasoner would infer.
        """
        end, role = self.memberships[stmt.predicate]
        member, organization = (subject, obj) if end == "subject" else (obj, subject)
        m = f"{node_iri}#membership>"
        return (
            f"{m} {_TYPE} <{ORG.Membership}> {graph} .\n"
            f"{m} <{ORG.member}> {member} {graph} .\n"
            f"{m} <{ORG.organization}> {organization} {graph} .\n"
            f"{m} <{ORG.role}> {role} {graph} .\n"
            f"{m} {_DERIVED_FROM} {node_iri}> {graph} .\n"
            f"{member} <{ORG.hasMembership}> {m} {graph} .\n"
            f"{member} <{ORG.memberOf}> {organization} {graph} .\n"
            f"{organization} <{ORG.hasMember}> {member} {graph} .\n"
        )

    def unit_nquads(self, source: Source, statements: Iterable[Statement]) -> str:
        """Everything of one source: its record, statement nodes, quotes and direct triples."""
        stmts = list(statements)
        parts = [self.source_nquads(source, has_claims=any(s.voice != "narration" for s in stmts))]
        parts.extend(self.statement_nquads(stmt, source) for stmt in stmts)
        return "".join(parts)


_TYPE = f"<{RDF.type}>"
_IDENTIFIER = f"<{SDO.identifier}>"
_LABEL = f"<{RDFS.label}>"
_NAME = f"<{SDO.name}>"
_DISPLAY_LABEL = f"<{QG.displayLabel}>"
_ALT_LABEL = f"<{SKOS.altLabel}>"
_DESCRIPTION = f"<{SDO.description}>"
_SAME_AS = f"<{SDO.sameAs}>"
_NEGATES = f"<{QG.negates}>"
_NOTE = f"<{SKOS.editorialNote}>"
_ATTRIBUTED = f"<{PROV.wasAttributedTo}>"
_QUOTED_FROM = f"<{PROV.wasQuotedFrom}>"
_DERIVED_FROM = f"<{PROV.wasDerivedFrom}>"
_STATEMENT = f"<{QG.Statement}>"
_VOICE = {voice: f"<{cls}>" for voice, cls in VOICE_CLASS.items()}
_POLARITY = f"<{QG.polarity}>"
_POLARITY_VALUE = {name: f"<{iri}>" for name, iri in POLARITY.items()}
_RDF_SUBJECT = f"<{RDF.subject}>"
_RDF_PREDICATE = f"<{RDF.predicate}>"
_RDF_OBJECT = f"<{RDF.object}>"
_EXPRESSED_IN = f"<{QG.expressedIn}>"
_TRANSLATION = f"<{QG.translation}>"
_TIME_TEXT = f"<{QG.timeText}>"
_MENTIONED_IN = f"<{QG.mentionedIn}>"
_QUOTE = f"<{QG.quote}>"
_SPECIFIC_RESOURCE = f"<{OA.SpecificResource}>"
_HAS_SOURCE = f"<{OA.hasSource}>"
_HAS_SELECTOR = f"<{OA.hasSelector}>"
_TQS = f"<{OA.TextQuoteSelector}>"
_TPS = f"<{OA.TextPositionSelector}>"
_EXACT = f"<{OA.exact}>"
_PREFIX = f"<{OA.prefix}>"
_SUFFIX = f"<{OA.suffix}>"
_START = f"<{OA.start}>"
_END = f"<{OA.end}>"
_INTEGER = f"<{XSD.integer}>"


def entity_quads(entity: Entity, onto: Ontology, iris: Iris) -> Iterator[Quad]:
    yield from quads_of(NQuads(onto, iris).entity_nquads(entity))


def source_quads(source: Source, iris: Iris, has_claims: bool, onto: Ontology | None = None) -> Iterator[Quad]:
    from graph.model.ontology import default_ontology

    yield from quads_of(NQuads(onto or default_ontology(), iris).source_nquads(source, has_claims))


def statement_quads(stmt: Statement, source: Source, onto: Ontology, iris: Iris) -> Iterator[Quad]:
    yield from quads_of(NQuads(onto, iris).statement_nquads(stmt, source))


def corpus_nquads(corpus: Corpus, derived: dict[str, Statement], onto: Ontology, iris: Iris) -> Iterator[str]:
    """The graph but the ontology as N-Quads text, streamed: the entities, then one chunk per source."""
    writer = NQuads(onto, iris)
    yield "".join(writer.entity_nquads(entity) for entity in corpus.entities.values())
    by_source: dict[str, list[Statement]] = {sid: [] for sid in corpus.sources}
    for stmt in [*corpus.statements.values(), *derived.values()]:
        by_source[stmt.source].append(stmt)
    for source_id, source in corpus.sources.items():
        yield writer.unit_nquads(source, by_source[source_id])


def corpus_quads(corpus: Corpus, derived: dict[str, Statement], onto: Ontology, iris: Iris, with_ontology: bool = True) -> Iterator[Quad]:
    """Every quad of the graph, streamed. Each source's quads come together (one named graph each)."""
    if with_ontology:
        yield from ontology_quads()
    for chunk in corpus_nquads(corpus, derived, onto, iris):
        yield from quads_of(chunk)
