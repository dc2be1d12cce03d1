"""Stance changes on the first source: exactly Musk on open-sourcing and Musk on a for-profit OpenAI.

Both sides come with every quote (for an agreement, also the quote agreed with), earlier side
first. A second source about the same people adds its positions to the same propositions. The
module builds the first source alone (with its entities, without the court orders), so these
are the article's own contradictions; tests/cli/test_across_sources.py asks across all sources.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from helpers.inprocess import run_kg
from helpers.run import first_source_only, kg

from graph.build.pipeline import Built, build
from graph.model.lang import Lang
from graph.network.projection import project
from graph.network.stances import Contradiction, contradictions, positions
from graph.query.params import resolve_params
from graph.query.results import term_plain
from graph.query.run import bundled_queries, run_query
from graph.store.builds import OutDir


@pytest.fixture(scope="module")
def found(projection: nx.MultiDiGraph) -> list[Contradiction]:
    return contradictions(projection)


def _ids(c: Contradiction) -> list[tuple[str, list[str]]]:
    return [(side.polarity, [e.position.statement.id for e in side.evidence]) for side in c.sides]


def test_exactly_two_stance_changes_both_by_musk(found: list[Contradiction]) -> None:
    assert [(c.holder, c.proposition) for c in found] == [("musk", "openai-should-be-for-profit"), ("musk", "openai-should-be-open-source")]


def test_musk_on_open_sourcing_against_in_the_emails_then_for_in_the_lawsuit(found: list[Contradiction], built: Built) -> None:
    c = found[1]
    assert c.order_known
    assert c.stances == ["openai-should-be-less-open", "openai-should-be-open-source"]
    assert _ids(c) == [
        ("against", ["musk-agreed-to-closed-code", "musk-agreed-with-sutskever", "musk-ja-less-open", "musk-closed-source-from-the-start"]),
        ("for", ["musk-claims-openai-should-be-open-source", "musk-wants-models-open-source"]),
    ]
    corpus = built.checked.corpus
    text = corpus.sources["000_bb9b70fb7da9f08b"].text
    for side in c.sides:
        for e in side.evidence:
            statement = corpus.statements[e.position.statement.id]
            assert e.position.statement.data["quote"] == statement.quote.exact == text[statement.quote.start : statement.quote.end]
    agreement = c.sides[0].evidence[1].position
    assert (agreement.stance, agreement.polarity) == ("openai-should-be-less-open", "for"), "agreeing with Sutskever's stance"
    assert agreement.statement.data["quote"] == "Darauf antwortete Elon mit „Ja.“"
    assert agreement.agreed is not None
    assert agreement.agreed.id == "sutskever-less-open-quote"
    assert agreement.agreed.data["quote"].startswith("„….indem wir alles offenlegen")
    assert agreement.agreed.data["asserted_by"] == "sutskever"
    own_word = c.sides[0].evidence[2].position
    assert (own_word.stance, own_word.statement.data["voice"], own_word.statement.data["quote"]) == (
        "openai-should-be-less-open",
        "quotation",
        "„Ja.“",
    )
    assert [e.step for e in c.sides[0].evidence] == [0, 0, 0, None], "the judgement has no time of its own"
    assert [e.step for e in c.sides[1].evidence] == [1, 1]
    assert c.sides[1].evidence[0].position.statement.data["when"] == "Derzeit"


def test_musk_on_a_for_profit_openai_for_in_the_emails_then_against_in_the_lawsuit(found: list[Contradiction]) -> None:
    c = found[0]
    assert c.order_known
    assert c.stances == ["openai-should-be-for-profit"]
    # the quoted e-mail sentence is the e-mail's, not Musk's (its writer is not named), so it is no side of Musk's
    assert _ids(c) == [("for", ["musk-wanted-for-profit"]), ("against", ["musk-against-for-profit-in-lawsuit"])]
    narrated = c.sides[0].evidence[0].position.statement.data
    assert (narrated["voice"], narrated["asserted_by"], narrated["expressed_in"]) == ("narration", "oscar", "for-profit-email")
    framing = c.sides[1].evidence[0].position.statement.data
    assert (framing["voice"], framing["asserted_by"], framing["expressed_in"]) == ("judgement", "oscar", "musk-v-openai")


def test_sutskever_is_consistent_and_oscars_judgements_are_no_contradiction(
    projection: nx.MultiDiGraph, found: list[Contradiction]
) -> None:
    held = positions(projection)
    sutskever = {(p.stance, p.polarity) for p in held if p.holder == "sutskever"}
    assert sutskever == {
        ("openai-should-be-open-source", "against"),
        ("openai-should-be-less-open", "for"),
        ("full-openness-enables-unsafe-ai", "for"),
        ("everyone-should-benefit-from-ai", "for"),
        ("sharing-helps-recruiting", "for"),
    }
    assert {p.holder for p in held} == {"musk", "sutskever", "oscar", "for-profit-email"}
    assert {c.holder for c in found} == {"musk"}


def test_the_bundled_query_finds_the_same_pairs(store: pyoxigraph.Store, found: list[Contradiction]) -> None:
    query = bundled_queries()["contradictions"]
    result = run_query(store, query.text, params=resolve_params(store, query, {}, Lang.en))
    rows = [dict(zip(result.variables, (term_plain(t) for t in row), strict=True)) for row in result.rows]
    from_query = {(r["holder"], r["proposition"], r["for_statement"], r["against_statement"]) for r in rows}
    expected = set()
    for c in found:
        sides = {side.polarity: [e.position.statement.id for e in side.evidence] for side in c.sides}
        holder, proposition = "Elon Musk", project_label(store, c.proposition)
        expected |= {(holder, proposition, a, b) for a in sides["for"] for b in sides["against"]}
    assert from_query == expected
    assert len(rows) == 9


def project_label(store: pyoxigraph.Store, entity: str) -> str:
    return str(project(store).nodes[entity]["label_en"])


def test_kg_contradictions_prints_both_sides_with_their_quotes(built: Built) -> None:
    result = kg("contradictions", "--build", built.out.root, env={"COLUMNS": "1000"})  # wide: quotes stay on one line
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count(" was for and against: ") == 2
    for quote in (
        "zeigen die E-Mails, dass Elon damit einverstanden war",
        "Darauf antwortete Elon mit „Ja.“",
        "„….indem wir alles offenlegen",
        "Er behauptet, dass OpenAI Open-Source sein sollte",
        "Eine E-Mail weist jedoch darauf hin",
        "In der Klage kritisierte Elon",
    ):
        assert quote in out
    assert "Eine gewinnorientierte Ausrichtung könnte" not in out, "the e-mail's words are not Musk's position"
    assert "To this Elon replied “Yes.”" in out, "translations beside the quotes"
    open_source = out[out.index("was for and against: OpenAI should be open source") :]
    assert open_source.index("AGAINST") < open_source.index("(earlier)") < open_source.index("FOR") < open_source.index("(later)")
    assert "source 000_bb9b70fb7da9f08b: Elon Musk wollte irgendwann OpenAI und Tesla zusammenführen" in out


def test_kg_contradictions_for_scripts_and_in_german(built: Built) -> None:
    data = json.loads(run_kg("contradictions", "-f", "json", "--build", built.out.root).stdout)["contradictions"]
    assert [(c["holder"], c["proposition"], [s["polarity"] for s in c["sides"]]) for c in data] == [
        ("musk", "openai-should-be-for-profit", ["for", "against"]),
        ("musk", "openai-should-be-open-source", ["against", "for"]),
    ]
    agreed = data[1]["sides"][0]["evidence"][1]["agreed_with"]
    assert (agreed["statement"], agreed["asserted_by"], agreed["voice"]) == ("sutskever-less-open-quote", "sutskever", "quotation")
    assert [c["framing"] for c in data] == [[{"side": "against", "judgement_by": ["oscar"]}], []]
    rows = list(csv.DictReader(io.StringIO(run_kg("contradictions", "-f", "csv", "--build", built.out.root).stdout)))
    assert len(rows) == 8
    assert rows[3]["agreed_statement"] == "sutskever-less-open-quote"
    german = run_kg("contradictions", "--lang", "de", "--build", built.out.root).stdout
    assert "OpenAI sollte Open Source sein und seine Modelle offenlegen" in german
    assert "DAGEGEN" in german
    assert "Darauf antwortete Elon mit „Ja.“" in german


SECOND_TEXT = """Ein zweiter Bericht

