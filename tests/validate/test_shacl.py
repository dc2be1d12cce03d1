"""The SHACL shapes hold on the built graph, and catch a graph broken on purpose."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from graph.build.pipeline import Built
from graph.model.vocab import DCTERMS, OA, ORG, PROV, QG, RDF, SDO, XSD
from graph.rdf.quads import Iris
from graph.validate.compiled import compile_shapes
from graph.validate.shacl import to_rdflib, validate_graph, validate_with_sparql

Mutation = Callable[[list[Quad], Iris], list[Quad]]


def _sparql(quads: list[Quad], iris: Iris) -> list[str]:
    store = pyoxigraph.Store()
    store.extend(quads)
    return validate_with_sparql(store, iris)


def test_the_bundled_graph_conforms(built: Built) -> None:
    assert validate_graph(to_rdflib(built.checked.quads), built.checked.iris) == []


def test_the_bundled_graph_conforms_for_the_sparql_engine_too(built: Built) -> None:
    assert _sparql(built.checked.quads, built.checked.iris) == []


def test_every_shape_compiles_to_sparql(store: pyoxigraph.Store) -> None:
    checks = compile_shapes(store)
    # one query per constraint; a shape feature the compiler does not know raises instead of being skipped
    assert len(checks) > 60
    assert {c.shape for c in checks} >= {"StatementShape", "QuoteShape", "EntityShape", "AllStatementsShape", "AllQuotesShape"}


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
        "An entity has a label in the language of every source that mentions it. (value: entity 'tesla')",
    ),
    "a translation that is not marked as english": (
        lambda qs, i: _replace_object(qs, i.statement("musk-cut-ties-with-openai"), QG.translation, Literal("Since then ...")),
        "A translation is one English language-tagged string.",
    ),
    "a statement whose subject is a literal": (
        lambda qs, i: _replace_object(qs, i.statement("musk-cut-ties-with-openai"), RDF.subject, Literal("Musk")),
        "statement 'musk-cut-ties-with-openai' rdf:subject: A statement has exactly one subject, an entity. (value: 'Musk')",
    ),
    "a statement with two objects": (
        lambda qs, i: [*qs, Quad(i.statement("musk-cut-ties-with-openai"), NamedNode(RDF.object), i.entity("tesla"), i.source_graph("x"))],
        "statement 'musk-cut-ties-with-openai' rdf:object: A statement has exactly one object.",
    ),
    "a statement with two voices": (
        lambda qs, i: [*qs, Quad(i.statement("musk-cut-ties-with-openai"), NamedNode(RDF.type), NamedNode(QG.Claim), i.source_graph("x"))],
        "A statement has exactly one voice",
    ),
    "a source without a title": (
        lambda qs, i: _drop(qs, i.source("000_bb9b70fb7da9f08b"), DCTERMS.title),
        "A source has exactly one title.",
    ),
    "two english descriptions": (
        lambda qs, i: [*qs, Quad(i.entity("tesla"), NamedNode(SDO.description), Literal("A car maker.", language="en"), i.entities_graph)],
        "Descriptions are language-tagged strings, at most one per language.",
    ),
    "a membership without its role": (
        lambda qs, i: _drop(qs, i.part("partnership-partner-openai", "membership"), ORG.role),
        "A membership names exactly one role",
    ),
    "a signal word without its language": (
        lambda qs, i: [
            *qs,
            Quad(NamedNode(QG.sued), NamedNode(QG.signalDe), Literal("verklagt"), NamedNode("https://w3id.org/quotegraph/ontology")),
        ],
        "A German signal word is a non-empty @de literal.",
    ),
    "an entity never mentioned in a source": (
        lambda qs, i: [q for q in qs if not (q.subject == i.entity("google") and q.predicate.value == str(QG.mentionedIn))],
        "entity 'google' qg:mentionedIn: An entity is mentioned in at least one source",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_deliberately_broken_graph_does_not_conform_and_both_engines_report_the_same_violations(
    first_source_built: Built, case: str
) -> None:
    """On the first source alone (28 entities): pySHACL on the bundled graph took 3.5 s a case."""
    mutate, expected = BROKEN[case]
    checked = first_source_built.checked
    broken = mutate(list(checked.quads), checked.iris)
    reference = validate_graph(to_rdflib(broken), checked.iris)
    assert any(expected in m for m in reference), f"{case}: the shapes did not notice: {reference}"
    assert _sparql(broken, checked.iris) == reference
