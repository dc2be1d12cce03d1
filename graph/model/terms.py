"""The IRIs that the commands reading a build need, as plain strings, without rdflib.

:mod:`graph.model.vocab` names every term through rdflib's namespaces, the typed and checked
names that the code building RDF uses. Importing rdflib takes 0.08 s warm on this machine
(0.25 s measured 2026-12-03 with one core busy), and a question like ``kg neighbors`` at a
million statements is meant to answer in under a second, start included; the code on its path
only writes these IRIs into SPARQL and compares them with pyoxigraph's terms. So it takes them
from here: the few terms it uses, spelled out as strings. ``tests/model/test_vocab.py`` checks
each one against :mod:`graph.model.vocab`, which is checked against the ontology, so the two
cannot drift; and a test imports the reading commands and fails if rdflib comes with them.
"""

from __future__ import annotations

QG_NS = "https://w3id.org/quotegraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/quotegraph/ontology"
#: a statement's quote and its two selectors are named by fragments of the statement's IRI
#: (``<…/statement/ID#quote>``): the RDF writer names them, readers may go straight to them
QUOTE_FRAGMENT = "quote"
TEXT_QUOTE_FRAGMENT = "text-quote"
TEXT_POSITION_FRAGMENT = "text-position"


class QG:
    """Terms of the quotegraph ontology (a subset of :class:`graph.model.vocab.QG`)."""

    ClaimsGraph = QG_NS + "ClaimsGraph"
    expressedIn = QG_NS + "expressedIn"
    translation = QG_NS + "translation"
    timeText = QG_NS + "timeText"
    date = QG_NS + "date"
    hedged = QG_NS + "hedged"
    regardingStatement = QG_NS + "regardingStatement"
    quote = QG_NS + "quote"


class RDF:
    object = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"


class PROV:
    wasAttributedTo = "http://www.w3.org/ns/prov#wasAttributedTo"
    wasQuotedFrom = "http://www.w3.org/ns/prov#wasQuotedFrom"
    wasDerivedFrom = "http://www.w3.org/ns/prov#wasDerivedFrom"


class SDO:
    identifier = "https://schema.org/identifier"


class DCTERMS:
    language = "http://purl.org/dc/terms/language"


class OA:
    hasSelector = "http://www.w3.org/ns/oa#hasSelector"
    exact = "http://www.w3.org/ns/oa#exact"
    prefix = "http://www.w3.org/ns/oa#prefix"
    suffix = "http://www.w3.org/ns/oa#suffix"
    start = "http://www.w3.org/ns/oa#start"
    end = "http://www.w3.org/ns/oa#end"


#: every namespace class above, by the name :mod:`graph.model.vocab` gives it (for the drift test)
NAMESPACES = {"QG": QG, "RDF": RDF, "PROV": PROV, "SDO": SDO, "DCTERMS": DCTERMS, "OA": OA}


def local_name(iri: object) -> str:
    """The local name of an IRI (after its last ``#`` or ``/``): ``qg:sued`` → ``sued``, for labels and messages."""
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text
