"""Two real stores for scaling out: the bundled graph pushed to each, every bundled query answered as locally.

The stores are the Oxigraph server (the PyPI package ``oxigraph``, a test extra) and Virtuoso 7.2
(Debian's ``virtuoso-opensource``, which ``.ci/run`` installs), each started for this module on
loopback with its own database folder (tests/helpers/endpoints.py, tests/helpers/virtuoso.py).
Each case of tests/query/expected/ runs through ``kg query --endpoint`` with its parameters as a
user types them (labels, not IRIs) and must print what ``kg query`` prints on the local build,
byte for byte: every bundled query orders its rows. Virtuoso compiles each new query text for
seconds (about 1–2 s of its CPU per case here, 20 s for the whole table on a quiet machine), so
every case runs once per store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from helpers.endpoints import Server, start_oxigraph
from helpers.inprocess import run_kg
from helpers.run import kg

from graph.build.pipeline import Built

pytestmark = pytest.mark.slow
EXPECTED = Path(__file__).resolve().parent.parent / "query" / "expected"
TIMEOUT = "600"  # seconds: Virtuoso's compiler under a loaded CI machine, not what a query needs


def _cases() -> list[tuple[str, dict[str, str], str]]:
    cases = []
    for path in sorted(EXPECTED.glob("*.expected.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            cases.append((path.name.removesuffix(".expected.json"), case["params"], case["lang"]))
    return cases


CASES = _cases()


def _reviewed_rows(name: str, params: dict[str, str]) -> int:
    """How many rows the reviewed case of ``name`` with ``params`` in tests/query/expected/ has: counts follow the bundled data."""
    cases = json.loads((EXPECTED / f"{name}.expected.json").read_text(encoding="utf-8"))["cases"]
    [case] = [case for case in cases if case["params"] == params]
    return len(case["rows"])


@dataclass
class Pushed:
    """A store that holds the bundled graph, and where to query it."""

    name: str
    server: Server
    query_url: str


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def pushed(request: pytest.FixtureRequest, built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pushed]:
    """The bundled graph pushed with ``kg push`` to a store on loopback: Oxigraph's for this module, the session's Virtuoso."""
    if request.param == "virtuoso":
        server: Server = request.getfixturevalue("virtuoso")  # tests/remote/conftest.py: started once, pushed to once
        yield Pushed("virtuoso", server, f"{server.url}/sparql")
        return
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "store")
    try:
        result = kg("push", "--endpoint", f"{server.url}/store", "--build", built.out.root, "-f", "json")
        assert result.returncode == 0, result.stderr
        yield Pushed("oxigraph", server, f"{server.url}/query")
    finally:
        server.stop()


_LOCAL: dict[tuple[str, ...], tuple[int, str, str]] = {}


def _both(built: Built, pushed: Pushed, *args: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """``kg query ARGS`` on the local build (once for both stores) and on the store: (exit code, stdout, stderr) each."""
    if args not in _LOCAL:
        local = run_kg("query", *args, "--build", built.out.root)
        _LOCAL[args] = (local.exit_code, local.stdout, local.stderr)
    remote = run_kg("query", *args, "--timeout", TIMEOUT, "--endpoint", pushed.query_url)
    return _LOCAL[args], (remote.exit_code, remote.stdout, remote.stderr)


@pytest.mark.parametrize(("name", "params", "lang"), CASES, ids=[f"{n}-{'-'.join(p.values()) or lang}" for n, p, lang in CASES])
def test_every_bundled_query_prints_on_the_store_what_it_prints_locally(
    built: Built, pushed: Pushed, name: str, params: dict[str, str], lang: str
) -> None:
    args = [name, "--lang", lang, "-f", "json", *(f"--param={k}={v}" for k, v in params.items())]
    local, remote = _both(built, pushed, *args)
    assert remote[0] == 0, remote[2]
    assert json.loads(local[1])["results"]["bindings"], "an example that returns nothing shows nothing"
    assert remote[1] == local[1]


@pytest.mark.parametrize(
    "param",
    [
        "person=musk",
        "person=Elon Musk",
        "person=ELON",
        "person=Músk",
        "person=entity:musk",
        "person=<https://w3id.org/quotegraph/id/entity/musk>",
    ],
)
def test_an_entity_parameter_takes_an_id_a_label_an_alias_or_an_iri_on_the_store(built: Built, pushed: Pushed, param: str) -> None:
    local, remote = _both(built, pushed, "stances-of", "-p", param, "-f", "json")
    assert remote == local
    assert local[0] == 0
    assert len(json.loads(local[1])["results"]["bindings"]) == _reviewed_rows("stances-of", {"person": "Musk"})


@pytest.mark.parametrize(
    ("query", "param"),
    [("quotes-about", "entity=Mircosoft"), ("stances-of", "person=Sutskevr"), ("sources-of", "statement=musk-agreed-with-sutskevr")],
)
def test_an_unknown_name_gets_the_same_suggestions_on_the_store(built: Built, pushed: Pushed, query: str, param: str) -> None:
    local, remote = _both(built, pushed, query, "-p", param)
    assert remote == local
    assert local[0] == 2
    assert "did you mean" in local[2]


def test_a_statement_id_in_another_case_is_found_on_the_store(built: Built, pushed: Pushed) -> None:
    local, remote = _both(built, pushed, "sources-of", "-p", "statement=Musk-Agreed-With-Sutskever", "-f", "json")
    assert remote == local
    assert len(json.loads(local[1])["results"]["bindings"]) == _reviewed_rows("sources-of", {"statement": "musk-agreed-with-sutskever"})


def test_blank_nodes_come_back_as_blank_nodes(pushed: Pushed) -> None:
    query = "SELECT ?list ?first WHERE { GRAPH ?g { ?list rdf:first ?first } } ORDER BY ?first LIMIT 3"
    result = run_kg("query", query, "-f", "json", "--timeout", TIMEOUT, "--endpoint", pushed.query_url)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)["results"]["bindings"]
    assert len(rows) == 3
    assert {row["list"]["type"] for row in rows} == {"bnode"}
    assert not any(row["list"]["value"].startswith("nodeID:") for row in rows)


def _triples(ntriples: str) -> set[pyoxigraph.Triple]:
    return {
        pyoxigraph.Triple(q.subject, q.predicate, q.object)
        for q in pyoxigraph.parse(ntriples.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    }


def test_a_construct_comes_back_as_rdf(built: Built, pushed: Pushed, store: pyoxigraph.Store) -> None:
    """A CONSTRUCT's answer is a graph, a set of triples in no defined order, so the two are compared as sets."""
    local, remote = _both(built, pushed, "CONSTRUCT { ?a qg:sued ?b } WHERE { ?a qg:sued ?b }", "-f", "ntriples")
    assert (remote[0], remote[2]) == (local[0], local[2])
    assert local[0] == 0, local[2]
    triples, answered = _triples(local[1]), _triples(remote[1])
    assert answered == triples
    sued = pyoxigraph.NamedNode("https://w3id.org/quotegraph/ontology#sued")
    expected = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, sued, None)}
    assert triples == expected
