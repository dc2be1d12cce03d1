"""Every quote is an exact span of its source, anchored by character offsets."""

from __future__ import annotations

import pyoxigraph
import pytest

from graph import paths
from graph.build.pipeline import Built
from graph.sources.anchor import AnchorError, SentenceIndex, anchor, occurrences

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
