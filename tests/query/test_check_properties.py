"""Property-based (hypothesis): whatever text the query check lets through, Oxigraph finds no SERVICE, LOAD or update in it."""

from __future__ import annotations

import time

import pyoxigraph
import pytest
from helpers.listener import listening
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.parser import expandUnicodeEscapes

from graph.errors import QueryError
from graph.query.canonical import canonical
from graph.query.offline import offline
from graph.query.run import checked

B = "\\"
#: pieces that move where a parser thinks a comment, a string or an IRI ends
FRAGMENTS = [
    '"',
    "'",
    '"""',
    "'''",
    "#",
    "# c",
    "\r",
    "\n",
    "\r\n",
    " ",
    "\t",
    B,
    B + B,
    "\x0c",
    "\x85",
    "\u2028",
    B + "u0022",
    B + "u0027",
    B + "u005C",
    B + "U00000022",
    B + "u000A",
    B + "u000D",
    B + "u0023",
    B + "u003E",
    B + "u0053ERVICE",
    B + '"',
    B + "'",
    B + "#",
    "<",
    ">",
    "<http://e/#x>",
    "<http://e/x>",
    "FILTER(",
    ")",
    "(",
    "?o != ",
    "||",
    "&&",
    ".",
    "?s ?p ?o",
    "?s ?p ?o .",
    "x",
    "@en",
    "^^<http://e/d>",
    "{",
    "}",
    "OPTIONAL {",
    "MINUS {",
    "FILTER NOT EXISTS {",
    "BIND(",
    " AS ?z)",
    "ex:a",
    "ex:a" + B + "#b",
    '"a"',
    "'a'",
    "true",
    "1",
    ";",
    "SERVICE",
    "SILENT",
    "LOAD",
    "INSERT DATA",
]
#: where the SERVICE call goes: in plain sight (the check must refuse it), or hidden from one parser
#: if the other reads a comment, a string or an IRI as ending somewhere else
SHAPES = [
    "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o {a}{core}{b} }}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != {a}){core}{b}\n}}",
    'PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "{a}"{b}){core}\n}}',
    "PREFIX ex: <http://e/> SELECT * WHERE {{ {{ SELECT * WHERE {{ {a}{core} }} }} {b} }}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o # {a}{core}{b}\n}}",
    "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ # {a}{core}{b}\n}} }}",
    'PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "{a}{core}{b}") }}',
    "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != '{a}{core}{b}') }}",
    'PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ?o FILTER(?o != """{a}{core}{b}""") }}',
    "PREFIX ex: <http://e/> ASK {{ ?s ?p ?o FILTER(?o != '''{a}{core}{b}''') }}",
    "PREFIX ex: <http://e/> ASK {{ ?s ?p ?o FILTER(?s<?o {a}#{b}) {core}\n}}",
]
soup = st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join)


def _store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("http://e/p"), pyoxigraph.NamedNode("http://e/o")))
    return store


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(st.sampled_from([*FRAGMENTS, *"abc ?{}()<>#"]), max_size=30).map("".join)))
def test_the_canonical_text_of_any_text_is_read_alike_by_both_parsers(text: str) -> None:
    try:
        result = canonical(text)
    except QueryError:
        return
    assert "\r" not in result
    assert expandUnicodeEscapes(result) == result
    assert canonical(result) == result


@pytest.mark.slow
def test_no_text_the_check_lets_through_makes_oxigraph_connect_or_update() -> None:
    with listening() as (url, connections):
        core = f" SERVICE <{url}/> {{ ?s ?p ?o }} "
        passed: list[str] = []

        @settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        @given(st.sampled_from(SHAPES), soup, soup)
        def one(shape: str, a: str, b: str) -> None:
            text = shape.format(a=a, b=b, core=core)
            try:
                found = checked(text)
            except QueryError:
                return
            passed.append(text)
            store, before = _store(), len(connections)
            try:
                results = store.query(found.text)
                if not isinstance(results, pyoxigraph.QueryBoolean):
                    list(results)  # type: ignore[call-overload]
            except (SyntaxError, OSError):
                pass
            time.sleep(0.005)
            assert len(connections) == before, f"Oxigraph called SERVICE in a text the check passed: {text!r}"
            assert len(store) == 1

            def as_update() -> None:  # on a store of its own, with no network: harmless if it did parse
                _store().update(found.text)

            with pytest.raises(SyntaxError):
                offline(as_update)

        one()
        time.sleep(0.3)
        assert connections == []
        assert len(passed) >= 100, f"the generator makes texts the check lets through ({len(passed)})"
