"""Every export format, re-read by rdflib and by pyoxigraph, is the graph that was built.

The expected graph is taken from the quads the build loaded (converted term by term, not through
any serialiser), so a serialiser that drops, adds or alters a triple is caught.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.build.pipeline import Built
from graph.store.builds import claims_graphs
from graph.store.export import FORMATS

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib_term(term: pyoxigraph.Term) -> rdflib.term.Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return rdflib.BNode(term.value)
    assert isinstance(term, pyoxigraph.Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = None if term.datatype.value == XSD_STRING else rdflib.URIRef(term.datatype.value)
    return rdflib.Literal(term.value, datatype=datatype)


def expected_graphs(built: Built) -> dict[str, rdflib.Graph]:
    graphs: dict[str, rdflib.Graph] = defaultdict(rdflib.Graph)
    for quad in built.checked.quads:
        graph_name = quad.graph_name.value if isinstance(quad.graph_name, pyoxigraph.NamedNode) else ""
        graphs[graph_name].add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
    return graphs


def default_view(built: Built, store: pyoxigraph.Store) -> rdflib.Graph:
    claims = {g.value for g in claims_graphs(store)}
    view = rdflib.Graph()
    for name, graph in expected_graphs(built).items():
        if name not in claims:
            for triple in graph:
                view.add(triple)
    return view


@pytest.mark.parametrize("name", list(FORMATS))
def test_export_reparsed_by_rdflib_is_isomorphic_to_the_built_graph(built: Built, store: pyoxigraph.Store, name: str) -> None:
    fmt = FORMATS[name]
    path: Path = built.exports[name]
    assert path.name == f"quotegraph.{fmt.extension}"
    if fmt.has_graphs:
        dataset = rdflib.Dataset()
        dataset.parse(path, format=RDFLIB_FORMAT[name])
        expected = expected_graphs(built)
        parsed = {str(g.identifier): g for g in dataset.graphs() if len(g)}
        assert sorted(parsed) == sorted(expected)
        assert sum(len(g) for g in parsed.values()) == len(store) == sum(len(g) for g in expected.values())
        for graph_name, graph in expected.items():
            assert isomorphic(parsed[graph_name], graph), graph_name
    else:
        graph = rdflib.Graph().parse(path, format=RDFLIB_FORMAT[name])
        expected_view = default_view(built, store)
        assert len(graph) == len(expected_view)
        assert isomorphic(graph, expected_view)


@pytest.mark.parametrize("name", list(FORMATS))
def test_export_reparsed_by_pyoxigraph_has_the_same_triples_or_quads(built: Built, store: pyoxigraph.Store, name: str) -> None:
    fmt = FORMATS[name]
    parsed = list(pyoxigraph.parse(path=str(built.exports[name]), format=fmt.rdf_format))
    if fmt.has_graphs:
        assert len(set(parsed)) == len(store)
        # no blank nodes outside the ontology's lists, so everything else compares exactly
        named = {q for q in parsed if not isinstance(q.subject, pyoxigraph.BlankNode) and not isinstance(q.object, pyoxigraph.BlankNode)}
        stored = {q for q in store if not isinstance(q.subject, pyoxigraph.BlankNode) and not isinstance(q.object, pyoxigraph.BlankNode)}
        assert named == stored
    else:
        assert len(set(parsed)) == len(default_view(built, store))


def test_claims_stay_out_of_the_triple_formats_but_in_the_quad_formats(built: Built) -> None:
    subsidiary = "https://w3id.org/quotegraph/ontology#deFactoSubsidiaryOf"
    turtle = rdflib.Graph().parse(built.exports["turtle"], format="turtle")
    direct = list(turtle.triples((None, rdflib.URIRef(subsidiary), None)))
    assert direct == []
    statement_nodes = list(turtle.subjects(rdflib.RDF.predicate, rdflib.URIRef(subsidiary)))
    assert len(statement_nodes) == 1, "the claim is still there, as a statement node with its claimant"
    nquads = built.exports["nquads"].read_text(encoding="utf-8")
    assert (
        f"<{subsidiary}> <https://w3id.org/quotegraph/id/entity/microsoft> <https://w3id.org/quotegraph/id/graph/000_bb9b70fb7da9f08b/claims>"
        in nquads
    )


def test_turtle_export_uses_readable_prefixes(built: Built) -> None:
    head = built.exports["turtle"].read_text(encoding="utf-8")[:2000]
    assert "@prefix qg: <https://w3id.org/quotegraph/ontology#> ." in head
    assert "@prefix entity: <https://w3id.org/quotegraph/id/entity/> ." in head
