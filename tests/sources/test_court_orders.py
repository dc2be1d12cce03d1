"""The court orders read passage by passage: each statement says no more than the order, in the right voice.

One test per fix an audit of issue 13 found. This room's other tests read the first source
alone; these read the bundled data with its five orders, built once for the module, and ask the
built graph the way a user would (SPARQL on the store).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from helpers.inprocess import run_kg_json
from helpers.run import DATA
from helpers.sparql import ask

from graph.build.pipeline import Built, build
from graph.store.builds import OutDir


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(DATA, OutDir(Path(tmp_path_factory.mktemp("orders")) / "out"))


@pytest.fixture(scope="module")
def store(orders: Built) -> pyoxigraph.Store:
    return orders.out.open_store()


def test_microsoft_effectively_owning_openai_is_its_executives_words_hedged_not_control_or_ownership(store: pyoxigraph.Store) -> None:
    rows = ask(
        store,
        """SELECT ?s ?p ?o ?voice ?who ?in ?hedged WHERE { statement:msj-microsoft-effectively-owning rdf:subject ?s ;
             rdf:predicate ?p ; rdf:object ?o ; a ?voice ; prov:wasAttributedTo ?who ; qg:expressedIn ?in ; qg:hedged ?hedged .
             FILTER(?voice IN (qg:Narration, qg:Claim, qg:Quotation, qg:Judgement)) }""",
    )
    assert rows == [("microsoft", "qg:effectivelyOwns", "openai", "qg:Quotation", "microsoft", "microsoft-notes-2020-10", "true")]
    assert ask(store, "ASK { qg:effectivelyOwns rdfs:subPropertyOf+ qg:owns }") == [("no",)], "in effect is not legal title"
    held = "ASK { ?st prov:wasAttributedTo entity:microsoft ; rdf:predicate ?p . FILTER(?p IN (qg:controlledBy, qg:owns, qg:ownedBy)) }"
    assert ask(store, held) == [("no",)], "Microsoft's words say neither control nor ownership"
    assert ask(store, "ASK { entity:microsoft qg:effectivelyOwns entity:openai }") == [("no",)], "their words are not a fact of the world"


def test_musk_no_longer_funding_until_a_firm_commitment_keeps_its_condition_and_is_no_change_of_mind(orders: Built) -> None:
    store = orders.out.open_store()
    rows = ask(
        store,
        """SELECT ?p ?stance ?label WHERE { statement:msj-musk-no-longer-fund rdf:predicate ?p ; rdf:object ?stance .
             ?stance rdfs:label ?label . FILTER(LANG(?label) = "en") }""",
    )
    assert [(p, stance) for p, stance, _ in rows] == [("qg:supports", "musk-funds-openai-only-on-a-firm-commitment-to-stay")]
    assert "until the others have made a firm commitment to stay" in rows[0][2]
    statement = orders.checked.corpus.statements["msj-musk-no-longer-fund"]
    assert statement.quote.exact.endswith("until you have made a firm commitment to stay")
    found = run_kg_json("contradictions", "-f", "json", "--build", orders.out.root)
    held = {(c["holder"], c["proposition"]) for c in found["contradictions"]}
    assert ("musk", "musk-should-keep-funding-openai") not in held, "a condition is not a refusal"
    assert ("musk", "openai-should-be-open-source") in held


def test_the_parties_agree_only_that_no_single_document_is_a_contract_not_that_no_writing_exists(store: pyoxigraph.Store) -> None:
    rows = ask(
        store,
        """SELECT ?st ?who ?p ?label WHERE { VALUES ?st { statement:mtd-musk-no-single-document statement:mtd-openai-no-single-document }
             ?st rdf:subject ?who ; rdf:predicate ?p ; rdf:object ?stance . ?stance rdfs:label ?label . FILTER(LANG(?label) = "en") }""",
    )
    label = "There is no one single document that consists of a contract between the parties"
    assert rows == [
        ("mtd-musk-no-single-document", "musk", "qg:supports", label),
        ("mtd-openai-no-single-document", "openai", "qg:supports", label),
    ]
    assert ask(store, "ASK { statement:mtd-musk-emails-express-contract rdf:predicate qg:claims }") == [("yes",)], "the e-mails, he argues"


def test_no_contract_document_exists_is_said_only_with_other_than_these_emails(store: pyoxigraph.Store) -> None:
    rows = ask(
        store,
        """SELECT ?p ?label ?exact WHERE { statement:pi-court-no-written-contract rdf:predicate ?p ; rdf:object ?stance ;
             qg:quote/oa:hasSelector/oa:exact ?exact . ?stance rdfs:label ?label . FILTER(LANG(?label) = "en") }""",
    )
    assert rows == [
        (
            "qg:supports",
            "Other than the e-mails, no contract or gifting document with terms and conditions for Musk's donations exists",
            "Other than these emails, no contract or gifting document with terms and conditions exists.",
        )
    ]


def test_a_founding_in_december_2015_is_dated_to_that_month_not_to_the_orders_day(orders: Built) -> None:
    store = orders.out.open_store()
    rows = ask(store, "SELECT ?date (DATATYPE(?date) AS ?type) WHERE { statement:msj-musk-founded qg:date ?date }")
    assert rows == [("2015-12", "http://www.w3.org/2001/XMLSchema#gYearMonth")]
    steps = run_kg_json("timeline", "musk", "-f", "json", "--build", orders.out.root)["steps"]
    (founded,) = [s for s in steps if s["statement"] == "msj-musk-founded"]
    assert (founded["time"], founded["dated_by"], founded["when"]) == ("2015-12", "stated", "December 2015")
    for step in steps:  # a month or a year only where the statement's own words give exactly that
        if len(step["time"]) < 10 and step["dated_by"] == "stated":
            assert step["when"], step["statement"]


def test_openai_transferring_its_assets_to_the_for_profit_is_the_courts_narration(store: pyoxigraph.Store) -> None:
    rows = ask(
        store,
        """SELECT ?st ?voice ?who ?exact WHERE { ?st rdf:subject entity:openai ; rdf:predicate qg:transferredAssetsTo ;
             rdf:object entity:openai-lp ; a ?voice ; prov:wasAttributedTo ?who ; qg:quote/oa:hasSelector/oa:exact ?exact .
             FILTER(?voice IN (qg:Narration, qg:Claim, qg:Quotation, qg:Judgement)) }""",
    )
    assert [(st, voice, who) for st, voice, who, _ in rows] == [
        ("msj-openai-moved-ip-and-employees", "qg:Narration", "ndcal"),
        ("msj-openai-transferred-assets", "qg:Narration", "ndcal"),
    ]
    assert (
        rows[1][3] == "After the for-profit entity was created, OpenAI transferred its assets out of the nonprofit and to the for-profit."
    )
    assert ask(store, "ASK { entity:openai qg:transferredAssetsTo entity:openai-lp }") == [("yes",)], "narration is in the default graph"
