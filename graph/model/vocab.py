"""Python names for the vocabulary in ``ontology/quotegraph.ttl``.

Every quotegraph term used in code goes through :class:`QG`, an rdflib ``DefinedNamespace`` with
``_fail = True``: a typo (``QG.sueed``) raises at import or first use instead of writing a
new, silent IRI. ``tests/model/test_vocab.py`` fails when this list and the Turtle drift apart.
The W3C Web Annotation vocabulary, which rdflib does not ship, is named the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD, DefinedNamespace, Namespace

from graph.model.terms import (
    ONTOLOGY_IRI,
    QG_NS,
    QUOTE_FRAGMENT,
    TEXT_POSITION_FRAGMENT,
    TEXT_QUOTE_FRAGMENT,
    local_name,
)

WIKIDATA = Namespace("http://www.wikidata.org/entity/")


class QG(DefinedNamespace):
    """The quotegraph ontology (``ontology/quotegraph.ttl``)."""

    _NS = Namespace(QG_NS)
    _fail = True

    # entity classes
    Entity: URIRef
    Person: URIRef
    Organization: URIRef
    Stance: URIRef
    Office: URIRef
    Event: URIRef
    Document: URIRef
    Topic: URIRef
    Lawsuit: URIRef
    Counterclaim: URIRef
    Motion: URIRef
    MergerProposal: URIRef
    Partnership: URIRef
    Email: URIRef
    EmailExchange: URIRef
    Letter: URIRef
    BlogPost: URIRef
    SourceCode: URIRef
    # roles (org:Role individuals)
    Member: URIRef
    Employee: URIRef
    ChiefExecutive: URIRef
    Chair: URIRef
    BoardMember: URIRef
    Founder: URIRef
    CoFounder: URIRef
    Investor: URIRef
    Lawyer: URIRef
    Partner: URIRef
    # provenance classes
    Source: URIRef
    SourceGraph: URIRef
    ClaimsGraph: URIRef
    Statement: URIRef
    Narration: URIRef
    Claim: URIRef
    Quotation: URIRef
    Judgement: URIRef
    DerivedStatement: URIRef
    Polarity: URIRef
    For: URIRef
    Against: URIRef
    # annotation and bookkeeping properties
    kind: URIRef
    signalEn: URIRef
    signalDe: URIRef
    role: URIRef
    relation: URIRef
    attribute: URIRef
    polarity: URIRef
    quote: URIRef
    translation: URIRef
    expressedIn: URIRef
    timeText: URIRef
    date: URIRef
    hedged: URIRef
    inferred: URIRef
    regardingStatement: URIRef
    derivedVia: URIRef
    negates: URIRef
    mentionedIn: URIRef
    text: URIRef
    sha256: URIRef
    graphOf: URIRef
    displayLabel: URIRef
    # relations, in the order of the Turtle
    roleIn: URIRef
    memberOf: URIRef
    employeeOf: URIRef
    ceoOf: URIRef
    chairOf: URIRef
    boardMemberOf: URIRef
    founderOf: URIRef
    coFounderOf: URIRef
    investorIn: URIRef
    represents: URIRef
    lawyerFor: URIRef
    holdsOffice: URIRef
    officeIn: URIRef
    cutTiesWith: URIRef
    left: URIRef
    leftOffice: URIRef
    owns: URIRef
    ownedBy: URIRef
    controlledBy: URIRef
    subsidiaryOf: URIRef
    parentOf: URIRef
    deFactoSubsidiaryOf: URIRef
    effectivelyOwns: URIRef
    transferredAssetsTo: URIRef
    funded: URIRef
    donatedTo: URIRef
    acquired: URIRef
    offeredToBuy: URIRef
    partner: URIRef
    partnerOf: URIRef
    competesWith: URIRef
    onlyPathToRival: URIRef
    benefits: URIRef
    profitMachineFor: URIRef
    proposed: URIRef
    agreedTo: URIRef
    rejected: URIRef
    mergerParty: URIRef
    proposedMerger: URIRef
    agreedMerger: URIRef
    rejectedMerger: URIRef
    mergedWith: URIRef
    inLegalDisputeWith: URIRef
    filed: URIRef
    plaintiff: URIRef
    defendant: URIRef
    sued: URIRef
    counterclaimTo: URIRef
    moved: URIRef
    granted: URIRef
    denied: URIRef
    holdsStance: URIRef
    supports: URIRef
    opposes: URIRef
    claims: URIRef
    denies: URIRef
    criticised: URIRef
    accused: URIRef
    praised: URIRef
    agreedWith: URIRef
    disagreedWith: URIRef
    respondedTo: URIRef
    repliedTo: URIRef
    wroteTo: URIRef
    sent: URIRef
    recipient: URIRef
    emailed: URIRef
    met: URIRef
    announced: URIRef
    published: URIRef
    discussed: URIRef
    threatened: URIRef
    urged: URIRef
    meantFor: URIRef
    concerns: URIRef
    authorOf: URIRef
    contains: URIRef
    partOf: URIRef
    keepsClosed: URIRef
    contradicts: URIRef
    before: URIRef
    describedAs: URIRef
    fundingNeed: URIRef


class OA(DefinedNamespace):
    """The part of the W3C Web Annotation vocabulary (https://www.w3.org/ns/oa) that quotes use."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef


#: Prefixes written into Turtle/TriG/JSON-LD exports and accepted in queries.
PREFIXES: dict[str, str] = {
    "qg": QG_NS,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "prov": str(PROV),
    "schema": str(SDO),
    "org": str(ORG),
    "oa": "http://www.w3.org/ns/oa#",
    "skos": str(SKOS),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "wd": str(WIKIDATA),
}


#: The same prefixes as a SPARQL prologue, for the queries the code itself writes.
SPARQL_PREFIXES = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


def shorten(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """``prefix:local`` for an IRI under a known namespace (longest match), else ``<iri>``."""
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    if best:
        local = iri[len(prefixes[best]) :]
        if local and all(c.isalnum() or c in "-_." for c in local):
            return f"{best}:{local}"
    return f"<{iri}>"


__all__ = [
    "DCTERMS",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QG",
    "QG_NS",
    "QUOTE_FRAGMENT",
    "RDF",
    "RDFS",
    "SDO",
    "SKOS",
    "TEXT_POSITION_FRAGMENT",
    "TEXT_QUOTE_FRAGMENT",
    "TIME",
    "WIKIDATA",
    "XSD",
    "local_name",
    "shorten",
]
