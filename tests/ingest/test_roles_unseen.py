"""Roles, descriptions and parties on a new article, without an entity list (as ``--unseen`` drafts)."""

from __future__ import annotations

from helpers.extraction import signal_ontology

from graph.ingest.extract import Extraction, Extractor


def _read(text: str, language: str) -> Extraction:
    return Extractor({}, signal_ontology(), language).extract(text, "t", "reporter")


def _triples(result: Extraction) -> set[tuple[str, str, str | None]]:
    return {(d.subject, d.predicate, d.object or d.value) for d in result.drafts}


def test_its_founder_is_the_founder_of_the_organisation_the_sentence_before_began_with() -> None:
    text = (
        "Brackwater Capital, which owns seven percent of Harrow Bank, criticised the bank. "
        "Its founder Desmond Achebe said Harrow Bank paid too much.\n"
    )
    found = _triples(_read(text, "en"))
    assert ("desmond-achebe", "founderOf", "brackwater-capital") in found
    assert ("desmond-achebe", "founderOf", "harrow-bank") not in found
    assert not any(p == "describedAs" and v == "founder" for _, p, v in found), "a role, not a description"


def test_deren_geschaeftsfuehrerin_heads_the_organisation_named_before() -> None:
    text = "Die Gewerkschaft kritisierte die Kranz Logistik AG heute. Deren Geschäftsführerin Monika Sauer sagte, der Plan sei richtig.\n"
    result = _read(text, "de")
    assert ("monika-sauer", "ceoOf", "kranz-logistik-ag") in _triples(result)
    assert "Deren" not in {e.label for e in result.entities}, "a possessive is no organisation's name"


def test_a_role_after_an_article_stays_a_description() -> None:
    found = _triples(_read("Der Investor Klaus Hartmann forderte eine Einigung.\n", "de"))
    assert ("klaus-hartmann", "describedAs", "Investor") in found


def test_gehoert_makes_the_owned_company_the_subject_and_drafts_no_owns() -> None:
    found = _triples(_read("Brückner Technik GmbH gehört seit 2020 zur Vogt Holding AG.\n", "de"))
    assert ("brueckner-technik-gmbh", "ownedBy", "vogt-holding-ag") in found
    assert not any(p == "owns" for _, p, _ in found)


def test_beide_unternehmen_are_the_two_organisations_the_text_is_about() -> None:
    text = (
        "Die Rheinwerk Stahl AG hat die Hagedorn Anlagenbau GmbH verklagt. Die Rheinwerk Stahl AG fordert Geld. "
        "Die Hagedorn Anlagenbau GmbH weist das zurück. Die Gewerkschaft Metall Rhein e.V. kritisierte beide Unternehmen.\n"
    )
    found = _triples(_read(text, "de"))
    critic = next(s for s, p, _ in found if p == "criticised")
    assert {(critic, "criticised", "rheinwerk-stahl-ag"), (critic, "criticised", "hagedorn-anlagenbau-gmbh")} <= found


def test_three_organisations_named_as_often_leave_both_companies_unresolved() -> None:
    text = "Alder Inc. sued Birch Inc. and Cedar Inc. The union criticised both companies.\n"
    assert not any(p == "criticised" for _, p, _ in _triples(_read(text, "en")))


def test_a_german_single_name_beginning_a_sentence_and_never_written_after_an_article_is_an_organisation() -> None:
    text = "Der Konzern hat den Zulieferer verklagt. Solvia verklagte den Händler. Der Händler verklagte Solvia.\n"
    entities = {e.label: e.kind for e in _read(text, "de").entities}
    assert entities.get("Solvia") == "organization"
    assert "Händler" not in entities, "a noun written after an article is no name"


def test_the_bank_is_the_organisation_named_before_whose_name_ends_in_bank() -> None:
    text = "Talven Bank opened an office in Leeds. Yesterday the union Orlop Group criticised the bank for its plans.\n"
    assert ("orlop-group", "criticised", "talven-bank") in _triples(_read(text, "en"))


def test_the_bank_after_two_banks_stands_for_neither() -> None:
    text = "Talven Bank sued Merrow Bank in London. Yesterday the union Orlop Group criticised the bank for its plans.\n"
    assert not any(p == "criticised" for _, p, _ in _triples(_read(text, "en")))


def test_an_english_role_noun_before_a_name_names_no_relation_across_the_sentence() -> None:
    text = "The activist investor Morrick Partners has proposed a merger of Telford Systems and Ashby Software.\n"
    assert not any(p == "investorIn" for _, p, _ in _triples(_read(text, "en")))


def test_a_german_role_noun_before_a_name_still_relates_it_to_the_subject() -> None:
    text = "Die Nordwind Energie AG hat den Konkurrenten Helios Solar GmbH verklagt.\n"
    assert ("nordwind-energie-ag", "competesWith", "helios-solar-gmbh") in _triples(_read(text, "de"))


def test_a_german_noun_the_text_writes_after_an_article_is_no_first_name() -> None:
    text = (
        "Die Talmann Stahl AG hat ihren langjährigen Zulieferer verklagt. Nun trifft es Zulieferer Brockhaus. "
        "Die Talmann Stahl AG wirft Brockhaus vor, zu spät geliefert zu haben. Brockhaus weist das zurück.\n"
    )
    result = _read(text, "de")
    kinds = {e.label: e.kind for e in result.entities}
    assert "Zulieferer Brockhaus" not in kinds, "'Zulieferer' says what Brockhaus is"
    assert kinds.get("Brockhaus") == "organization"
    assert ("talmann-stahl-ag", "accused", "brockhaus") in _triples(result)


def test_an_english_double_surname_is_one_name() -> None:
    text = "Orlop Partners wants a merger. Its founder Marta Lowe-Castell spoke to reporters.\n"
    result = _read(text, "en")
    assert {e.label for e in result.entities if e.kind == "person"} == {"Marta Lowe-Castell"}
    assert ("marta-lowe-castell", "founderOf", "orlop-partners") in _triples(result)


def test_an_english_first_word_the_text_also_writes_small_is_no_name() -> None:
    text = (
        "Activist investor Morrick pushes for a deal. The activist investor Morrick Partners said so. "
        "Yesterday Kestrel Partners sued Orlop Group. Analysts said yesterday was quiet.\n"
    )
    result = _read(text, "en")
    labels = {e.label for e in result.entities}
    assert "Activist" not in labels
    assert "Kestrel Partners" in labels
    assert ("kestrel-partners", "sued", "orlop-group") in _triples(result)


def test_a_german_noun_after_a_hyphen_or_never_beginning_a_sentence_is_no_name() -> None:
    text = "Ilya Sutskever schickte eine E-Mail an Elon Musk. Die E-Mail war lang. Er war von Anfang an dafür, von Anfang an.\n"
    labels = {e.label for e in _read(text, "de").entities}
    assert "Mail" not in labels
    assert "Anfang" not in labels


def test_a_first_name_after_a_relative_pronoun_stays_part_of_the_name() -> None:
    text = "Es gibt Briefe, die Elon Musk schrieb. Der Milliardär Elon Musk lachte darüber.\n"
    assert ("elon-musk", "describedAs", "Milliardär") in _triples(_read(text, "de"))
