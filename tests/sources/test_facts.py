"""Every fact of the first source, answered by a SPARQL query on the built store.

One row per fact the knowledge-graph issue lists: the query a user would write, and the exact
rows it must return (entity and statement ids; quotes verbatim). Claims are asked for as claims:
through their statement node and who asserts them, never as bare facts.
"""

from __future__ import annotations

import pyoxigraph
import pytest
from helpers.sparql import ask

FACTS: dict[str, tuple[str, list[tuple[str, ...]]]] = {
    "musk is in a legal dispute with openai": (
        "ASK { entity:musk qg:inLegalDisputeWith entity:openai }",
        [("yes",)],
    ),
    "musk sued openai (shortcut over the lawsuit node)": (
        "SELECT ?a ?b WHERE { ?a qg:sued ?b }",
        [("musk", "openai")],
    ),
    "the lawsuit is a node with plaintiff and defendant": (
        "SELECT ?suit ?plaintiff ?defendant WHERE { ?suit a qg:Lawsuit . ?plaintiff qg:filed ?suit . ?suit qg:defendant ?defendant }",
        [("musk-v-openai", "musk", "openai")],
    ),
    "the suit concerns the openai-microsoft partnership and the closed source code": (
        "SELECT ?topic WHERE { entity:musk-v-openai qg:concerns ?topic }",
        [("openai-microsoft-partnership",), ("openai-source-code",)],
    ),
    "the partnership is between openai and microsoft": (
        "SELECT ?partner WHERE { entity:openai-microsoft-partnership qg:partner ?partner }",
        [("microsoft",), ("openai",)],
    ),
    "openai keeps its source code closed": (
        "ASK { entity:openai qg:keepsClosed entity:openai-source-code }",
        [("yes",)],
    ),
    "musk, in the suit, holds that openai should be open source": (
        """SELECT ?st WHERE { ?st rdf:subject entity:musk ; rdf:predicate/rdfs:subPropertyOf* qg:supports ;
              rdf:object entity:openai-should-be-open-source ; qg:expressedIn entity:musk-v-openai ; qg:polarity qg:For }""",
        [("musk-claims-openai-should-be-open-source",), ("musk-wants-models-open-source",)],
    ),
    "the subsidiary and profit-machine claims are not facts of the default graph": (
        "ASK { { ?a qg:deFactoSubsidiaryOf ?b } UNION { ?a qg:profitMachineFor ?b } }",
        [("no",)],
    ),
    "they are musk's claims in the suit, in the claims graph": (
        """SELECT ?p ?who ?voice ?in WHERE {
              GRAPH ?g { entity:openai ?p entity:microsoft } ?g a qg:ClaimsGraph .
              ?st rdf:subject entity:openai ; rdf:predicate ?p ; rdf:object entity:microsoft ;
                  prov:wasAttributedTo ?who ; a ?voice ; qg:expressedIn ?in . FILTER(?voice = qg:Claim) }""",
        [
            ("qg:deFactoSubsidiaryOf", "musk", "qg:Claim", "musk-v-openai"),
            ("qg:profitMachineFor", "musk", "qg:Claim", "musk-v-openai"),
            ("qg:profitMachineFor", "musk", "qg:Claim", "musk-v-openai"),
        ],
    ),
    "microsoft is called the world's largest technology company, in musk's claim": (
        """SELECT ?value ?who WHERE { ?st rdf:subject entity:microsoft ; rdf:predicate qg:describedAs ; rdf:object ?value ;
              prov:wasAttributedTo ?who }""",
        [("größtes Technologieunternehmen der Welt", "musk")],
    ),
    "openai responded to the suit with a blog post that contains the e-mails": (
        """SELECT ?post ?emails WHERE { entity:openai qg:respondedTo entity:musk-v-openai ; qg:published ?post .
              ?post a qg:BlogPost ; qg:contains ?emails . entity:musk qg:sent ?emails . ?emails qg:recipient entity:openai }""",
        [("openai-blog-post", "musk-openai-emails")],
    ),
    "the e-mails came before the lawsuit": (
        "ASK { entity:musk-openai-emails qg:before entity:musk-v-openai }",
        [("yes",)],
    ),
    "musk said openai would need billions of dollars a year (his claim)": (
        """SELECT ?need ?who WHERE { ?st rdf:subject entity:openai ; rdf:predicate qg:fundingNeed ; rdf:object ?need ;
              prov:wasAttributedTo ?who ; qg:expressedIn entity:musk-openai-emails }""",
        [("Milliarden von Dollar pro Jahr, um AGI zu schaffen", "musk")],
    ),
    "musk proposed a merger of openai with tesla (shortcut)": (
        "SELECT ?who ?org WHERE { ?who qg:proposedMerger ?org }",
        [("musk", "openai"), ("musk", "tesla")],
    ),
    "the merger proposal is a node with its parties": (
        "SELECT ?proposal ?party WHERE { entity:musk qg:proposed ?proposal . ?proposal a qg:MergerProposal ; qg:mergerParty ?party }",
        [("openai-tesla-merger", "openai"), ("openai-tesla-merger", "tesla")],
    ),
    "musk wrote that tesla is the only path to rival google (his own words)": (
        """SELECT ?who ?exact WHERE { ?st rdf:subject entity:tesla ; rdf:predicate qg:onlyPathToRival ; rdf:object entity:google ;
              a qg:Quotation ; prov:wasAttributedTo ?who ; qg:quote/oa:hasSelector/oa:exact ?exact }""",
        [("musk", "Tesla ist der einzige Weg, der Google überhaupt das Wasser reichen kann.")],
    ),
    "musk wanted openai to compete with google from the start": (
        """SELECT ?when WHERE { ?st rdf:subject entity:musk ; rdf:predicate qg:supports ;
              rdf:object entity:openai-should-compete-with-google ; qg:timeText ?when }""",
        [("von Anfang an",)],
    ),
    "an e-mail argues for a for-profit openai, in its own words, its writer not named": (
        """SELECT ?exact WHERE { ?st rdf:subject entity:for-profit-email ; rdf:predicate qg:supports ; rdf:object entity:openai-should-be-for-profit ;
              a qg:Quotation ; prov:wasQuotedFrom entity:for-profit-email ; qg:quote/oa:hasSelector/oa:exact ?exact }""",
        [
            (
                "Eine gewinnorientierte Ausrichtung könnte im Laufe der Zeit eine nachhaltigere Einnahmequelle schaffen "
                "und würde mit dem aktuellen Team wahrscheinlich viele Investitionen einbringen.",
            )
        ],
    ),
    "while the suit criticises openai as a profit machine (against for-profit)": (
        """SELECT ?st WHERE { ?st rdf:subject entity:musk ; rdf:predicate qg:opposes ; rdf:object entity:openai-should-be-for-profit ;
              qg:expressedIn entity:musk-v-openai }""",
        [("musk-against-for-profit-in-lawsuit",)],
    ),
    "the e-mails show musk agreed not to open-source the code": (
        """SELECT ?st WHERE { ?st rdf:subject entity:musk ; rdf:predicate qg:opposes ; rdf:object entity:openai-should-be-open-source ;
              qg:expressedIn entity:musk-openai-emails }""",
        [("musk-agreed-to-closed-code",)],
    ),
    "sutskever e-mailed musk about the dangers of open-sourcing": (
        "SELECT ?from ?to ?about WHERE { ?from qg:emailed ?to . ?mail qg:recipient ?to ; qg:concerns ?about . ?from qg:sent ?mail }",
        [("sutskever", "musk", "openai-should-be-open-source")],
    ),
    "sutskever's stance: the closer to ai, the less open (it negates open source)": (
        """SELECT ?stance ?negated WHERE { ?st rdf:subject entity:sutskever ; rdf:predicate qg:supports ; rdf:object ?stance ;
              a qg:Quotation . ?stance qg:negates ?negated }""",
        [("openai-should-be-less-open", "openai-should-be-open-source")],
    ),
    "musk answered „Ja.“: he agreed with sutskever's stance": (
        """SELECT ?regarding ?exact WHERE { entity:musk qg:agreedWith entity:sutskever .
              ?st rdf:subject entity:musk ; rdf:predicate qg:agreedWith ; rdf:object entity:sutskever ;
              qg:regardingStatement ?regarding ; qg:quote/oa:hasSelector/oa:exact ?exact }""",
        [("sutskever-less-open-quote", "Darauf antwortete Elon mit „Ja.“")],
    ),
    "musk cut ties with openai": (
        "ASK { entity:musk qg:cutTiesWith entity:openai }",
        [("yes",)],
    ),
    "the author concludes musk was for closed source from the start (his judgement)": (
        """SELECT ?who ?when WHERE { ?st rdf:subject entity:musk ; rdf:predicate qg:opposes ; rdf:object entity:openai-should-be-open-source ;
              a qg:Judgement ; prov:wasAttributedTo ?who ; qg:timeText ?when }""",
        [("oscar", "von Anfang an")],
    ),
    "the author finds it hypocritical (his judgement, attributed to him)": (
        """SELECT ?who WHERE { ?st rdf:subject ?who ; rdf:predicate qg:supports ; rdf:object entity:musk-condemnation-is-hypocritical ;
              a qg:Judgement ; prov:wasAttributedTo ?who }""",
        [("oscar",)],
    ),
    "every actor is a node with its wikidata id where verified": (
        "SELECT ?e ?wd WHERE { ?e a qg:Entity . OPTIONAL { ?e schema:sameAs ?wd } FILTER(?e IN (entity:musk, entity:openai, entity:tesla, entity:microsoft, entity:google, entity:sutskever, entity:oscar)) }",
        [
            ("google", "http://www.wikidata.org/entity/Q95"),
            ("microsoft", "http://www.wikidata.org/entity/Q2283"),
            ("musk", "http://www.wikidata.org/entity/Q317521"),
            ("openai", "http://www.wikidata.org/entity/Q21708200"),
            ("oscar", ""),
            ("sutskever", "http://www.wikidata.org/entity/Q21712134"),
            ("tesla", "http://www.wikidata.org/entity/Q478214"),
        ],
    ),
    "the source records what is known and nothing more": (
        """SELECT ?title ?author ?lang ?date WHERE { ?s a qg:Source ; dcterms:title ?title ; schema:author ?author ; schema:inLanguage ?lang .
              OPTIONAL { ?s schema:datePublished ?date } OPTIONAL { ?s schema:url ?url } FILTER(!BOUND(?url)) }""",
        [("Elon Musk wollte irgendwann OpenAI und Tesla zusammenführen", "oscar", "de", "")],
    ),
}


@pytest.mark.parametrize("fact", list(FACTS))
def test_fact_is_answered_by_sparql(store: pyoxigraph.Store, fact: str) -> None:
    query, expected = FACTS[fact]
    assert ask(store, query) == sorted(expected)


def test_every_edge_of_a_source_carries_its_quote_assertor_and_source(store: pyoxigraph.Store) -> None:
    rows = ask(
        store,
        """SELECT ?st WHERE { ?st a qg:Statement .
             FILTER NOT EXISTS { ?st qg:quote/oa:hasSelector/oa:exact ?exact ; prov:wasAttributedTo|prov:wasQuotedFrom ?who ; prov:wasDerivedFrom ?src . ?src a qg:Source } }""",
    )
    assert rows == []


def test_derived_shortcuts_rest_on_the_statements_they_come_from(store: pyoxigraph.Store) -> None:
    rows = ask(
        store,
        """SELECT ?part WHERE { ?st a qg:DerivedStatement ; rdf:predicate qg:sued ; qg:derivedVia qg:sued ; prov:wasDerivedFrom ?part .
             ?part a qg:Statement }""",
    )
    assert rows == [("lawsuit-against-openai",), ("musk-filed-lawsuit",)]
