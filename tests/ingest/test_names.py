"""New names without an entity list: organisations by their head words, short forms linked, descriptions kept apart."""

from __future__ import annotations

import pytest
from helpers.extraction import signal_ontology

from graph.ingest.extract import Extraction, Extractor
from graph.ingest.names import is_head, short_forms


def _read(text: str, language: str) -> Extraction:
    return Extractor({}, signal_ontology(), language).extract(text, "t", None)


def _entities(result: Extraction) -> dict[str, tuple[str, list[str]]]:
    return {e.label: (e.kind, [m.text for m in e.mentions]) for e in result.entities if e.kind != "stance"}


def test_head_words_make_an_organisation_in_english_and_german_compounds() -> None:
    assert is_head("Labs", "en")
    assert is_head("Mediengruppe", "de")
    assert not is_head("Mediengruppe", "en")
    assert not is_head("Walker", "en")


def test_short_forms_drop_legal_forms_then_head_words() -> None:
    assert short_forms("Nordwind Energie GmbH", "de") == ["Nordwind Energie", "Nordwind"]
    assert short_forms("Stiftung Brenner", "de") == ["Brenner"]
    assert short_forms("Lumen Labs", "en") == ["Lumen"]
    assert short_forms("Procter & Gamble", "en") == []


@pytest.mark.parametrize(
    ("text", "language", "label", "kind"),
    [
        ("The report said Lumen Labs had grown.", "en", "Lumen Labs", "organization"),
        ("Gestern hat die Sonnberg Bank berichtet.", "de", "Sonnberg Bank", "organization"),
        ("Der Verlag Polaris Medien wächst.", "de", "Polaris Medien", "organization"),
        ("Die Gesundheitsexpertin Ute Zimmermann warnte.", "de", "Ute Zimmermann", "person"),
        ("Shares of Procter & Gamble rose.", "en", "Procter & Gamble", "organization"),
        ("Orbis chief executive Ben Walker spoke.", "en", "Orbis", "organization"),
        ("Analysts expect Strand Automotive, which makes vans, to grow.", "en", "Strand Automotive", "organization"),
    ],
)
def test_a_new_name_gets_its_kind_from_its_shape(text: str, language: str, label: str, kind: str) -> None:
    entities = _entities(_read(text, language))
    assert entities[label][0] == kind


def test_a_short_form_after_the_full_name_is_the_same_organisation() -> None:
    result = _read("Die Nordwind Energie AG wächst. Nordwind-Chef Markus Brandt verklagte Helios.\n", "de")
    entities = _entities(result)
    assert entities["Nordwind Energie AG"] == ("organization", ["Nordwind Energie AG", "Nordwind"])
    assert "Nordwind" not in entities, "one entity, not a second one for the short form"
    assert ("markus-brandt", "ceoOf", "nordwind-energie-ag") in {(d.subject, d.predicate, d.object) for d in result.drafts}


def test_a_short_form_two_names_share_names_neither() -> None:
    text = "Harrow bought Lindqvist Payments. The firm was founded by Elsa Lindqvist. Lindqvist said she was glad.\n"
    entities = _entities(_read(text, "en"))
    assert entities["Lindqvist Payments"][1] == ["Lindqvist Payments"]
    assert entities["Elsa Lindqvist"][1] == ["Elsa Lindqvist"]


def test_a_relations_noun_before_a_name_is_neither_the_name_nor_its_description() -> None:
    result = _read("Die Nordwind Energie AG hat den Konkurrenten Helios Solar GmbH verklagt.\n", "de")
    assert "Helios Solar GmbH" in _entities(result)
    assert not [d for d in result.drafts if d.predicate == "describedAs"]


def test_a_single_name_written_twice_is_an_organisation_unless_it_is_a_persons_surname() -> None:
    text = "Quantix has acquired the start-up Datavia. Its chief executive Caroline Mott praised Datavia. Later Mott said so.\n"
    entities = _entities(_read(text, "en"))
    assert entities["Datavia"][0] == "organization"
    assert "Mott" not in entities
    assert entities["Caroline Mott"] == ("person", ["Caroline Mott", "Mott"])


def test_a_demand_is_a_stance_when_a_clause_follows_and_a_request_when_someone_is_named_after_it() -> None:
    german = Extractor({}, signal_ontology(), "de")
    wish = german.extract("Der Bezirksleiter Jürgen Pohl forderte, dass die Werke offen bleiben.\n", "t", None)
    assert {d.predicate for d in wish.drafts if d.subject == "juergen-pohl" and d.object} == {"supports"}
    english = Extractor({}, signal_ontology(), "en")
    push = english.extract("Kestrel Partners demanded Velmar Chemicals sell its drug unit.\n", "t", None)
    assert {(d.subject, d.predicate, d.object) for d in push.drafts} == {("kestrel-partners", "urged", "velmar-chemicals")}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Susan Okafor, chief executive of Ardent Systems, said the deal was bad.", "en"),
        ("Susan Okafor, the CEO of Ardent Systems, rejected it.", "en"),
        ("Susan Okafor, Chefin der Ardent Systems AG, lehnte ab.", "de"),
    ],
)
def test_a_role_in_an_apposition_names_the_person_and_the_organisation(text: str, language: str) -> None:
    result = _read(text + "\n", language)
    drafts = {(d.subject, d.predicate) for d in result.drafts}
    assert ("susan-okafor", "ceoOf") in drafts
    assert _entities(result)["Susan Okafor"][0] == "person"


def test_an_english_name_at_the_start_of_a_sentence_is_a_person_a_german_one_only_with_a_sign() -> None:
    assert _entities(_read("Anna Berger founded Kestrel Labs in 2019.\n", "en"))["Anna Berger"][0] == "person"
    assert "Anna Berger" in _entities(_read("Anna Berger sagte, Kestrel Labs wachse.\n", "de"))
    assert "Neue Regeln" not in _entities(_read("Neue Regeln gelten ab Montag.\n", "de"))
