"""Virtuoso as the second store: a private server on loopback, pushed to with Digest credentials, its row limit reported.

What every store must do (every bundled query as locally) is in test_stores.py; this module holds
what is Virtuoso's own: how the test server runs, its graph store's authentication, and
``ResultSetMaxRows``, at which Virtuoso cuts an answer and says so only in a header. The session's
server (tests/remote/conftest.py) is the one every remote test uses; the row limit, an ini
setting, needs a second one with a low limit, started for this module only: one row more than
Musk's stances as reviewed in tests/query/expected/, so that his stances fit and the names a
lookup by label reads do not.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from helpers.endpoints import Server, listening_addresses
from helpers.inprocess import run_kg
from helpers.run import kg
from helpers.virtuoso import digest_env, running_virtuoso

from graph.build.pipeline import Built
from graph.query.lookup import ENTITY_NAMES

pytestmark = pytest.mark.slow
EXPECTED = Path(__file__).resolve().parent.parent / "query" / "expected"


def _musks_stances() -> int:
    """How many rows ``stances-of -p person=Musk`` gives on the bundled data, as reviewed."""
    cases = json.loads((EXPECTED / "stances-of.expected.json").read_text(encoding="utf-8"))["cases"]
    [musk] = [case for case in cases if case["params"] == {"person": "Musk"}]
    return len(musk["rows"])


MUSKS_STANCES = _musks_stances()
ROW_LIMIT = MUSKS_STANCES + 1  # his stances fit; the names of the bundled entities must not (checked in the test)


@pytest.fixture(scope="module")
def limited(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second Virtuoso, which sends at most ``ROW_LIMIT`` rows per answer (an ini setting), with the bundled graph."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-limited") / "db", max_rows=ROW_LIMIT) as server:
        result = kg("push", "--endpoint", f"{server.url}/sparql-graph-crud-auth", "--build", built.out.root, env=digest_env())
        assert result.returncode == 0, result.stderr
        yield server


def _ports(folder: Path) -> set[int]:
    ini = (folder / "virtuoso.ini").read_text(encoding="utf-8")
    return {int(line.rsplit(":", 1)[1]) for line in ini.splitlines() if line.startswith("ServerPort")}


def _open_files(pid: int) -> set[str]:
    return {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}


def test_virtuoso_runs_on_loopback_in_its_own_folder(virtuoso: Server) -> None:
    """What the session's server holds open while it runs; that it leaves nothing behind is checked when it stops."""
    folder = Path(f"/proc/{virtuoso.process.pid}/cwd").resolve()
    ports = _ports(folder)
    assert len(ports) == 2  # ISQL and HTTP
    assert virtuoso.port in ports
    assert all(listening_addresses(port) == {"127.0.0.1"} for port in ports)
    files = {f for f in _open_files(virtuoso.process.pid) if f.startswith("/")} - {"/dev/null"}
    assert files, "the database is open"
    assert all(f.startswith(f"{folder}/") for f in files), files
    assert not (Path.cwd() / "virtuoso.tdb").exists()


def test_the_graph_store_wants_digest_credentials_and_then_takes_every_graph_whole(
    built: Built, virtuoso: Server, store: pyoxigraph.Store
) -> None:
    gsp = f"{virtuoso.url}/sparql-graph-crud-auth"
    refused = kg("push", "--endpoint", gsp, "--build", built.out.root)
    assert refused.returncode == 2
    assert "401 Unauthorized" in refused.stderr
    basic = kg("push", "--endpoint", gsp, "--build", built.out.root, env={**digest_env(), "QUOTEGRAPH_ENDPOINT_AUTH": "basic"})
    assert basic.returncode == 2
    assert "401 Unauthorized" in basic.stderr
    again = kg("push", "--endpoint", gsp, "--build", built.out.root, env=digest_env())  # the session's server holds the graph
    assert again.returncode == 2
    assert "already exist" in again.stderr
    replaced = kg("push", "--endpoint", gsp, "--build", built.out.root, "--replace", "-f", "json", env=digest_env())
    assert replaced.returncode == 0, replaced.stderr
    assert json.loads(replaced.stdout)["ok"] is True
    query = (
        'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/quotegraph/")) } GROUP BY ?g'
    )
    answer = httpx.post(f"{virtuoso.url}/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=600)
    remote = {row["g"]["value"]: int(row["n"]["value"]) for row in answer.json()["results"]["bindings"]}
    local = {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
    assert remote == local


def test_an_answer_the_store_cuts_at_its_row_limit_says_so(limited: Server) -> None:
    result = run_kg("query", "SELECT ?s WHERE { ?s ?p ?o }", "-f", "csv", "--timeout", "600", "--endpoint", f"{limited.url}/sparql")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == ROW_LIMIT + 1
    assert f"the endpoint sent only its first {ROW_LIMIT} rows" in result.stderr
    assert "incomplete" in result.stderr


def test_a_name_lookup_the_row_limit_would_cut_fails_with_what_to_change(limited: Server, store: pyoxigraph.Store) -> None:
    names = store.query(ENTITY_NAMES)
    assert isinstance(names, pyoxigraph.QuerySolutions)
    assert sum(1 for _ in names) > ROW_LIMIT, "the lookup by label must need more rows than the limit"
    result = run_kg("query", "stances-of", "-p", "person=Musk", "--timeout", "600", "--endpoint", f"{limited.url}/sparql")
    assert result.exit_code == 2
    assert f"sends at most {ROW_LIMIT} rows per answer" in result.stderr
    assert "ResultSetMaxRows" in result.stderr
    by_iri = run_kg(
        "query", "stances-of", "-p", "person=entity:musk", "-f", "json", "--timeout", "600", "--endpoint", f"{limited.url}/sparql"
    )
    assert by_iri.exit_code == 0, by_iri.stderr
    assert len(json.loads(by_iri.stdout)["results"]["bindings"]) == MUSKS_STANCES
    assert "incomplete" not in by_iri.stderr
