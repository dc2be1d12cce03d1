"""Every quote is an exact span of its source, anchored by character offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest

from graph import paths
from graph.build.pipeline import Built
from graph.sources import anchor as anchor_module
from graph.sources import loader as loader_module
from graph.sources.anchor import AnchorError, SentenceIndex, anchor, closest_passage, occurrences

SOURCE_TEXT = (paths.bundled_data_dir() / "sources" / "000_bb9b70fb7da9f08b.txt").read_text(encoding="utf-8")


def test_every_quote_offset_slices_exactly_its_quote_out_of_the_source_file(built: Built) -> None:
    corpus = built.checked.corpus
    assert corpus.statements, "no statements loaded"
    for stmt in corpus.statements.values():
        text = corpus.sources[stmt.source].text
        quote = stmt.quote
        assert text[quote.start : quote.end] == quote.exact, stmt.id


def test_the_offsets_in_the_graph_slice_the_text_in_the_graph(store: pyoxigraph.Store) -> None:
    results = store.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX qg: <https://w3id.org/quotegraph/ontology#>
           SELECT ?exact ?start ?end ?text WHERE { GRAPH ?g {
             ?q oa:hasSource ?src ; oa:hasSelector ?tqs , ?tps . ?tqs oa:exact ?exact . ?tps oa:start ?start ; oa:end ?end .
             ?src qg:text ?text } }"""
    )
    rows = list(results)  # type: ignore[arg-type]
    assert len(rows) == 59
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert row["text"].value[start:end] == row["exact"].value
        assert row["exact"].language is None, "oa:exact is a plain xsd:string (Web Annotation); the language is the source's"


def test_the_graph_keeps_the_source_text_byte_for_byte(built: Built) -> None:
    source = built.checked.corpus.sources["000_bb9b70fb7da9f08b"]
    assert source.text == SOURCE_TEXT
    assert source.path.read_bytes().decode("utf-8") == SOURCE_TEXT


def test_the_sutskever_quote_spans_two_paragraphs_and_keeps_its_marks(built: Built) -> None:
    stmt = built.checked.corpus.statements["sutskever-less-open-quote"]
    quote = stmt.quote
    assert quote.exact.startswith("„….indem wir alles offenlegen")
    assert "erleben wird.\n\nJe näher wir" in quote.exact
    assert quote.exact.endswith("Rekrutierungszwecke ist).")
    assert SOURCE_TEXT[quote.start : quote.end] == quote.exact
    assert (quote.start, quote.end) == (SOURCE_TEXT.index("„….indem"), SOURCE_TEXT.index("Rekrutierungszwecke ist).") + 25)


def test_the_ja_quote_keeps_the_typographic_quote_marks(built: Built) -> None:
    quote = built.checked.corpus.statements["musk-agreed-with-sutskever"].quote
    assert quote.exact == "Darauf antwortete Elon mit „Ja.“"
    assert SOURCE_TEXT[quote.start : quote.end] == quote.exact


def test_prefix_and_suffix_complete_the_sentence_around_the_quote(built: Built) -> None:
    quote = built.checked.corpus.statements["lawsuit-concerns-partnership"].quote
    sentence = quote.prefix + quote.exact + quote.suffix
    assert sentence == (
        "Elon Musk reichte eine Klage gegen OpenAI ein, sowohl wegen der Partnerschaft der Unternehmen als auch wegen der "
        "Tatsache, dass der Quellcode von OpenAI hinter verschlossenen Türen verschlossen ist."
    )


def test_a_headline_is_its_own_sentence(built: Built) -> None:
    quote = built.checked.corpus.statements["musk-wanted-merger-headline"].quote
    assert (quote.start, quote.prefix, quote.suffix) == (0, "", "")


def test_anchoring_is_exact_and_reports_the_closest_passage() -> None:
    with pytest.raises(AnchorError, match=r"closest passage \(line 19, .*'gewinnorientierte Ausrichtung"):
        anchor(SOURCE_TEXT, "gewinnorientiert Ausrichtung")


