"""Queries are read-only, offline, time-limited and size-capped; parameters are only values."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import pyoxigraph
import pytest
from helpers.disguises import disguises, reaching_the_network
from helpers.inprocess import crashed, run_kg
from helpers.run import kg

from graph.build.pipeline import Built
from graph.errors import QueryError, QueryRefused
from graph.query.run import check_query, run_query


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }} }} LIMIT 1",
        "ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_no_connection_is_made(
    built: Built, store: pyoxigraph.Store, listener: tuple[str, list[object]], template: str
) -> None:
    base, connections = listener
    url = f"{base}/sparql"
    with pytest.raises(QueryRefused, match="SERVICE is refused"):
        run_query(store, template.format(url=url))
    result = kg("query", template.format(url=url), "--build", built.out.root)
    assert result.returncode == 2
    assert "SERVICE is refused" in result.stderr
    time.sleep(0.3)
    assert connections == []


def test_no_disguised_service_or_update_reaches_the_network_from_run_query(
    store: pyoxigraph.Store, listener: tuple[str, list[object]]
) -> None:
    url, connections = listener
    cases = disguises(url)
    before = len(store)

    def ask(text: str) -> None:
        with contextlib.suppress(QueryError):
            run_query(store, text)

    assert len(cases) >= 40
    assert reaching_the_network(cases, connections, ask) == []
    assert connections == []
    assert len(store) == before


def test_no_disguised_service_or_update_reaches_the_network_from_kg_query(built: Built, listener: tuple[str, list[object]]) -> None:
    url, connections = listener
    outcomes: dict[int, int] = {}

    def ask(text: str) -> None:
        result = run_kg("query", text, "--build", built.out.root, "-f", "json")
        assert not crashed(result), result.exception
        outcomes[result.exit_code] = outcomes.get(result.exit_code, 0) + 1

    assert reaching_the_network(disguises(url), connections, ask) == []
    assert connections == []
    assert set(outcomes) <= {0, 2}


@pytest.mark.parametrize(
    "update",
    [
        "DROP ALL",
        "CLEAR GRAPH <https://w3id.org/quotegraph/id/graph/entities>",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        'INSERT DATA { <http://x/a> <http://x/p> "x" }',
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_updates_and_load_are_refused(store: pyoxigraph.Store, update: str) -> None:
    before = len(store)
    with pytest.raises(QueryRefused, match="updates are refused"):
        run_query(store, update)
    assert len(store) == before


def test_from_a_remote_graph_is_refused_but_from_a_stored_graph_works(store: pyoxigraph.Store) -> None:
    with pytest.raises(QueryRefused, match=r"FROM <http://example\.org/remote\.ttl> is refused"):
        run_query(store, "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }")
    with pytest.raises(QueryRefused, match=r"FROM <http://example\.org/remote\.ttl> is refused"):
        run_query(store, "SELECT * FROM NAMED <http://example.org/remote.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }")
    entities = "https://w3id.org/quotegraph/id/graph/entities"
    held = sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(entities)))
    result = run_query(store, f"SELECT (COUNT(*) AS ?n) FROM <{entities}> WHERE {{ ?s ?p ?o }}")  # noqa: S608 - SPARQL, not SQL
    assert int(result.rows[0][0].value) == held
    named = run_query(store, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{entities}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")  # noqa: S608 - SPARQL, not SQL
    assert int(named.rows[0][0].value) == held


def test_a_long_query_is_stopped_at_its_time_limit(built: Built) -> None:
    cross_product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    result = kg("query", cross_product, "--timeout", "1", "--build", built.out.root, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode == 2
    assert "exceeded the time limit of 1 s" in result.stderr
    assert elapsed < 30


def test_results_are_capped_and_the_cap_is_reported(built: Built) -> None:
    result = kg("query", "SELECT ?s WHERE { ?s ?p ?o }", "--max-rows", "5", "-f", "json", "--build", built.out.root)
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 5
    assert "stopped after 5 rows" in result.stderr


def test_an_overlong_query_is_refused() -> None:
    with pytest.raises(QueryRefused, match="characters long"):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 200_000)


@pytest.mark.parametrize("hostile", ["> } DROP ALL { <", '" } ; DROP ALL ; SELECT * { "', "musk' || true", "<script>alert(1)</script>"])
def test_hostile_parameter_values_are_just_values(built: Built, store: pyoxigraph.Store, hostile: str) -> None:
    before = len(store)
    query = "SELECT ?e WHERE { ?e <https://schema.org/identifier> ?id }"
    result = kg("query", query, "--param", f"id={hostile}", "-f", "json", "--build", built.out.root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"] == []
    assert "Traceback" not in result.stderr
    assert len(built.out.open_store()) == before


def test_a_parameter_binds_like_a_value_in_the_query(built: Built) -> None:
    query = "SELECT ?e WHERE { ?e <https://schema.org/identifier> ?id }"
    result = kg("query", query, "--param", "id=musk", "-f", "csv", "--build", built.out.root)
    assert result.stdout.splitlines() == ["e", "https://w3id.org/quotegraph/id/entity/musk"]


def test_a_syntax_error_names_line_and_column() -> None:
    with pytest.raises(QueryError, match=r"line 2, column \d+"):
        check_query("SELECT ?s\nWHERE { ?s ?p }")


def test_a_missing_query_file_is_a_clear_error(tmp_path: Path, built: Built) -> None:
    result = kg("query", tmp_path / "nope.rq", "--build", built.out.root)
    assert result.returncode == 2
    assert "query file not found" in result.stderr
