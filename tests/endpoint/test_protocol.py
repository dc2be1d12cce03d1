"""The endpoint's rules as plain functions: content negotiation, refusals, caps (no server needed)."""

from __future__ import annotations

import json

import pyoxigraph
import pytest

from graph.endpoint.protocol import Job, ProtocolError, StoreContext, answer, negotiate
from graph.rdf.quads import DEFAULT_BASE_IRI
from graph.store.export import prefixes_for


@pytest.fixture(scope="module")
def context(store: pyoxigraph.Store) -> StoreContext:
    return StoreContext.of(store, prefixes_for(DEFAULT_BASE_IRI))


@pytest.mark.parametrize(
    ("kind", "accept", "expected"),
    [
        ("select", None, "json"),
        ("select", "*/*", "json"),
        ("select", "application/json", "json"),
        ("select", "text/*", "csv"),
        ("select", "application/sparql-results+json;q=0, */*", "xml"),
        ("select", "text/csv;q=0.5, text/tab-separated-values", "tsv"),
        ("ask", "application/sparql-results+xml, application/sparql-results+json;q=0.9", "xml"),
        ("graph", None, "turtle"),
        ("graph", "application/json", "jsonld"),
        ("graph", "text/plain", "ntriples"),
        ("graph", "application/rdf+xml;q=0.9, text/turtle;q=0.1", "rdfxml"),
    ],
)
def test_the_best_format_follows_the_accept_header(kind: str, accept: str | None, expected: str) -> None:
    assert negotiate(kind, accept).name == expected


@pytest.mark.parametrize(("kind", "accept"), [("select", "text/turtle"), ("graph", "text/csv"), ("select", "application/json;q=0")])
def test_a_format_that_does_not_fit_is_not_acceptable(kind: str, accept: str) -> None:
    with pytest.raises(ProtocolError) as raised:
        negotiate(kind, accept)
    assert (raised.value.status, raised.value.code) == (406, "not-acceptable")


def test_the_format_parameter_wins_and_json_means_json_ld_for_graphs() -> None:
    assert negotiate("select", "text/csv", "xml").name == "xml"
    assert negotiate("graph", None, "json").name == "jsonld"
    with pytest.raises(ProtocolError):
        negotiate("select", None, "turtle")


def error(reply_body: bytes) -> dict[str, object]:
    body = json.loads(reply_body)
    assert list(body) == ["error"]
    result: dict[str, object] = body["error"]
    return result


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("DROP ALL", 403, "update-refused"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", 403, "update-refused"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403, "service-refused"),
        ("SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", 403, "dataset-refused"),
        ("SELECT * WHERE { ?s ?p ?o }" + " " * 200_000, 413, "query-too-long"),
        ("SELECT * WHERE { ?s ?p }", 400, "malformed-query"),
    ],
)
def test_refusals_and_errors_have_a_status_a_code_and_a_message(
    store: pyoxigraph.Store, context: StoreContext, query: str, status: int, code: str
) -> None:
    reply = answer(store, context, Job(query))
    assert (reply.status, reply.code) == (status, code)
    assert error(reply.body) == {"status": status, "code": code, "message": error(reply.body)["message"]}
    assert reply.media_type == "application/json"


def test_the_byte_cap_cuts_a_result_at_a_row_and_says_so(store: pyoxigraph.Store, context: StoreContext) -> None:
    reply = answer(store, context, Job("SELECT ?text WHERE { ?s qg:text ?text . ?a ?b ?c }", max_rows=10_000), max_bytes=200_000)
    assert reply.status == 200
    assert reply.truncated == "max-bytes"
    rows = json.loads(reply.body)["results"]["bindings"]
    assert rows
    assert len(rows) == reply.rows < 100


def test_a_protocol_dataset_without_named_graphs_hides_them(store: pyoxigraph.Store, context: StoreContext) -> None:
    entities = f"{DEFAULT_BASE_IRI}graph/entities"
    reply = answer(store, context, Job("ASK { GRAPH ?g { ?s ?p ?o } }", default_graph_uris=(entities,)))
    assert json.loads(reply.body)["boolean"] is False
    reply = answer(store, context, Job("ASK { GRAPH ?g { ?s ?p ?o } }", default_graph_uris=(entities,), named_graph_uris=(entities,)))
    assert json.loads(reply.body)["boolean"] is True