def test_straight_quote_marks_do_not_match_typographic_ones_and_the_error_says_why() -> None:
    with pytest.raises(AnchorError, match="differs only in quote marks"):
        anchor(SOURCE_TEXT, 'Darauf antwortete Elon mit "Ja."')


def test_an_ambiguous_quote_needs_an_occurrence() -> None:
    assert len(occurrences(SOURCE_TEXT, "Elon Musk")) == 7
    with pytest.raises(AnchorError, match=r"occurs 7 times \(lines 1, 5, 5, 9, 11, 13, 19\)"):
        anchor(SOURCE_TEXT, "Elon Musk")
    second = anchor(SOURCE_TEXT, "Elon Musk", occurrence=2)
    assert second.start == SOURCE_TEXT.index("Elon Musk", 1)
    with pytest.raises(AnchorError, match="occurs only 7 time"):
        anchor(SOURCE_TEXT, "Elon Musk", occurrence=8)


def test_sentences_never_cross_a_paragraph_break() -> None:
    index = SentenceIndex(SOURCE_TEXT, "de")
    for start, end in zip(index.starts, index.ends, strict=True):
        assert "\n\n" not in SOURCE_TEXT[start:end]


LONG_PASSAGE = SOURCE_TEXT[SOURCE_TEXT.index("Elon Musk reichte") :][:400]


@pytest.mark.parametrize("changed_at", [0.02, 0.5, 0.98], ids=["near the start", "in the middle", "near the end"])
def test_a_long_quote_with_one_word_changed_is_shown_its_passage(changed_at: float) -> None:
    at = SOURCE_TEXT.index(LONG_PASSAGE) + int(len(LONG_PASSAGE) * changed_at)
    start, end = SOURCE_TEXT.rfind(" ", 0, at) + 1, SOURCE_TEXT.find(" ", at)
    quote = LONG_PASSAGE.replace(SOURCE_TEXT[start:end], "XXXXXXX", 1)
    begin, stop, score = closest_passage(SOURCE_TEXT, quote)
    passage = SOURCE_TEXT[begin:stop]
    assert LONG_PASSAGE[10:-10] in passage
    assert len(passage) < len(LONG_PASSAGE) + 40
    assert score > 90


def test_the_closest_passage_of_a_long_quote_is_searched_with_short_probes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """rapidfuzz's partial alignment costs text length x quote length past 64 characters (359 s for 20,000 in 1 MB)."""
    needles: list[int] = []
    real = anchor_module.fuzz.partial_ratio_alignment

    def spy(needle: str, haystack: str, *args: object, **kwargs: object) -> object:
        needles.append(len(needle))
        return real(needle, haystack, *args, **kwargs)

    monkeypatch.setattr(anchor_module.fuzz, "partial_ratio_alignment", spy)
    with pytest.raises(AnchorError, match="closest passage"):
        anchor(SOURCE_TEXT, "ü" * 20_000)
    assert needles
    assert max(needles) <= anchor_module.PROBE_CHARS


def test_closest_passages_are_searched_within_a_budget_and_the_rest_say_so(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    statements = data_copy / "statements" / "000_bb9b70fb7da9f08b.yaml"
    text = statements.read_text(encoding="utf-8")
    quotes = re.findall(r"^    quote: (.+)$", text, flags=re.MULTILINE)[:6]
    for quote in quotes:
        text = text.replace(f"    quote: {quote}\n", f"    quote: {quote}XQX\n", 1)
    statements.write_text(text, encoding="utf-8")
    source_chars = len(SOURCE_TEXT)
    monkeypatch.setattr(loader_module, "HINT_BUDGET_CHARS", 2 * source_chars)
    loader = loader_module.Loader(data_copy)
    scan = loader.scan()
    for files in scan.sources.values():
        loader.load_unit(files, scan.entities)
    messages = [p.message for p in loader.problems.items if p.field and p.field.endswith("quote")]
    assert len(messages) == 6
    assert sum("closest passage (line" in m for m in messages) == 2
    assert all("no closest passage searched" in m for m in messages[2:])
