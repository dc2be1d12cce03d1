"""Entities are found by id, label or alias, in German or English, ignoring case and accents."""

from __future__ import annotations

import json

import networkx as nx
import pyoxigraph
import pytest
from helpers.inprocess import crashed, run_kg

from graph.build.pipeline import Built
from graph.network.projection import project
from graph.query.lookup import AmbiguousEntity, EntityNotFound, Names, StatementNotFound, find_statement


@pytest.fixture(scope="module")
def names(store: pyoxigraph.Store) -> Names:
    return Names.from_store(store)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("musk", "musk"),  # id
        ("Elon Musk", "musk"),  # label
        ("ELON", "musk"),  # alias, any case
        ("  elon   musk ", "musk"),  # spaces do not matter
        ("Sutskever", "sutskever"),
        ("ilya sutskever", "sutskever"),
        ("Klage", "musk-v-openai"),  # German alias
        ("lawsuit", "musk-v-openai"),  # English alias
        ("Klage von Elon Musk gegen OpenAI", "musk-v-openai"),  # German label
        ("Elon Musk's lawsuit against OpenAI", "musk-v-openai"),  # English label
        ("E-Mails", "musk-openai-emails"),
        ("Fusión", "openai-tesla-merger"),  # accents are ignored
        ("TESLA INC.", "tesla"),
        ("Partnerschaft von OpenAI und Microsoft", "openai-microsoft-partnership"),
        ("Finanzierung von OpenAI", "openai-funding"),
        ("closed source", "openai-should-be-less-open"),
    ],
)
def test_an_entity_is_found_by_id_label_or_alias_in_either_language(names: Names, typed: str, expected: str) -> None:
    assert names.find(typed) == expected


def test_the_store_and_the_projection_know_the_same_names(store: pyoxigraph.Store, names: Names) -> None:
    projection = Names.from_nodes(project(store).nodes(data=True))
    assert names.by_name == projection.by_name
    assert names.iris == projection.iris
    assert names.iri("Elon") == "https://w3id.org/quotegraph/id/entity/musk"


def test_every_entity_is_found_by_each_of_its_names(built: Built, names: Names) -> None:
    for entity in built.checked.corpus.entities.values():
        for name in {entity.id, entity.label.de, entity.label.en, *entity.aliases.de, *entity.aliases.en}:
            assert names.find(name) == entity.id, name


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("Sutskevr", "sutskever (Ilya Sutskever)"), ("mircosoft", "microsoft (Microsoft)"), ("Gogle", "google (Google)")],
)
def test_an_unknown_name_gets_the_closest_names(names: Names, typed: str, suggested: str) -> None:
    with pytest.raises(EntityNotFound) as caught:
        names.find(typed)
    assert caught.value.suggestions[0] == suggested
    assert f"did you mean {suggested}" in str(caught.value)


def test_a_name_like_nothing_gets_no_suggestion(names: Names) -> None:
    with pytest.raises(EntityNotFound) as caught:
        names.find("qqqqqqqqqqqq")
    assert caught.value.suggestions == []
    assert str(caught.value) == "no entity matches 'qqqqqqqqqqqq'"


def test_a_name_shared_by_two_entities_asks_for_an_id() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a", label_en="Alpha", aliases=["AB"])
    graph.add_node("b", label_en="Beta", aliases=["ab"])
    names = Names.from_nodes(graph.nodes(data=True))
    with pytest.raises(AmbiguousEntity, match="'AB' matches several entities: a, b; use an id"):
        names.find("AB")
    assert names.find("a") == "a"


def test_a_statement_is_found_by_its_id_ignoring_case(store: pyoxigraph.Store) -> None:
    iri = "https://w3id.org/quotegraph/id/statement/musk-agreed-with-sutskever"
    assert find_statement(store, "musk-agreed-with-sutskever") == iri
    assert find_statement(store, "Musk-Agreed-With-Sutskever") == iri
    with pytest.raises(StatementNotFound, match="did you mean musk-agreed-with-sutskever"):
        find_statement(store, "musk-agreed-with-sutskevr")


def test_kg_lookup_shows_the_entity_in_the_language_asked(built: Built) -> None:
    result = run_kg("lookup", "klage", "--lang", "de", "-f", "json", "--build", built.out.root)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["entity"], record["label"], record["kind"], record["type"]) == (
        "musk-v-openai",
        "Klage von Elon Musk gegen OpenAI",
        "event",
        "Lawsuit",
    )
    assert record["aliases"] == ["Klage", "Rechtsstreit", "lawsuit", "suit"]
    table = run_kg("lookup", "Ilya", "--build", built.out.root)
    assert "Q21712134" in table.stdout
    assert "E-mailed Elon Musk about the dangers" in table.stdout


def test_kg_lookup_of_an_unknown_name_suggests_and_exits_2(built: Built) -> None:
    result = run_kg("lookup", "Sutskevr", "--build", built.out.root)
    assert result.exit_code == 2
    assert not crashed(result)
    assert result.stderr.startswith("error: no entity matches 'Sutskevr'; did you mean sutskever (Ilya Sutskever)")
