"""`kg serve` over HTTP: the SPARQL 1.1 Protocol, its refusals and limits, on a real server process."""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from helpers.disguises import disguises, reaching_the_network
from helpers.endpoints import Server, children_of, listening_addresses, start_kg_serve
from helpers.run import kg

from graph.build.pipeline import Built
from graph.query.run import bundled_queries, run_query
from graph.rdf.quads import DEFAULT_BASE_IRI
from graph.store.builds import OutDir
from graph.store.export import prefixes_for

pytestmark = pytest.mark.slow
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ERROR_KEYS = {"status", "code", "message"}


@pytest.fixture(scope="module")
def served_out(built: Built, tmp_path_factory: pytest.TempPathFactory) -> OutDir:
    """A copy of the session's build, so that tests may add a view/ folder to it."""
    root = tmp_path_factory.mktemp("served") / "quotegraph-out"
    source = built.out.current()
    shutil.copytree(source, root / "builds" / source.name)
    os.symlink(Path("builds") / source.name, root / "current")
    return OutDir(root)


@pytest.fixture(scope="module")
def server(served_out: OutDir) -> Iterator[Server]:
    """The default server (loopback), with a generous time limit and a small memory limit per worker."""
    running = start_kg_serve(served_out.root, "--timeout", "60", "--memory-limit", "400")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def strict(served_out: OutDir) -> Iterator[Server]:
    """A server with a short time limit and a small row cap."""
    running = start_kg_serve(served_out.root, "--timeout", "2", "--max-rows", "50")
    yield running
    running.stop()


