"""The union of all graphs stands in for the default graph only where it gives the same answer.

The claims graphs of the bundled data hold types too (the ``org:Membership`` of a role someone
claims), so a query that names a type is sent to the union only when its classes are not among
the claims graphs' ones; each case is compared with the answer over the explicit list of graphs.
"""

from __future__ import annotations

import pyoxigraph
import pytest

from graph.model.vocab import PREFIXES
from graph.query.dataset import Dataset
from graph.query.run import run_query
from graph.query.shape import shape

CASES = {
    "SELECT ?st WHERE { ?st a qg:Statement ; rdf:predicate qg:sued }": True,
    "SELECT ?m WHERE { ?m a org:Membership }": False,  # claimed roles' memberships are in the claims graphs
    "SELECT ?x ?t WHERE { ?x a ?t }": False,
    "SELECT ?x WHERE { ?x rdf:type/rdfs:subClassOf qg:Statement }": False,
    "SELECT ?a ?b WHERE { ?a qg:deFactoSubsidiaryOf ?b }": False,  # a claim: only its statement node is default
    "SELECT ?s WHERE { ?s a qg:Statement ; rdf:predicate ?p . ?p a owl:ObjectProperty }": True,
    # a variable class held to a list by a filter counts as those classes
    "SELECT ?st ?v WHERE { ?st a qg:Statement , ?v . FILTER(?v IN (qg:Claim, qg:Narration) && BOUND(?st)) }": True,
    "SELECT ?m ?v WHERE { ?m a ?v . FILTER(?v IN (org:Membership, qg:Claim)) }": False,
    "SELECT ?m ?v WHERE { ?m a ?v . FILTER(?v = qg:Claim || ?v = org:Membership) }": False,
    "SELECT ?m ?v WHERE { ?m a ?v . FILTER(?v NOT IN (qg:Claim)) }": False,
}


@pytest.fixture(scope="module")
def dataset(store: pyoxigraph.Store) -> Dataset:
    found = Dataset.of(store)
    assert found.claims_predicates, "the bundled data has claims graphs"
    return found


@pytest.mark.parametrize(("query", "union"), CASES.items(), ids=list(CASES))
def test_a_query_runs_on_the_union_only_when_the_claims_graphs_cannot_change_its_answer(
    store: pyoxigraph.Store, dataset: Dataset, query: str, union: bool
) -> None:
    assert dataset.union_answers(shape(query, PREFIXES).predicates) is union
    expected = store.query(query, prefixes=dict(PREFIXES), default_graph=dataset.nodes())
    assert isinstance(expected, pyoxigraph.QuerySolutions)
    rows = sorted(tuple(str(term) for term in row) for row in expected)
    got = run_query(store, query, dataset=dataset, max_rows=10_000_000)
    assert sorted(tuple(str(term) for term in row) for row in got.rows) == rows


def test_membership_types_are_in_the_claims_graphs_of_the_bundled_data(store: pyoxigraph.Store) -> None:
    claimed = store.query("ASK { GRAPH ?m { ?c a qg:ClaimsGraph } GRAPH ?c { ?x a org:Membership } }", prefixes=dict(PREFIXES))
    assert bool(claimed), "otherwise the cases above would not tell a typed key from a bare rdf:type"
