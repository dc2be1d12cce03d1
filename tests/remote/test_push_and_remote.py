"""`kg push` and `kg query --endpoint` against a real Oxigraph server, read back with SPARQLWrapper."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import pytest
from helpers.endpoints import Server, start_oxigraph
from helpers.run import kg
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from graph.build.pipeline import Built
from graph.query.run import bundled_queries, run_query
from graph.rdf.quads import DEFAULT_BASE_IRI
from graph.store.builds import default_graphs
from graph.store.export import prefixes_for

pytestmark = pytest.mark.slow
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "store")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def pushed(built: Built, oxigraph: Server) -> Server:
    """The bundled graph pushed once to the Oxigraph server."""
    result = kg("push", "--endpoint", f"{oxigraph.url}/store", "--build", built.out.root, "-f", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    return oxigraph


def wrapper(server: Server, store: pyoxigraph.Store | None = None) -> SPARQLWrapper:
    """SPARQLWrapper on the server, with the default graph `kg query` uses (every graph but the claims graphs)."""
    client = SPARQLWrapper(f"{server.url}/query")
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    if store is not None:
        for graph in default_graphs(store):
            client.addDefaultGraph(graph.value)
        for graph in store.named_graphs():
            client.addNamedGraph(graph.value)
    return client


def remote_rows(client: SPARQLWrapper, query: str) -> list[tuple[str, ...]]:
    client.setQuery(query)
    data = client.queryAndConvert()
    parsed = pyoxigraph.parse_query_results(json.dumps(data).encode(), format=pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    variables = list(parsed.variables)
    return [tuple(str(s[v]) for v in variables) for s in parsed]


def remote_count(server: Server) -> int:
    return int(remote_rows(wrapper(server), COUNT_ALL)[0][0].split('"')[1])


@pytest.mark.parametrize("name", ["who-sued-whom", "statements"])
def test_a_pushed_graph_answers_sparqlwrapper_with_the_rows_of_the_local_store(pushed: Server, store: pyoxigraph.Store, name: str) -> None:
    query = bundled_queries()[name].text
    local = [tuple(str(t) for t in row) for row in run_query(store, query).rows]
    assert local
    assert remote_rows(wrapper(pushed, store), query) == local


def test_every_graph_arrives_as_the_same_named_graph(pushed: Server, store: pyoxigraph.Store) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    remote = {row[0].strip("<>"): int(row[1].split('"')[1]) for row in remote_rows(wrapper(pushed), query)}
    local: dict[str, int] = {}
    for quad in store:
        local[quad.graph_name.value] = local.get(quad.graph_name.value, 0) + 1  # type: ignore[union-attr]
    assert remote == local
    assert any(g.endswith("/claims") for g in remote)


def test_pushing_again_replaces_and_never_duplicates(built: Built, pushed: Server, store: pyoxigraph.Store) -> None:
    assert remote_count(pushed) == len(store)
    refused = kg("push", "--endpoint", f"{pushed.url}/store", "--build", built.out.root)
    assert refused.returncode == 2
    assert "already exist" in refused.stderr
    assert "--replace" in refused.stderr
    assert remote_count(pushed) == len(store)
    again = kg("push", "--endpoint", f"{pushed.url}/store", "--build", built.out.root, "--replace", "--batch-size", "100")
    assert again.returncode == 0, again.stderr
    assert remote_count(pushed) == len(store)


@pytest.mark.parametrize("name", ["who-sued-whom", "statements"])
@pytest.mark.parametrize("fmt", ["csv", "json", "tsv"])
def test_kg_query_on_an_endpoint_prints_what_it_prints_locally(built: Built, pushed: Server, name: str, fmt: str) -> None:
    remote = kg("query", name, "--endpoint", f"{pushed.url}/query", "-f", fmt)
    local = kg("query", name, "--build", built.out.root, "-f", fmt)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
    assert "Elon Musk" in remote.stdout


def test_kg_query_on_an_endpoint_keeps_claims_out_of_the_default_graph(pushed: Server) -> None:
    default = kg("query", "ASK { ?a qg:deFactoSubsidiaryOf ?b }", "--endpoint", f"{pushed.url}/query")
    named = kg("query", "ASK { GRAPH ?g { ?a qg:deFactoSubsidiaryOf ?b } }", "--endpoint", f"{pushed.url}/query")
    assert (default.stdout.strip(), named.stdout.strip()) == ("no", "yes")


def test_kg_query_on_an_endpoint_binds_parameters_and_caps_rows(built: Built, pushed: Server) -> None:
    query = "SELECT ?e WHERE { ?e <https://schema.org/identifier> ?id }"
    bound = kg("query", query, "--param", "id=musk", "-f", "csv", "--endpoint", f"{pushed.url}/query")
    assert bound.stdout.splitlines() == ["e", "https://w3id.org/quotegraph/id/entity/musk"]
    capped = kg("query", "SELECT ?s WHERE { ?s ?p ?o }", "--max-rows", "7", "-f", "json", "--endpoint", f"{pushed.url}/query")
    assert len(json.loads(capped.stdout)["results"]["bindings"]) == 7
    assert "stopped after 7 rows" in capped.stderr


def test_kg_query_refuses_service_before_it_reaches_the_endpoint(pushed: Server) -> None:
    result = kg("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "--endpoint", f"{pushed.url}/query")
    assert result.returncode == 2
    assert "SERVICE is refused" in result.stderr


def test_a_refused_query_sends_nothing_to_the_endpoint_not_even_the_discovery(graph_store: Callable[..., Recording]) -> None:
    store_at = graph_store(lambda method, graph: (500, "nothing should have been sent"))
    for query in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "INSERT DATA { <a:a> <a:b> <a:c> }",
        "SELECT WHERE {",
    ):
        result = kg("query", query, "--endpoint", store_at.url)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: "), result.stderr
    assert store_at.requests == []


def test_kg_query_on_an_endpoint_refuses_from_naming_a_graph_quotegraph_does_not_hold(pushed: Server) -> None:
    # an endpoint may fetch a FROM IRI it does not hold from the web: refused before it is sent, as locally
    for clause in ("FROM <http://127.0.0.1:9/evil>", "FROM NAMED <http://127.0.0.1:9/evil>"):
        result = kg("query", f"SELECT * {clause} WHERE {{ ?s ?p ?o }} LIMIT 1", "--endpoint", f"{pushed.url}/query")
        assert result.returncode == 2, (clause, result.stdout, result.stderr)
        assert "FROM <http://127.0.0.1:9/evil> is refused" in result.stderr
    entities = f"{DEFAULT_BASE_IRI}graph/entities"
    held = kg("query", f"SELECT (COUNT(*) AS ?n) FROM <{entities}> WHERE {{ ?s ?p ?o }}", "-f", "csv", "--endpoint", f"{pushed.url}/query")  # noqa: S608 - SPARQL, not SQL
    assert held.returncode == 0, held.stderr
    assert int(held.stdout.splitlines()[1]) > 0


def test_push_only_the_graphs_asked_for(built: Built, tmp_path: Path, store: pyoxigraph.Store) -> None:
    server = start_oxigraph(tmp_path / "store")
    try:
        entities = f"{DEFAULT_BASE_IRI}graph/entities"
        result = kg("push", "--endpoint", f"{server.url}/store", "--graph", entities, "--build", built.out.root)
        assert result.returncode == 0, result.stderr
        assert remote_count(server) == sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(entities)))
        unknown = kg("push", "--endpoint", f"{server.url}/store", "--graph", "http://example.org/nope", "--build", built.out.root)
        assert unknown.returncode == 2
        assert "is not a graph of this store" in unknown.stderr
    finally:
        server.stop()


# --- a recording graph store: what push sends, and what it does when the store says no ---


@dataclass
class Recording:
    url: str
    requests: list[tuple[str, str, dict[str, str], int]] = field(default_factory=list)


@pytest.fixture
def graph_store() -> Iterator[Callable[[Callable[[str, str], tuple[int, str]]], Recording]]:
    """Start a tiny graph store that records requests and answers as ``respond(method, graph)`` says."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(respond: Callable[[str, str], tuple[int, str]]) -> Recording:
        recording = Recording("")

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]
                recording.requests.append((self.command, graph, dict(self.headers), length))
                status, body = respond(self.command, graph)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_HEAD = do_PUT = do_POST = do_GET = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        recording.url = f"http://127.0.0.1:{server.server_address[1]}/store"
        return recording

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_large_graphs_go_in_batches_first_put_then_post(
    built: Built, graph_store: Callable[..., Recording], store: pyoxigraph.Store
) -> None:
    store_at = graph_store(lambda method, graph: (404, "") if method == "HEAD" else (204, ""))
    result = kg("push", "--endpoint", store_at.url, "--batch-size", "500", "--build", built.out.root)
    assert result.returncode == 0, result.stderr
    sent = [(method, graph) for method, graph, _, _ in store_at.requests if method != "HEAD"]
    source_graph = next(g.value for g in store.named_graphs() if g.value.endswith("000_bb9b70fb7da9f08b"))
    size = sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(source_graph)))
    methods = [method for method, graph in sent if graph == source_graph]
    assert methods == ["PUT"] + ["POST"] * (-(-size // 500) - 1)
    ontology = [method for method, graph in sent if graph == "https://w3id.org/quotegraph/ontology"]
    assert ontology == ["PUT"], "a graph with blank nodes goes in one request"
    assert all(headers["Content-Type"].startswith("text/turtle") for method, _, headers, _ in store_at.requests if method != "HEAD")


def test_credentials_come_from_the_environment(built: Built, graph_store: Callable[..., Recording]) -> None:
    store_at = graph_store(lambda method, graph: (404, "") if method == "HEAD" else (201, ""))
    env = {"QUOTEGRAPH_ENDPOINT_USER": "analyst", "QUOTEGRAPH_ENDPOINT_PASSWORD": "s3cret"}
    result = kg("push", "--endpoint", store_at.url, "--build", built.out.root, env=env)
    assert result.returncode == 0, result.stderr
    assert {headers.get("Authorization") for _, _, headers, _ in store_at.requests} == {"Basic YW5hbHlzdDpzM2NyZXQ="}
    token = graph_store(lambda method, graph: (404, "") if method == "HEAD" else (201, ""))
    result = kg("push", "--endpoint", token.url, "--build", built.out.root, env={"QUOTEGRAPH_ENDPOINT_TOKEN": "t0ken"})
    assert {headers.get("Authorization") for _, _, headers, _ in token.requests} == {"Bearer t0ken"}
    in_url = kg("push", "--endpoint", store_at.url.replace("http://", "http://analyst:s3cret@"), "--build", built.out.root)
    assert in_url.returncode == 2
    assert "not in the URL" in in_url.stderr


def test_an_http_failure_names_status_url_and_body_and_exits_2(built: Built, graph_store: Callable[..., Recording]) -> None:
    store_at = graph_store(lambda method, graph: (401, "Unauthorized: bad credentials\nmore detail"))
    result = kg("push", "--endpoint", store_at.url, "--replace", "--build", built.out.root)
    assert result.returncode == 2
    assert "401 Unauthorized: Unauthorized: bad credentials" in result.stderr
    assert f"PUT {store_at.url}?graph=" in result.stderr
    assert "more detail" not in result.stderr


def test_a_push_that_fails_half_way_says_which_graphs_arrived(
    built: Built, graph_store: Callable[..., Recording], store: pyoxigraph.Store
) -> None:
    calls: list[str] = []

    def respond(method: str, graph: str) -> tuple[int, str]:
        calls.append(graph)
        return (500, "disk full") if graph.endswith("/entities") else (204, "")

    store_at = graph_store(respond)
    result = kg("push", "--endpoint", store_at.url, "--replace", "-f", "json", "--build", built.out.root)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False
    graphs = [g["graph"] for g in report["graphs"]]
    assert sorted(graphs) == sorted(g.value for g in store.named_graphs()), "the report names every graph of the build"
    failed = next(i for i, graph in enumerate(graphs) if graph.endswith("/entities"))
    assert 0 < failed < len(graphs) - 1, "some graphs go before the failing one and some after"
    statuses = [g["status"] for g in report["graphs"]]
    assert statuses == ["pushed"] * failed + ["failed"] + ["not sent"] * (len(graphs) - failed - 1)
    assert list(dict.fromkeys(calls)) == graphs[: failed + 1], "graphs go in the order reported, and nothing after the failure"
    assert "500 Internal Server Error: disk full" in result.stderr
    assert f"{failed} of {len(graphs)} graph(s) were pushed" in result.stderr


def test_a_batch_that_fails_after_others_marks_the_graph_incomplete(built: Built, graph_store: Callable[..., Recording]) -> None:
    store_at = graph_store(lambda method, graph: (503, "busy") if method == "POST" else (204, ""))
    result = kg("push", "--endpoint", store_at.url, "--replace", "--batch-size", "500", "-f", "json", "--build", built.out.root)
    assert result.returncode == 2
    first = json.loads(result.stdout)["graphs"][0]
    assert (first["status"], first["batches_sent"]) == ("incomplete", 1)
    assert "holds only part of it now" in result.stderr


def test_the_prefixes_of_a_remote_query_follow_the_endpoints_base_iri(built: Built, pushed: Server) -> None:
    assert prefixes_for(DEFAULT_BASE_IRI)["entity"] == f"{DEFAULT_BASE_IRI}entity/"
    query = "SELECT DISTINCT ?who WHERE { entity:musk qg:sued ?who } ORDER BY ?who"
    result = kg("query", query, "-f", "csv", "--endpoint", f"{pushed.url}/query")
    assert result.returncode == 0, result.stderr
    local = kg("query", query, "-f", "csv", "--build", built.out.root)
    assert result.stdout == local.stdout
    header, *sued = result.stdout.splitlines()
    assert header == "who"
    assert f"{DEFAULT_BASE_IRI}entity/openai" in sued


@pytest.mark.parametrize("command", ["push", "query"])
@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("tok-s3cr3t-value\r\n", "ends with a carriage return"),
        ("tok-s3cr3t\nvalue", "holds a line feed"),
        ("tok-s3cr3t-välue", "holds a character outside ASCII"),
        ("tok-s3cr3t\u00a0value", "holds a character outside ASCII"),
    ],
)
def test_a_token_no_header_can_carry_is_named_and_never_printed(
    built: Built, graph_store: Callable[..., Recording], command: str, value: str, said: str
) -> None:
    store_at = graph_store(lambda method, graph: (404, "") if method == "HEAD" else (201, ""))
    args = ["push", "--build", built.out.root] if command == "push" else ["query", "ASK {}"]
    result = kg(*args, "--endpoint", store_at.url, env={"QUOTEGRAPH_ENDPOINT_TOKEN": value})
    assert result.returncode == 2
    assert f"$QUOTEGRAPH_ENDPOINT_TOKEN {said}" in result.stderr
    assert "s3cr3t" not in result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store_at.requests == [], "nothing is sent with a credential that cannot be right"


@pytest.mark.parametrize("command", ["push", "query"])
def test_a_credential_echoed_back_by_the_server_is_not_printed(built: Built, graph_store: Callable[..., Recording], command: str) -> None:
    store_at = graph_store(lambda method, graph: (401, "bad token: Bearer tok-s3cr3t-value (Basic YW5hbHlzdDpzM2NyZXQ=)"))
    args = ["push", "--replace", "--build", built.out.root] if command == "push" else ["query", "ASK {}"]
    token = {"QUOTEGRAPH_ENDPOINT_TOKEN": "tok-s3cr3t-value"}
    basic = {"QUOTEGRAPH_ENDPOINT_USER": "analyst", "QUOTEGRAPH_ENDPOINT_PASSWORD": "s3cret"}
    for env, secret in ((token, "tok-s3cr3t-value"), (basic, "YW5hbHlzdDpzM2NyZXQ=")):
        result = kg(*args, "--endpoint", store_at.url, env=env)
        assert result.returncode == 2
        assert "401 Unauthorized" in result.stderr
        assert "***" in result.stderr
        assert secret not in result.stderr