def sparql(server: Server, query: str, *, method: str = "GET", accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    url = f"{server.url}/sparql"
    if method == "GET":
        return httpx.get(url, params={"query": query, **params}, headers=headers, timeout=120)
    if method == "FORM":
        return httpx.post(url, data={"query": query, **params}, headers=headers, timeout=120)
    return httpx.post(
        url, content=query.encode(), params=params, headers={**headers, "Content-Type": "application/sparql-query"}, timeout=120
    )


def error_of(response: httpx.Response) -> dict[str, object]:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == response.status_code
    error: dict[str, object] = body["error"]
    return error


def local_rows(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    result = run_query(store, query, prefixes=prefixes_for(DEFAULT_BASE_IRI))
    return [tuple(str(term) for term in row) for row in result.rows]


def json_rows(data: dict[str, object]) -> list[tuple[str, ...]]:
    """SPARQL JSON results, parsed by Oxigraph into the same N-Triples forms as local terms."""
    parsed = pyoxigraph.parse_query_results(json.dumps(data).encode(), format=pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    variables = list(parsed.variables)
    return [tuple(str(solution[v]) for v in variables) for solution in parsed]


def test_the_server_listens_on_loopback_only_by_default(server: Server) -> None:
    assert listening_addresses(server.port) == {"127.0.0.1"}


@pytest.mark.parametrize("name", ["who-sued-whom", "statements"])
@pytest.mark.parametrize("method", ["GET", "FORM", "POST"])
def test_bundled_queries_answer_the_same_rows_as_the_local_store(server: Server, store: pyoxigraph.Store, name: str, method: str) -> None:
    query = bundled_queries()[name].text
    response = sparql(server, query, method=method)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    rows = json_rows(response.json())
    assert rows == local_rows(store, query)
    assert rows
    assert response.headers["quotegraph-rows"] == str(len(rows))


@pytest.mark.parametrize(
    ("accept", "media_type", "results_format"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml", pyoxigraph.QueryResultsFormat.XML),
        ("text/tab-separated-values", "text/tab-separated-values", pyoxigraph.QueryResultsFormat.TSV),
        ("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON),
    ],
)
def test_select_results_are_negotiated(
    server: Server, store: pyoxigraph.Store, accept: str, media_type: str, results_format: object
) -> None:
    query = bundled_queries()["who-sued-whom"].text
    response = sparql(server, query, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    parsed = pyoxigraph.parse_query_results(response.content, format=results_format)  # type: ignore[arg-type]
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    variables = list(parsed.variables)
    assert [tuple(str(s[v]) for v in variables) for s in parsed] == local_rows(store, query)


def test_csv_results_hold_the_plain_values(server: Server) -> None:
    response = sparql(server, "SELECT ?who WHERE { entity:musk qg:sued ?who }", accept="text/csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "who"
    assert "https://w3id.org/quotegraph/id/entity/openai" in lines[1:]  # plain IRIs, no <> and no quotes
    assert all(line.startswith("https://w3id.org/quotegraph/id/entity/") for line in lines[1:])


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
        ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
        ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
    ],
)
def test_construct_results_are_negotiated(server: Server, store: pyoxigraph.Store, accept: str, rdf_format: pyoxigraph.RdfFormat) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a qg:Person ; ?p ?o }"
    response = sparql(server, query, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    served = {str(t) for t in pyoxigraph.parse(response.content, format=rdf_format)}
    local = run_query(store, query, prefixes=prefixes_for(DEFAULT_BASE_IRI))
    assert served == {str(t) for t in local.triples}
    assert served


def test_a_result_form_the_client_cannot_take_is_406(server: Server) -> None:
    response = sparql(server, "CONSTRUCT WHERE { ?s a qg:Person }", accept="application/sparql-results+json")
    assert response.status_code == 406
    assert error_of(response)["code"] == "not-acceptable"


def test_claims_stay_out_of_the_default_graph_as_in_kg_query(server: Server) -> None:
    assert sparql(server, "ASK { ?a qg:deFactoSubsidiaryOf ?b }").json()["boolean"] is False
    assert sparql(server, "ASK { GRAPH ?g { ?a qg:deFactoSubsidiaryOf ?b } }").json()["boolean"] is True


def test_the_protocol_dataset_may_name_graphs_of_the_store(server: Server, store: pyoxigraph.Store) -> None:
    entities = f"{DEFAULT_BASE_IRI}graph/entities"
    response = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": entities})
    count = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert count == sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(entities)))


@pytest.mark.parametrize(
    ("request_kind", "code"),
    [
        ("form-update", "update-refused"),
        ("sparql-update-body", "update-refused"),
        ("update-as-query", "update-refused"),
        ("load", "update-refused"),
        ("service", "service-refused"),
        ("service-silent", "service-refused"),
        ("from-remote", "dataset-refused"),
        ("from-named-remote", "dataset-refused"),
        ("default-graph-uri-remote", "dataset-refused"),
    ],
)
def test_what_a_read_only_offline_endpoint_must_not_do_is_refused_with_403(
    server: Server, listener: tuple[str, list[object]], request_kind: str, code: str
) -> None:
    remote, connections = listener
    url = f"{server.url}/sparql"
    requests = {
        "form-update": lambda: httpx.post(url, data={"update": "DROP ALL"}),
        "sparql-update-body": lambda: httpx.post(url, content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}),
        "update-as-query": lambda: sparql(server, 'INSERT DATA { <http://x/a> <http://x/p> "x" }', method="FORM"),
        "load": lambda: sparql(server, f"LOAD <{remote}/data.ttl>", method="FORM"),
        "service": lambda: sparql(server, f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}"),
        "service-silent": lambda: sparql(
            server, f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{remote}/sparql> {{ ?s ?p ?x }} }} }}"
        ),
        "from-remote": lambda: sparql(server, f"SELECT * FROM <{remote}/data.ttl> WHERE {{ ?s ?p ?o }}"),  # noqa: S608 - SPARQL, not SQL
        "from-named-remote": lambda: sparql(
            server,
            f"SELECT * FROM NAMED <{remote}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",  # noqa: S608 - SPARQL, not SQL
        ),
        "default-graph-uri-remote": lambda: sparql(server, "SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": f"{remote}/data.ttl"}),
    }
    before = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").json()
    response = requests[request_kind]()
    assert response.status_code == 403, response.text
    error = error_of(response)
    assert error["code"] == code
    assert "refused" in str(error["message"])
    time.sleep(0.3)
    assert connections == [], "the server contacted the address named in the query"
    assert sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").json() == before


