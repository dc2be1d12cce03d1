"""Every draft quote and mention is the exact span its offsets name, whatever the text (hypothesis).

The corpus test checks the written articles; this one feeds the extractor texts no one wrote:
names, signal words, quotation marks, hyphens, legal forms, white space and line breaks in any
order, with and without an entity list.
"""

from __future__ import annotations

from functools import cache

from helpers.extraction import signal_ontology
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.ingest.extract import Extractor
from graph.model.records import Aliases, Descriptions, Entity, Labels

PIECES = [
    "Nordwind Energie GmbH", "Nordwind", "Helios AG", "Anna Berger", "Berger", "Bergers", "Procter & Gamble", "CEO",
    "Chefin", "-Chef", "verklagte", "sued", "wurde von", "was sued by", "übernahm", "acquired", "sagte", "said", "dass",
    "that", "nicht", "never", "will, dass", "fordert", "„", "“", '"', "”", "«", "»", ",", ".", ":", ";", " – ", "'s", "’",
    " ", " ", "\n", "\n\n", "\t", "Klage", "lawsuit", "der", "the", "und", "and", "Inc.", "GmbH.", "ß", "é", "Ünal", "2024",
]  # fmt: skip


@cache
def _extractor(language: str, with_entities: bool) -> Extractor:
    def entity(ident: str, kind: str, label: str, *aliases: str) -> Entity:
        return Entity(
            id=ident, kind=kind, type=None, label=Labels(de=label, en=label), aliases=Aliases(de=list(aliases), en=list(aliases)),
            description=Descriptions(), wikidata=None, negates=(),
        )  # fmt: skip

    known = [entity("nordwind", "organization", "Nordwind Energie GmbH", "Nordwind"), entity("berger", "person", "Anna Berger", "Berger")]
    return Extractor({e.id: e for e in known} if with_entities else {}, signal_ontology(), language)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=40),
    language=st.sampled_from(["de", "en"]),
    with_entities=st.booleans(),
)
def test_every_quote_and_mention_slices_the_text_exactly(pieces: list[str], language: str, with_entities: bool) -> None:
    text = " ".join(pieces)
    result = _extractor(language, with_entities).extract(text, "p", None)
    for d in result.drafts:
        assert text[d.start : d.end] == d.quote
    for e in result.entities:
        for m in e.mentions:
            assert text[m.start : m.end] == m.text
