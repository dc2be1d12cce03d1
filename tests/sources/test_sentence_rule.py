"""The array sentencizer (graph.sources.sentences) cuts exactly where spaCy's own sentencizer cuts.

The anchoring's quote contexts and the extractor's sentences both rest on these boundaries, so
the fast path must not move a single one: on generated texts (hypothesis) in German, English
and a language spaCy does not know, and on every bundled source paragraph, the spans are
compared with ``nlp(text).sents`` from the same pipeline.
"""

from __future__ import annotations

import pytest
from helpers.extraction import HELDOUT, TUNING
from helpers.run import DATA
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph.ingest.nlp import paragraphs, pipeline
from graph.sources.anchor import _sentencizer
from graph.sources.sentences import sentence_spans

LANGUAGES = ("de", "en", "und")
#: pieces that make the sentencizer's decisions interesting: sentence-final characters of
#: several scripts, punctuation that is not final, quotes, brackets, abbreviations, numbers,
#: whitespace of every kind, and words
PIECES = st.sampled_from(
    [
        "Musk", "OpenAI", "sagte", "said", "z.B.", "Dr.", "U.S.", "3.5", "1.", "e-mail", "Open-Source",
        ".", "!", "?", "…", "。", "؟", "।", "!?", "...", "?!", ";", ":", ",", "-", "–", "—",
        "\"", "„", "“", "”", "'", "«", "»", "(", ")", "[", "]", "*", "#", "@", "%", "1", "42",
        " ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u2009", "🙂", "ß", "Ü",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=60).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spacy_spans(nlp, text: str) -> list[tuple[int, int]]:
    return [(s.start_char, s.start_char + len(s.text)) for s in nlp(text).sents]


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(text=TEXTS)
@example(text="")
@example(text="   ")
@example(text="Ja.")
@example(text="„Ja.“ Er schrieb: „Nein!“ Dann… nichts?! Ende")
@example(text="... . ! ?")
@example(text="Hallo\n\nWelt. ")
def test_boundaries_are_the_sentencizers_for_any_text(language: str, text: str) -> None:
    for nlp in (_sentencizer(language), pipeline(language)):
        assert next(sentence_spans(nlp, [text])) == _spacy_spans(nlp, text)


def _bundled() -> list[tuple[str, str, str]]:
    import yaml

    found = []
    for folder in (DATA, TUNING, HELDOUT):
        for meta in sorted((folder / "sources").glob("*.yaml")):
            record = yaml.safe_load(meta.read_text(encoding="utf-8"))
            text = meta.with_suffix(".txt").read_text(encoding="utf-8")
            found.append((meta.stem, text, record["language"]))
    return found


@pytest.mark.parametrize(("name", "text", "language"), _bundled(), ids=lambda v: v if isinstance(v, str) and len(v) < 60 else "")
def test_boundaries_are_the_sentencizers_on_bundled_sources(name: str, text: str, language: str) -> None:
    nlp = _sentencizer(language)
    texts = [p for _, p in paragraphs(text)]
    assert texts, name
    assert list(sentence_spans(nlp, texts)) == [_spacy_spans(nlp, p) for p in texts]


def test_many_texts_keep_their_order() -> None:
    nlp = _sentencizer("de")
    texts = ["Eins. Zwei.", "", "Drei! Vier? Fünf", "Sechs."]
    assert list(sentence_spans(nlp, texts)) == [_spacy_spans(nlp, t) for t in texts]