Ilya Sutskever sagte später, OpenAI solle doch Open Source sein.

Elon Musk kritisierte erneut, dass OpenAI gewinnorientiert arbeite.
"""
SECOND_META = """id: 001_second_report
title: Ein zweiter Bericht
author: oscar
language: de
"""
SECOND_STATEMENTS = """source: 001_second_report
statements:
  - id: sutskever-later-for-open-source
    subject: sutskever
    predicate: supports
    object: openai-should-be-open-source
    voice: narration
    quote: Ilya Sutskever sagte später, OpenAI solle doch Open Source sein.
    translation: Ilya Sutskever later said OpenAI should be open source after all.
  - id: musk-again-against-for-profit
    subject: musk
    predicate: opposes
    object: openai-should-be-for-profit
    voice: narration
    quote: Elon Musk kritisierte erneut, dass OpenAI gewinnorientiert arbeite.
    translation: Elon Musk criticised again that OpenAI works for profit.
"""


@pytest.mark.slow
def test_a_second_source_adds_its_positions_to_the_same_propositions(tmp_path: Path) -> None:
    data_copy = first_source_only(tmp_path / "data")
    (data_copy / "sources" / "001_second_report.txt").write_text(SECOND_TEXT, encoding="utf-8")
    (data_copy / "sources" / "001_second_report.yaml").write_text(SECOND_META, encoding="utf-8")
    (data_copy / "statements" / "001_second_report.yaml").write_text(SECOND_STATEMENTS, encoding="utf-8")
    built = build(data_copy, OutDir(tmp_path / "out"))
    found = contradictions(project(built.out.open_store()))
    assert [(c.holder, c.proposition) for c in found] == [
        ("musk", "openai-should-be-for-profit"),
        ("musk", "openai-should-be-open-source"),
        ("sutskever", "openai-should-be-open-source"),
    ]
    musk_for_profit = found[0]
    against = [e.position.statement for e in musk_for_profit.sides[1].evidence]
    assert [(s.id, s.data["source"]) for s in against] == [
        ("musk-against-for-profit-in-lawsuit", "000_bb9b70fb7da9f08b"),
        ("musk-again-against-for-profit", "001_second_report"),
    ]
    table = run_kg("contradictions", "--build", tmp_path / "out")
    assert "[2] source 001_second_report: Ein zweiter Bericht" in table.stdout
    sutskever = found[2]
    assert not sutskever.order_known, "the second source orders nothing against the e-mail"
    assert _ids(sutskever) == [
        ("for", ["sutskever-later-for-open-source"]),
        ("against", ["sutskever-against-open-source", "sutskever-less-open-quote"]),
    ]


def test_kg_contradictions_says_whose_framing_a_contradiction_is(built: Built) -> None:
    """The for-profit contradiction rests on the author's reading of Musk's suit: the table says so, in both languages."""
    english = kg("contradictions", "--build", built.out.root, env={"COLUMNS": "1000"}).stdout
    assert (
        "whose framing: the against side rests only on the judgement of Oscar, not on what Elon Musk is reported to have said or done"
        in english
    )
    assert english.count("whose framing:") == 1, "the open-source contradiction rests on what Musk is reported to have done"
    german = run_kg("contradictions", "--lang", "de", "--build", built.out.root).stdout
    assert "wessen Deutung: die Seite „dagegen“ beruht nur auf dem Urteil von Oscar" in german
