"""The ontology is the single source of truth: Python and Turtle must not drift apart."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph import paths
from graph.model.ontology import default_ontology
from graph.model.vocab import QG, QG_NS


@pytest.fixture(scope="module")
def onto_graph() -> Graph:
    return Graph().parse(paths.ontology_file(), format="turtle")


def _defined_terms(graph: Graph) -> set[str]:
    return {str(s)[len(QG_NS) :] for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(QG_NS)}


def test_python_names_exactly_the_terms_the_turtle_defines(onto_graph: Graph) -> None:
    python_terms = set(QG.__annotations__)
    turtle_terms = _defined_terms(onto_graph)
    assert python_terms - turtle_terms == set(), "graph/vocab.py names terms the ontology does not define"
    assert turtle_terms - python_terms == set(), "the ontology defines terms graph/vocab.py does not name"


def test_unknown_terms_fail_instead_of_minting_new_iris() -> None:
    with pytest.raises(AttributeError):
        _ = QG.sueed


def test_every_qg_term_in_use_is_defined(onto_graph: Graph) -> None:
    used = {str(t) for triple in onto_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(QG_NS)}
    defined = {QG_NS + t for t in _defined_terms(onto_graph)}
    assert used - defined == set()


def test_every_class_and_property_has_labels_in_english_and_german_and_a_comment(onto_graph: Graph) -> None:
    missing = []
    for term in _defined_terms(onto_graph):
        node = URIRef(QG_NS + term)
        langs = {lit.language for lit in onto_graph.objects(node, RDFS.label) if isinstance(lit, Literal)}
        comments = list(onto_graph.objects(node, RDFS.comment))
        if not {"en", "de"} <= langs or not comments:
            missing.append(term)
    assert missing == []


def test_relations_are_labelled_sued_proposed_merger_and_agreed_with() -> None:
    labels = {r.label("en") for r in default_ontology().relations.values()}
    assert {"sued", "proposed merger", "agreed with"} <= labels


def test_relations_reuse_standards_where_they_fit(onto_graph: Graph) -> None:
    assert (QG.Person, RDFS.subClassOf, URIRef("https://schema.org/Person")) in onto_graph
    assert (QG.Organization, RDFS.subClassOf, URIRef("https://schema.org/Organization")) in onto_graph
    assert (QG.Office, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Post")) in onto_graph
    assert (QG.holdsOffice, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#holds")) in onto_graph
    assert (QG.Statement, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in onto_graph


def test_shortcut_relations_are_declared_as_owl_property_chains() -> None:
    chains = {r.name: r.chain for r in default_ontology().chains}
    assert chains["sued"] == ("filed", "defendant")
    assert chains["proposedMerger"] == ("proposed", "mergerParty")


def test_every_entity_kind_has_a_class() -> None:
    from graph.model.records import KINDS

    assert set(default_ontology().kinds) == set(KINDS)


def test_the_shapes_are_valid_turtle_and_declare_owl_ontology() -> None:
    shapes = Graph().parse(paths.shapes_file(), format="turtle")
    assert (None, RDF.type, OWL.Ontology) in shapes
