"""The SHACL shapes hold on the built graph, and catch a graph broken on purpose."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from graph.build import Built
from graph.rdf import Iris
from graph.shacl import to_rdflib, validate_graph
from graph.vocab import OA, PROV, QG, RDF, XSD

Mutation = Callable[[list[Quad], Iris], list[Quad]]


def test_the_bundled_graph_conforms(built: Built) -> None:
    assert validate_graph(to_rdflib(built.checked.quads), built.checked.iris) == []


def _replace_object(quads: list[Quad], subject: NamedNode, predicate: str, new: pyoxigraph.Term) -> list[Quad]:
    out, hits = [], 0
    for q in quads:
        if q.subject == subject and q.predicate.value == str(predicate):
            out.append(Quad(q.subject, q.predicate, new, q.graph_name))
            hits += 1
        else:
            out.append(q)
    assert hits == 1
    return out


def _drop(quads: list[Quad], subject: NamedNode, predicate: str) -> list[Quad]:
    kept = [q for q in quads if not (q.subject == subject and q.predicate.value == str(predicate))]
    assert len(kept) < len(quads)
    return kept


BROKEN: dict[str, tuple[Mutation, str]] = {
    "an offset that no longer selects the quote": (
        lambda qs, i: _replace_object(
            qs, i.part("musk-filed-lawsuit", "text-position"), OA.start, Literal("3", datatype=NamedNode(XSD.integer))
        ),
        "statement 'musk-filed-lawsuit' (quote): The quote's exact text is not the span",
    ),
    "an end before the start": (
        lambda qs, i: _replace_object(
            qs, i.part("musk-filed-lawsuit", "text-position"), OA.end, Literal("1", datatype=NamedNode(XSD.integer))
        ),
        "start offset, smaller than its end",
    ),
    "a statement without its quote": (
        lambda qs, i: _drop(qs, i.statement("musk-filed-lawsuit"), QG.quote),
        "statement 'musk-filed-lawsuit' qg:quote: A statement carries at least one quote.",
    ),
    "a statement without a source": (
        lambda qs, i: _drop(qs, i.statement("musk-cut-ties-with-openai"), PROV.wasDerivedFrom),
        "nothing enters the graph without a source",
    ),
    "a claim without who asserts it": (
        lambda qs, i: _drop(qs, i.statement("openai-de-facto-subsidiary-of-microsoft"), PROV.wasAttributedTo),
        "who asserts it",
    ),
    "a stance without its polarity": (
        lambda qs, i: _drop(qs, i.statement("musk-wants-models-open-source"), QG.polarity),
        "statement 'musk-wants-models-open-source': A stance statement must carry the polarity",
    ),
    "a statement whose direct triple is missing": (
        lambda qs, i: [q for q in qs if not (q.subject == i.entity("musk") and q.predicate.value == str(QG.cutTiesWith))],
        "statement 'musk-cut-ties-with-openai': The statement's direct triple",
    ),
    "a predicate outside the ontology": (
        lambda qs, i: _replace_object(qs, i.statement("musk-cut-ties-with-openai"), RDF.predicate, NamedNode("https://example.org/likes")),
        "is not a quotegraph relation",
    ),
    "an entity without a german label": (
        lambda qs, i: [
            q
            for q in qs
            if not (
                q.subject == i.entity("tesla")
                and isinstance(q.object, Literal)
                and q.object.language == "de"
                and "label" in q.predicate.value
            )
        ],
        "entity 'tesla' rdfs:label: An entity has exactly one German label.",
    ),
    "a translation that is not marked as english": (
        lambda qs, i: _replace_object(qs, i.statement("musk-cut-ties-with-openai"), QG.translation, Literal("Since then ...")),
        "A translation is one English language-tagged string.",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_deliberately_broken_graph_does_not_conform(built: Built, case: str) -> None:
    mutate, expected = BROKEN[case]
    broken = mutate(list(built.checked.quads), built.checked.iris)
    messages = validate_graph(to_rdflib(broken), built.checked.iris)
    assert messages, f"{case}: the shapes did not notice"
    assert any(expected in m for m in messages), messages