def test_every_query_worker_runs_under_the_network_filter(server: Server) -> None:
    workers = children_of(server.process.pid)
    assert len(workers) >= 2
    for pid in workers:
        status = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
        if "resource_tracker" in Path(f"/proc/{pid}/cmdline").read_text():
            continue  # multiprocessing's resource tracker runs no queries
        assert (status["Seccomp"].strip(), status["NoNewPrivs"].strip()) == ("2", "1"), pid


@pytest.mark.parametrize("method", ["GET", "POST", "FORM"])
def test_no_disguised_service_or_update_reaches_the_network_through_the_endpoint(
    server: Server, listener: tuple[str, list[object]], method: str
) -> None:
    remote, connections = listener
    cases = disguises(remote)
    statuses: dict[int, int] = {}

    def ask(text: str) -> None:
        status = sparql(server, text, method=method).status_code
        statuses[status] = statuses.get(status, 0) + 1

    assert len(cases) >= 40
    assert reaching_the_network(cases, connections, ask) == []
    assert connections == []
    assert set(statuses) <= {200, 400, 403}, statuses


def test_a_query_past_the_time_limit_is_stopped_with_504_and_the_server_goes_on(strict: Server) -> None:
    workers_before = children_of(strict.process.pid)
    started = time.monotonic()
    response = sparql(strict, CROSS_PRODUCT)
    elapsed = time.monotonic() - started
    assert response.status_code == 504
    error = error_of(response)
    assert error["code"] == "query-timeout"
    assert "time limit of 2 s" in str(error["message"])
    assert elapsed < 30
    again = sparql(strict, "ASK { entity:musk qg:sued entity:openai }")
    assert again.status_code == 200
    assert again.json()["boolean"] is True
    deadline = time.monotonic() + 30
    while len(children_of(strict.process.pid) - workers_before) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(children_of(strict.process.pid) - workers_before) == 1, "the stopped worker was replaced by a new process"


def test_a_query_that_needs_too_much_memory_is_stopped_and_the_server_goes_on(server: Server) -> None:
    blow_up = "SELECT (GROUP_CONCAT(?t) AS ?x) WHERE { ?s qg:text ?t . ?a ?b ?c . ?d ?e ?f }"
    response = sparql(server, blow_up)
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "query-aborted"
    assert "memory limit of 400 MiB" in str(error["message"])
    assert sparql(server, "ASK { entity:musk qg:sued entity:openai }").json()["boolean"] is True


def test_results_are_capped_and_the_cap_is_signalled(strict: Server) -> None:
    response = sparql(strict, "SELECT ?s WHERE { ?s ?p ?o }")
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["quotegraph-truncated"] == "max-rows"
    assert response.headers["quotegraph-rows"] == "50"
    small = sparql(strict, "SELECT ?who WHERE { entity:musk qg:sued ?who }")
    assert "quotegraph-truncated" not in small.headers


