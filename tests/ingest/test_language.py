"""The language of a source text, offline: any language for kg add, German or English for the extractor."""

from __future__ import annotations

import re

import pytest
from helpers.run import DATA, SOURCE_ID

from graph.ingest.language import detect_language, identify

GERMAN = (DATA / "sources" / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")
ENGLISH = (
    "Elon Musk sued OpenAI and its chief executive Sam Altman on Monday, reviving a dispute over the company's founding "
    "mission. The complaint was filed in federal court in Northern California. OpenAI said the claims were without merit."
)
FRENCH = "Elon Musk a porté plainte contre OpenAI lundi, relançant un différend sur la mission fondatrice de l'entreprise."


def test_a_german_and_an_english_article_are_told_apart_with_confidence() -> None:
    german, english = identify(GERMAN), identify(ENGLISH)
    assert (german.language, english.language) == ("de", "en")
    assert not german.uncertain
    assert english.probability > 0.9


def test_every_paragraph_of_the_first_source_of_forty_characters_or_more_reads_as_german() -> None:
    paragraphs = [p for p in re.split(r"\n\s*\n", GERMAN) if len(p.strip()) >= 40]
    assert len(paragraphs) == 10
    assert {identify(p).language for p in paragraphs} == {"de"}
    assert {detect_language(p) for p in paragraphs} == {"de"}


def test_another_language_is_named_by_kg_add_and_a_short_text_is_uncertain() -> None:
    assert identify(FRENCH).language == "fr"
    assert identify("OpenAI und Tesla").uncertain


@pytest.mark.parametrize(("text", "expected"), [(GERMAN, "de"), (ENGLISH, "en"), ("Das ist gut.", "de"), ("Musk sued OpenAI.", "en")])
def test_the_extractor_gets_german_or_english(text: str, expected: str) -> None:
    assert detect_language(text) == expected
