"""Properties over arbitrary input (hypothesis): anchoring slices the quote exactly, the YAML reader never crashes.

Curated data is written by people and by scripts: any Unicode in a source text, any span of
it as a quote, any bytes in a YAML file. For each, the promise is the same as for the bundled
data: the offsets of a quote slice exactly the quote, in Python and after a round trip
through N-Quads and Oxigraph; a file that is not valid data is a DataError, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pyoxigraph
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph.errors import DataError
from graph.model.ontology import default_ontology
from graph.model.records import Quote, Source, Statement
from graph.model.vocab import OA, QG
from graph.rdf.quads import Iris, NQuads
from graph.sources.anchor import SentenceIndex, Span, anchor, occurrences
from graph.sources.yamlfile import load_yaml

TEXTS = st.text(min_size=1, max_size=300)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


def _anchored(text: str, start: int, end: int) -> Span:
    quote = text[start:end]
    which = occurrences(text, quote).index(start) + 1
    return anchor(text, quote, which)


@SETTINGS
@given(text_and_span())
@example(("a\r\nb\u2028c😀\x00\U0010ffff", 2, 7))
@example(("aaaa", 1, 3))  # overlapping occurrences
def test_the_anchored_offsets_slice_the_quote_exactly(case: tuple[str, int, int]) -> None:
    text, start, end = case
    span = _anchored(text, start, end)
    assert (span.start, span.end) == (start, end)
    assert text[span.start : span.end] == text[start:end]


@SETTINGS
@given(text_and_span())
@example(("Erster Satz. Zweiter „Satz“.\n\nNeuer Absatz", 13, 20))
def test_the_context_around_a_quote_is_the_text_around_it(case: tuple[str, int, int]) -> None:
    text, start, end = case
    index = SentenceIndex(text, "de")
    prefix, suffix = index.context(Span(start, end))
    assert text[start - len(prefix) : end + len(suffix)] == prefix + text[start:end] + suffix
    assert index.line_of(start) == text.count("\n", 0, start) + 1


def _statement_and_source(text: str, start: int, end: int) -> tuple[Source, Statement]:
    source = Source.model_construct(
        id="s1", title="t", author="a", language="de", date=None, url=None, publisher=None, note=None, text=text, sha256="0", path=Path("x")
    )
    prefix, suffix = SentenceIndex(text, "de").context(Span(start, end))
    quote = Quote.model_construct(exact=text[start:end], start=start, end=end, prefix=prefix, suffix=suffix, line=1)
    statement = Statement.model_construct(
        id="st1",
        source="s1",
        subject="a",
        predicate="cutTiesWith",
        object="b",
        value=None,
        value_lang=None,
        voice="narration",
        asserted_by="a",
        expressed_in=None,
        quotes=(quote,),
        translation=None,
        when=None,
        date=dt.date(2024, 1, 1),
        hedged=False,
        regarding=(),
        note=None,
        polarity=None,
        derived_via=None,
        derived_from=(),
        file="f",
        line=1,
    )
    return source, statement


@SETTINGS
@given(text_and_span())
@example(('Zitat mit "Anführung" und \\ Backslash\r\nund Zeile', 5, 30))
def test_the_offsets_in_the_rdf_slice_the_quote_of_the_rdf_exactly(case: tuple[str, int, int]) -> None:
    text, start, end = case
    source, statement = _statement_and_source(text, start, end)
    store = pyoxigraph.Store()
    store.load(NQuads(default_ontology(), Iris()).unit_nquads(source, [statement]), format=pyoxigraph.RdfFormat.N_QUADS)
    row = next(
        iter(
            store.query(
                f"""SELECT ?text ?exact ?start ?end WHERE {{ GRAPH ?g {{
                ?src <{QG.text}> ?text . ?q <{OA.hasSource}> ?src ; <{OA.hasSelector}> ?tqs, ?tps .
                ?tqs <{OA.exact}> ?exact . ?tps <{OA.start}> ?start ; <{OA.end}> ?end }} }}"""
            )
        )
    )
    stored_text, exact = row["text"].value, row["exact"].value
    assert stored_text == text
    assert stored_text[int(row["start"].value) : int(row["end"].value)] == exact == text[start:end]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
@example(b"value: 2024-02-30\n")
@example(b"value: " + b"9" * 5000 + b"\n")
@example(b"a: !!python/object:os.system ls\n")
@example(b"\xef\xbb\xbfa: 1\n")
@example(b"a: &x [*x]\n")
@example(b"- 1e999999\n- .nan\n- 0x_\n- 2024-13-01\n- 10:61:00\n")
def test_any_bytes_as_a_yaml_file_are_data_or_a_data_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.yaml"
        path.write_bytes(raw)
        problems = _problems_reading(path, Path(folder))
    assert all("\n" not in str(p) for p in problems), problems


def _problems_reading(path: Path, root: Path) -> list[object]:
    """The problems of reading one YAML file ([] when it is valid YAML); any other exception fails the test."""
    try:
        load_yaml(path, root)
    except DataError as exc:
        assert exc.problems  # noqa: PT017 - the problems are what is checked, not that it raised
        return list(exc.problems)
    return []