def test_a_hundred_concurrent_queries_are_all_answered_correctly(server: Server, store: pyoxigraph.Store) -> None:
    # (the bundled `statements` query takes ~0.8 s of engine time; it is checked above, not here)
    queries = [
        bundled_queries()["who-sued-whom"].text,
        "SELECT ?st ?exact WHERE { ?st qg:quote/oa:hasSelector/oa:exact ?exact } ORDER BY ?st ?exact",
        "ASK { entity:musk qg:sued entity:openai }",
    ]
    expected = [local_rows(store, queries[0]), local_rows(store, queries[1]), None]

    def one(index: int) -> bool:
        query = queries[index % 3]
        response = httpx.post(f"{server.url}/sparql", data={"query": query}, timeout=120)
        if response.status_code != 200:
            return False
        body = response.json()
        return body.get("boolean") is True if index % 3 == 2 else json_rows(body) == expected[index % 3]

    with concurrent.futures.ThreadPoolExecutor(max_workers=100) as pool:
        outcomes = list(pool.map(one, range(100)))
    assert outcomes == [True] * 100


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("GET", "/sparql", {}, 400, "missing-query"),
        ("GET", "/sparql?query=SELEC%20*", {}, 400, "malformed-query"),
        ("PUT", "/sparql", {}, 405, "method-not-allowed"),
        ("POST", "/sparql", {"content": b"query", "headers": {"Content-Type": "text/plain"}}, 415, "unsupported-media-type"),
        ("GET", "/nothing-here", {}, 404, "not-found"),
        ("GET", "/", {"headers": {"Host": "attacker.example"}}, 421, "host-refused"),
    ],
)
def test_bad_requests_get_the_one_json_error_shape(
    server: Server, method: str, path: str, kwargs: dict[str, object], status: int, code: str
) -> None:
    response = httpx.request(method, f"{server.url}{path}", timeout=30, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert error_of(response)["code"] == code


def test_the_query_page_is_served_and_loads_nothing_from_elsewhere(server: Server) -> None:
    page = httpx.get(f"{server.url}/", timeout=30)
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for asset in ("/", "/query.js", "/query.css"):
        text = httpx.get(f"{server.url}{asset}", timeout=30).text
        assert "http://" not in text, asset
        assert "https://" not in text, asset
    info = httpx.get(f"{server.url}/info.json", timeout=30).json()
    assert {q["name"] for q in info["queries"]} >= {"who-sued-whom", "statements"}


def test_the_graph_view_of_the_build_is_served_beside_the_endpoint(server: Server, served_out: OutDir) -> None:
    view_dir = served_out.current() / "view"
    built_view = httpx.get(f"{server.url}/graph", follow_redirects=True, timeout=30)
    assert built_view.status_code == 200, "kg build writes the interactive graph, and serve shows it"
    assert "vis-network" in built_view.text
    saved = view_dir.with_name("view.saved")
    view_dir.rename(saved)
    assert httpx.get(f"{server.url}/graph", timeout=30).status_code == 404
    view_dir.mkdir()
    try:
        (view_dir / "quotegraph.html").write_text("<!doctype html><title>graph</title><p>the graph</p>", encoding="utf-8")
        redirect = httpx.get(f"{server.url}/graph", timeout=30)
        assert redirect.status_code == 307
        assert redirect.headers["location"] == "/view/quotegraph.html"
        page = httpx.get(f"{server.url}/graph", follow_redirects=True, timeout=30)
        assert page.status_code == 200
        assert "the graph" in page.text
        assert httpx.get(f"{server.url}/info.json", timeout=30).json()["view"] == "/view/quotegraph.html"
        assert httpx.get(f"{server.url}/view/%2e%2e/store/CURRENT", timeout=30).status_code == 404  # no way out of view/
    finally:
        shutil.rmtree(view_dir)
        saved.rename(view_dir)


def test_a_non_loopback_host_must_be_asked_for_and_is_warned_about(served_out: OutDir) -> None:
    running = start_kg_serve(served_out.root, "--host", "0.0.0.0", "--workers", "1")  # noqa: S104 - the point of the test
    try:
        assert "warning: listening on 0.0.0.0, not on loopback" in "".join(running.stderr)
        assert listening_addresses(running.port) == {"0.0.0.0"}  # noqa: S104
    finally:
        running.stop()


def test_a_port_in_use_is_a_one_line_error(served_out: OutDir) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = kg("serve", "--port", str(port), "--build", served_out.root, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_serving_needs_a_build(tmp_path: Path) -> None:
    result = kg("serve", "--port", "0", "--build", tmp_path / "nothing", timeout=60)
    assert result.returncode == 2
    assert "no graph built" in result.stderr
