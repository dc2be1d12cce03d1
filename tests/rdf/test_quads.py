"""What the RDF writer adds beside each statement's direct triple: inverses, symmetric edges, W3C ORG memberships."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from graph.build.pipeline import check

PREFIXES = """PREFIX qg: <https://w3id.org/quotegraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX entity: <https://w3id.org/quotegraph/id/entity/>
PREFIX statement: <https://w3id.org/quotegraph/id/statement/>
"""

FIXTURE_STATEMENTS = """
  - id: fixture-musk-ceo-of-tesla
    subject: musk
    predicate: ceoOf
    object: tesla
    voice: narration
    quote: Elon Musk reichte eine Klage gegen OpenAI ein
    note: test fixture only; the article names no office
  - id: fixture-tesla-owned-by-musk
    subject: tesla
    predicate: ownedBy
    object: musk
    voice: claim
    asserted_by: musk
    quote: Elon Musk reichte eine Klage gegen OpenAI ein
    note: test fixture only
"""


def _store(quads: list[pyoxigraph.Quad]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(quads)
    return store


def _rows(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    return sorted(tuple(term.value for term in row) for row in result)


def _with_fixture(data: Path) -> pyoxigraph.Store:
    path = data / "statements" / "000_bb9b70fb7da9f08b.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n" + FIXTURE_STATEMENTS, encoding="utf-8")
    checked = check(data)  # SHACL included: the added nodes must conform too
    return _store(checked.quads)


def test_one_ceo_statement_gives_a_w3c_org_membership_with_the_chief_executive_role(data_copy: Path) -> None:
    store = _with_fixture(data_copy)
    rows = _rows(
        store,
        """SELECT ?member ?org ?role ?from WHERE {
             ?m a org:Membership ; org:member ?member ; org:organization ?org ; org:role ?role ; prov:wasDerivedFrom ?from .
             ?member org:hasMembership ?m ; org:memberOf ?org . ?org org:hasMember ?member .
             FILTER(?role = qg:ChiefExecutive) }""",
    )
    base = "https://w3id.org/quotegraph/id/"
    assert rows == [
        (
            f"{base}entity/musk",
            f"{base}entity/tesla",
            "https://w3id.org/quotegraph/ontology#ChiefExecutive",
            f"{base}statement/fixture-musk-ceo-of-tesla",
        )
    ]


def test_an_inverse_relation_writes_both_direct_triples_in_the_statements_graph(data_copy: Path) -> None:
    store = _with_fixture(data_copy)
    graphs = _rows(store, "SELECT ?g WHERE { GRAPH ?g { entity:musk qg:owns entity:tesla . entity:tesla qg:ownedBy entity:musk } }")
    assert graphs == [("https://w3id.org/quotegraph/id/graph/000_bb9b70fb7da9f08b/claims",)], "a claim's inverse stays a claim"


def test_a_symmetric_relation_reads_the_same_from_both_ends(store: pyoxigraph.Store) -> None:
    both = "SELECT ?a ?b WHERE { ?a qg:inLegalDisputeWith ?b }"
    musk, openai = "https://w3id.org/quotegraph/id/entity/musk", "https://w3id.org/quotegraph/id/entity/openai"
    assert _rows(store, both) == [(musk, openai), (openai, musk)]


def test_a_partnership_is_a_w3c_org_collaboration_whose_partners_are_members(store: pyoxigraph.Store) -> None:
    rows = _rows(
        store,
        """SELECT ?member WHERE { entity:openai-microsoft-partnership a org:OrganizationalCollaboration ; org:hasMember ?member .
             ?m org:organization entity:openai-microsoft-partnership ; org:member ?member ; org:role qg:Partner }""",
    )
    assert rows == [("https://w3id.org/quotegraph/id/entity/microsoft",), ("https://w3id.org/quotegraph/id/entity/openai",)]


def test_e_mails_and_posts_are_documents_not_events(store: pyoxigraph.Store) -> None:
    rows = _rows(store, "SELECT ?doc WHERE { ?doc a qg:Document , prov:Entity . FILTER NOT EXISTS { ?doc a qg:Event } }")
    ids = {iri.rsplit("/", 1)[1] for (iri,) in rows}
    assert {"sutskever-email", "musk-openai-emails", "openai-blog-post"} <= ids
