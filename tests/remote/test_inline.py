"""Parameters written into a remote query as constants: only where that means what the local VALUES clause means.

The equivalence is checked on Oxigraph itself: a query with its parameters written in gives the
rows the same query gives with its VALUES clause, for every expected case of every bundled query.
Where a constant would change the answer (tiny graphs below show each place), the variable
stays in VALUES.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from graph.model.lang import Lang
from graph.query.params import resolve_params
from graph.query.run import bind_values, bundled_queries, checked, run_query
from graph.remote.client import _bnode_labels
from graph.remote.inline import inline_params
from graph.remote.text import query_form

QUERIES = bundled_queries()
EXPECTED = Path(__file__).resolve().parent.parent / "query" / "expected"
CASES = [
    (path.name.removesuffix(".expected.json"), case["params"], case["lang"])
    for path in sorted(EXPECTED.glob("*.expected.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]
]
X = pyoxigraph.Literal("x")


@pytest.mark.parametrize(("name", "params", "lang"), CASES, ids=[f"{n}-{'-'.join(p.values()) or lang}" for n, p, lang in CASES])
def test_a_bundled_query_with_its_parameters_written_in_gives_the_rows_of_its_values_clause(
    store: pyoxigraph.Store, name: str, params: dict[str, str], lang: str
) -> None:
    query = QUERIES[name]
    bound = resolve_params(store, query, {k: pyoxigraph.Literal(v) for k, v in params.items()}, Lang(lang))
    written_in = inline_params(checked(query.text).text, bound)
    assert "VALUES (" not in written_in, "every parameter of a bundled query is written in"
    assert not any(f"?{p}" in written_in for p in bound)
    assert run_query(store, written_in).rows == run_query(store, query.text, params=bound).rows


def _tiny() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    a, b, p, q = (pyoxigraph.NamedNode(f"http://e/{n}") for n in "abpq")
    for s, pred, o in ((a, p, X), (b, p, pyoxigraph.Literal("y")), (a, q, X)):
        store.add(pyoxigraph.Quad(s, pred, o))
    return store


def _rows(store: pyoxigraph.Store, text: str) -> list[tuple[str, ...]]:
    result = store.query(text)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    return sorted(tuple(str(t) for t in row) for row in result)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (
            "a FILTER of a nested group that does not bind it",
            "SELECT ?s WHERE { ?s <http://e/p> ?o { ?s <http://e/p> ?o2 FILTER(?o2 = ?v) } }",
        ),
        ("MINUS", "SELECT ?s WHERE { ?s <http://e/p> ?o MINUS { <http://e/a> <http://e/q> ?v } }"),
        ("an OPTIONAL whose left side does not bind it", "SELECT ?s WHERE { { ?s <http://e/p> ?o OPTIONAL { ?s <http://e/q> ?v } } }"),
        ("a sub-SELECT", "SELECT ?s WHERE { { SELECT ?s WHERE { ?s <http://e/p> ?o FILTER(?o = ?v) } } }"),
    ],
)
def test_where_a_constant_would_change_the_answer_the_variable_stays_in_values(where: str, value: str) -> None:
    store, term = _tiny(), pyoxigraph.Literal("z" if "OPTIONAL" in where else "x")
    naive = value.replace("?v", str(term))
    assert _rows(store, naive) != _rows(store, bind_values(value, {"v": term})), f"a constant in {where} means something else"
    assert inline_params(value, {"v": term}) == bind_values(value, {"v": term})


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s <http://e/p> ?v }",  # a column of the answer
        "SELECT ?s ?v WHERE { ?s <http://e/p> ?v }",
        "SELECT ?s WHERE { ?s <http://e/p> ?o } ORDER BY ?v",
        "SELECT ?s WHERE { ?s <http://e/p> ?o FILTER(BOUND(?v)) }",  # no constant may stand there
        "SELECT ?s WHERE { ?s <http://e/p> ?o BIND(?o AS ?v) }",
        "SELECT ?s WHERE { ?s <http://e/p> ?o VALUES ?v { 1 } }",
        "SELECT ?s WHERE { ?s ?v ?o }",  # a literal is no predicate
    ],
)
def test_a_variable_named_outside_the_pattern_or_where_no_constant_fits_stays_in_values(query: str) -> None:
    assert inline_params(query, {"v": X}) == bind_values(query, {"v": X})


@pytest.mark.parametrize(
    ("query", "written_in"),
    [
        ("SELECT ?s WHERE { ?s <http://e/p> ?o FILTER(?o = ?v) }", 'SELECT ?s WHERE { ?s <http://e/p> ?o FILTER(?o = "x") }'),
        ("SELECT ?s WHERE { ?s <http://e/p> $v }", 'SELECT ?s WHERE { ?s <http://e/p> "x" }'),
        (
            "SELECT ?s WHERE { { ?s <http://e/p> ?v FILTER(?v != 1) } UNION { ?s <http://e/q> ?v } }",
            'SELECT ?s WHERE { { ?s <http://e/p> "x" FILTER("x" != 1) } UNION { ?s <http://e/q> "x" } }',
        ),
        (
            "SELECT ?s WHERE { ?s <http://e/p> ?o OPTIONAL { ?s <http://e/q> ?w FILTER(?w = ?v) } FILTER NOT EXISTS { ?s <http://e/r> ?v } }",
            'SELECT ?s WHERE { ?s <http://e/p> ?o OPTIONAL { ?s <http://e/q> ?w FILTER(?w = "x") } FILTER NOT EXISTS { ?s <http://e/r> "x" } }',
        ),
        (
            'SELECT ?s WHERE { ?s <http://e/?v> "?v" . # ?v\n FILTER(?s != ?v) }',
            'SELECT ?s WHERE { ?s <http://e/?v> "?v" . # ?v\n FILTER(?s != "x") }',
        ),
        ("SELECT ?s WHERE { ?s <http://e/p> ?o FILTER(?o = ?vv) }", "SELECT ?s WHERE { ?s <http://e/p> ?o FILTER(?o = ?vv) }"),
    ],
)
def test_a_parameter_is_written_in_where_it_means_the_same_and_nowhere_else(query: str, written_in: str) -> None:
    assert inline_params(query, {"v": X}) == written_in
    if "?vv" not in query:
        assert _rows(_tiny(), inline_params(query, {"v": X})) == _rows(_tiny(), bind_values(query, {"v": X}))


def test_a_hostile_value_is_written_in_as_one_literal() -> None:
    hostile = pyoxigraph.Literal('x" } ; DROP ALL ; SELECT * { "')
    store = _tiny()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/h"), pyoxigraph.NamedNode("http://e/p"), hostile))
    written_in = inline_params("SELECT ?s WHERE { ?s <http://e/p> ?o FILTER(?o = ?v) }", {"v": hostile})
    assert "VALUES" not in written_in
    assert _rows(store, checked(written_in).text) == [("<http://e/h>",)]


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX ex: <http://e/select#> SELECT * { ?s ?p ?o }", "select"),
        ("# CONSTRUCT in a comment\nASK { ?s ?p 'DESCRIBE' }", "ask"),
        ("prefix ex: <http://e/> construct where { ?s ex:select ?o }", "construct"),
        ("DESCRIBE <http://e/a>", "describe"),
    ],
)
def test_the_query_form_is_read_past_comments_strings_iris_and_names(text: str, form: str) -> None:
    assert query_form(text) == form


def test_virtuosos_blank_node_values_lose_their_prefix_wherever_the_answer_is_split() -> None:
    answer = (
        b'{ "results": { "bindings": [ { "s": { "type": "bnode", "value": "nodeID://b10000" }, '
        b'"o": { "type": "literal", "value": "nodeID://kept, a string" } } ] } }\n<bnode>nodeID://b7</bnode>'
    )
    expected = answer.replace(b'"nodeID://b10000"', b'"b10000"').replace(b">nodeID://b7<", b">b7<")
    for at in range(1, len(answer)):
        assert b"".join(_bnode_labels(iter([answer[:at], answer[at:]]))) == expected
    assert b"".join(_bnode_labels(iter(answer[i : i + 1] for i in range(len(answer))))) == expected
