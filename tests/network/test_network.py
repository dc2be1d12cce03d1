"""The networkx projection keeps every statement as an edge with its quote; lookups find names."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.build.pipeline import Built
from graph.query.lookup import EntityNotFound, Names, fold


def test_every_entity_is_a_node_and_every_entity_statement_an_edge(built: Built, projection: nx.MultiDiGraph) -> None:
    corpus = built.checked.corpus
    assert set(projection.nodes) == set(corpus.entities)
    entity_statements = [s for s in [*corpus.statements.values(), *built.checked.derived.values()] if s.object is not None]
    assert projection.number_of_edges() == len(entity_statements) == 61
    assert {k for _, _, k in projection.edges(keys=True)} == {s.id for s in entity_statements}


def test_an_edge_carries_its_quote_assertor_and_source(projection: nx.MultiDiGraph) -> None:
    edge = projection.edges["musk", "sutskever", "musk-agreed-with-sutskever"]
    assert edge["relation"] == "agreedWith"
    assert edge["quote"] == "Darauf antwortete Elon mit „Ja.“"
    assert edge["asserted_by"] == "oscar"
    assert edge["source"] == "000_bb9b70fb7da9f08b"
    assert edge["translation"] == "To this Elon replied “Yes.”"


def test_a_derived_edge_names_the_statements_it_rests_on(projection: nx.MultiDiGraph) -> None:
    ((_, _, data),) = [(u, v, d) for u, v, d in projection.edges(data=True) if d["relation"] == "sued"]
    assert data["derived"] is True
    assert data["derived_from"] == ["lawsuit-against-openai", "musk-filed-lawsuit"]
    assert data["quote"] == "Elon Musk reichte eine Klage gegen OpenAI ein"


def test_literal_statements_become_node_attributes(projection: nx.MultiDiGraph) -> None:
    (attribute,) = projection.nodes["musk"]["attributes"]
    assert (attribute["relation"], attribute["value"], attribute["quote"]) == ("describedAs", "Milliardär", "der Milliardär Elon Musk")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("musk", "musk"),
        ("Elon", "musk"),
        ("ELON MUSK", "musk"),
        ("Sutskever", "sutskever"),
        ("ilya", "sutskever"),
        ("Klage", "musk-v-openai"),
    ],
)
def test_lookup_by_id_label_or_alias_ignores_case_and_accents(projection: nx.MultiDiGraph, query: str, expected: str) -> None:
    assert Names.from_nodes(projection.nodes(data=True)).find(query) == expected


def test_an_unknown_name_gets_suggestions(projection: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound, match=r"did you mean microsoft \(Microsoft\)"):
        Names.from_nodes(projection.nodes(data=True)).find("mircosoft")


def test_fold_removes_case_and_accents() -> None:
    assert fold("Größtes  Élan") == "grosstes elan"
