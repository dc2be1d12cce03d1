"""The canonical text: what the query check reads is, character for character, what Oxigraph runs."""

from __future__ import annotations

import pytest
from helpers.disguises import disguises
from rdflib.plugins.sparql.parser import expandUnicodeEscapes

from graph.errors import QueryError, QueryRefused
from graph.query.canonical import canonical
from graph.query.shape import shape

CASES = disguises("http://127.0.0.1:9")


def _canonical_or_none(text: str) -> str | None:
    try:
        return canonical(text)
    except QueryError:
        return None


@pytest.mark.parametrize(("name", "text"), CASES, ids=[name for name, _ in CASES])
def test_the_canonical_text_gives_both_parsers_the_same_characters(name: str, text: str) -> None:
    result = _canonical_or_none(text)
    if result is None:
        return
    assert "\r" not in result, "both parsers end a comment at LF; only Oxigraph ends one at CR"
    assert expandUnicodeEscapes(result) == result, "rdflib expands \\u escapes before it lexes, Oxigraph does not"
    assert canonical(result) == result, "canonical form is idempotent"


def test_comments_end_where_oxigraph_ends_them() -> None:
    assert canonical("ASK { # x\rFILTER(true) }") == "ASK { \nFILTER(true) }"
    assert canonical("ASK {} # the end") == "ASK {} "


def test_escaped_quotes_stay_inside_their_string() -> None:
    assert canonical('ASK { FILTER(?o != "A\\u0022) # ") }') == 'ASK { FILTER(?o != "A\\") # ") }'
    assert canonical("ASK { FILTER(?o != '''it's''') }") == 'ASK { FILTER(?o != "it\'s") }'
    assert canonical('ASK { FILTER("""a\nb""" = "x\\ty") }') == 'ASK { FILTER("a\\nb" = "x\ty") }'


def test_two_adjacent_strings_never_read_as_a_long_string() -> None:
    assert canonical('ASK { FILTER(CONCAT(\'\'"a") = "a") }') == 'ASK { FILTER(CONCAT("" "a") = "a") }'


def test_iris_are_decoded_and_operators_are_left_alone() -> None:
    assert canonical("ASK { <http://e/\\u0041> ?p ?o FILTER(1<2 && 2>1) }") == "ASK { <http://e/A> ?p ?o FILTER(1<2 && 2>1) }"


def test_line_numbers_of_a_windows_file_stay_the_same() -> None:
    text = "SELECT ?s\r\nWHERE {\r\n  ?s ?p\r\n}"
    assert canonical(text).count("\n") == text.count("\r\n")
    with pytest.raises(QueryError, match=r"line 3"):
        shape(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('ASK { FILTER("open) }', "unterminated string literal"),
        ('ASK { FILTER("a\nb") }', "line break inside a string literal"),
        ('ASK { FILTER("a\\qb") }', "invalid escape"),
        ("ASK { \\u0053ERVICE }", "outside a string or an IRI"),
        ("ASK { <http://e/\\u0020> ?p ?o }", "a character an IRI cannot hold"),
        ('ASK { FILTER("\\uD800") }', "invalid code point"),
    ],
)
def test_what_cannot_be_read_one_way_is_a_syntax_error_with_its_place(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=f"line 1, column \\d+: .*{message}"):
        canonical(text)


def test_a_string_the_two_parsers_would_read_differently_is_refused() -> None:
    with pytest.raises(QueryRefused) as refused:
        canonical('ASK { FILTER(?o = "C:\\\\u0041") }')
    assert refused.value.code == "ambiguous-query"
