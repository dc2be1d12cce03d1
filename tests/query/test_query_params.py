"""Hostile parameter values are only values: they never change a query, never crash, never write.

A bundled query's entity and statement parameters are names looked up in the store, so a
hostile value is just a name that matches nothing (a one-line "no entity matches" error). Text
parameters are bound by a VALUES clause of Oxigraph-escaped terms appended to the query: the
query before it is unchanged and the value comes back exactly as typed.
"""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from helpers.inprocess import crashed, run_kg
from helpers.run import kg
from rdflib.plugins.sparql.parser import parseQuery

from graph.build.pipeline import Built
from graph.query.run import bind_values, run_query

HOSTILE = [
    "> } DROP ALL {",
    "> } DROP ALL { <",
    '" } ; DROP ALL ; SELECT * { "',
    "musk' || true",
    "<script>alert(1)</script>",
    "entity:musk> } UNION { ?s ?p ?o",
    "\\u0022 } INSERT DATA { <x> <y> <z> } #",
]


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize(
    ("query", "param", "message"), [("relations-of", "entity", "no entity matches"), ("sources-of", "statement", "no statement has the id")]
)
def test_a_hostile_name_matches_nothing_and_changes_nothing(built: Built, hostile: str, query: str, param: str, message: str) -> None:
    before = len(built.out.open_store())
    result = run_kg("query", query, "--param", f"{param}={hostile}", "--build", built.out.root)
    assert result.exit_code == 2
    assert not crashed(result)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert len(built.out.open_store()) == before


@pytest.mark.parametrize("hostile", ["> } DROP ALL {", "entity:musk> } UNION { ?s ?p ?o"])
def test_the_installed_command_reports_a_hostile_name_in_one_line(built: Built, hostile: str) -> None:
    result = kg("query", "stances-of", "--param", f"person={hostile}", "--build", built.out.root)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no entity matches")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_entity_name_is_refused_by_the_analysis_commands_too(built: Built, hostile: str) -> None:
    for args in (["neighbors", hostile], ["path", "musk", hostile], ["lookup", hostile]):
        result = run_kg(*args, "--build", built.out.root)
        assert result.exit_code == 2, args
        assert not crashed(result)
        assert "no entity matches" in result.stderr


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_text_value_leaves_the_query_as_it_was_and_comes_back_verbatim(store: pyoxigraph.Store, hostile: str) -> None:
    query = "SELECT ?text (STRLEN(?text) AS ?n) WHERE { }"
    bound = bind_values(query, {"text": pyoxigraph.Literal(hostile)})
    # the clause opens the WHERE group; around it, the query's own text is unchanged
    clause = re.search(r'\n  VALUES \(\?text\) \{ \("(?:[^"\\]|\\.)*"\) \}\n', bound)
    assert clause, "one string literal, escaped"
    assert bound[: clause.start()] + bound[clause.end() :] == query
    assert bound[: clause.start()].endswith("WHERE {")
    values = [node for node in parseQuery(bound)[1]["where"]["part"] if getattr(node, "name", None) == "InlineData"]
    assert len(values) == 1, "one VALUES clause"
    assert len(values[0]["value"]) == 1, "one row with one value"
    result = run_query(store, query, params={"text": pyoxigraph.Literal(hostile)})
    assert [(row[0].value, int(row[1].value)) for row in result.rows] == [(hostile, len(hostile))]


def test_a_hostile_language_is_refused_before_anything_runs(built: Built) -> None:
    result = run_kg("query", "timeline", "-p", 'lang=en" } DROP ALL { "', "--build", built.out.root)
    assert result.exit_code == 2
    assert not crashed(result)
    assert "is not a label language" in result.stderr
