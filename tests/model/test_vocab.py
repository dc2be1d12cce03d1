"""The ontology is the single source of truth: Python and Turtle must not drift apart."""

from __future__ import annotations

import pytest
from helpers.run import REPO
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
    assert python_terms - turtle_terms == set(), "graph/model/vocab.py names terms the ontology does not define"
    assert turtle_terms - python_terms == set(), "the ontology defines terms graph/model/vocab.py does not name"


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
    assert chains["rejectedMerger"] == ("rejected", "mergerParty")


def test_every_entity_kind_has_a_class() -> None:
    from graph.model.records import KINDS

    assert set(default_ontology().kinds) == set(KINDS)


def test_the_shapes_are_valid_turtle_and_declare_owl_ontology() -> None:
    shapes = Graph().parse(paths.shapes_file(), format="turtle")
    assert (None, RDF.type, OWL.Ontology) in shapes


# --- the general vocabulary (issue 13) ---------------------------------------------------------

#: Wikidata properties whose meaning was checked against published property lists before linking.
VERIFIED_WIKIDATA = {"P108", "P112", "P127", "P169", "P355", "P463", "P488", "P749", "P1830", "P2652", "P3320"}
WDT = "http://www.wikidata.org/prop/direct/"


def test_the_vocabulary_covers_roles_money_deals_lawsuits_and_speech_acts() -> None:
    names = set(default_ontology().relations)
    assert {
        *("ceoOf", "boardMemberOf", "chairOf", "founderOf", "coFounderOf", "investorIn", "lawyerFor", "employeeOf", "memberOf"),
        *("left", "leftOffice", "owns", "ownedBy", "subsidiaryOf", "funded", "donatedTo", "partner", "partnerOf", "competesWith"),
        *("acquired", "offeredToBuy", "proposedMerger", "agreedMerger", "rejectedMerger", "mergedWith"),
        *("filed", "plaintiff", "defendant", "sued", "counterclaimTo"),
        *("accused", "criticised", "denies", "claims", "agreedWith", "disagreedWith", "respondedTo", "wroteTo", "met"),
        *("announced", "supports", "opposes"),
    } <= names


def test_article_specific_relations_are_sub_properties_of_general_ones() -> None:
    relations = default_ontology().relations
    assert relations["profitMachineFor"].parents == ("benefits",)
    assert relations["onlyPathToRival"].parents == ("competesWith",)
    assert relations["deFactoSubsidiaryOf"].parents == ("controlledBy",)


def test_every_relation_has_domain_range_and_says_which_end_is_the_subject() -> None:
    missing = []
    for name, rel in default_ontology().relations.items():
        says_subject = rel.abstract or ("Subject" in rel.comments.get("en", "") and "Subjekt" in rel.comments.get("de", ""))
        if rel.domain is None or (rel.range is None and not rel.is_attribute) or set(rel.labels) != {"en", "de"} or not says_subject:
            missing.append(name)
    assert missing == []


def test_signal_words_are_single_language_tagged_phrases(onto_graph: Graph) -> None:
    bad = []
    for prop, lang in ((QG.signalEn, "en"), (QG.signalDe, "de")):
        for subject, word in onto_graph.subject_objects(prop):
            text = str(word)
            if not isinstance(word, Literal) or word.language != lang or text != text.strip() or not 0 < len(text.split()) <= 5:
                bad.append((subject, word))
    assert bad == []
    assert (QG.signalEn, RDF.type, OWL.AnnotationProperty) in onto_graph
    assert (QG.signalDe, RDF.type, OWL.AnnotationProperty) in onto_graph


def test_signals_gives_the_words_of_each_relation_in_a_language() -> None:
    onto = default_ontology()
    german, english = onto.signals("de"), onto.signals("en")
    assert {"verklagte", "verklagt", "Klage gegen"} <= set(german["sued"])
    assert {"reichte eine Klage ein", "Klage"} <= set(german["filed"])
    assert {"CEO", "chief executive"} <= set(english["ceoOf"])
    assert "holdsStance" not in german, "a relation not used in data has no signals"
    assert set(german) | set(english) <= set(onto.relations)


def test_every_relation_and_attribute_in_use_has_signal_words_in_german_and_english() -> None:
    onto = default_ontology()
    german, english = onto.signals("de"), onto.signals("en")
    without = sorted(n for n, r in onto.relations.items() if not r.abstract and not (n in german and n in english))
    assert without == []
    assert {"described as", "known as"} <= set(english["describedAs"])
    assert "bezeichnet als" in german["describedAs"]
    assert "post at" in english["officeIn"]
    assert "Posten bei" in german["officeIn"]


def test_role_relations_name_a_w3c_org_role_and_memberships_are_derived_for_members() -> None:
    onto = default_ontology()
    roles = {name: rel.role for name, rel in onto.relations.items() if rel.role is not None}
    assert (roles["ceoOf"], roles["boardMemberOf"], roles["coFounderOf"]) == (QG.ChiefExecutive, QG.BoardMember, QG.CoFounder)
    graph = onto.graph
    assert all((role, RDF.type, URIRef("http://www.w3.org/ns/org#Role")) in graph for role in roles.values())
    assert onto.is_membership(onto.relations["ceoOf"]) == "subject"
    assert onto.is_membership(onto.relations["partner"]) == "object"
    assert onto.is_membership(onto.relations["founderOf"]) is None, "a founder is not thereby a member"


def test_wikidata_is_linked_only_through_verified_properties(onto_graph: Graph) -> None:
    used = {str(o)[len(WDT) :] for o in onto_graph.objects() if isinstance(o, URIRef) and str(o).startswith(WDT)}
    assert used == VERIFIED_WIKIDATA


def test_inverse_and_symmetric_relations_are_declared_both_ways() -> None:
    relations = default_ontology().relations
    assert (relations["owns"].inverse, relations["ownedBy"].inverse) == ("ownedBy", "owns")
    assert (relations["filed"].inverse, relations["plaintiff"].inverse) == ("plaintiff", "filed")
    assert all(relations[n].symmetric for n in ("competesWith", "inLegalDisputeWith", "met", "mergedWith", "partnerOf"))


def test_the_readme_vocabulary_table_is_the_one_generated_from_the_ontology() -> None:
    from graph.model.reference import BEGIN, END, readme_block

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme[readme.index(BEGIN) : readme.index(END) + len(END)]
    assert shown == readme_block(default_ontology()), "README's table is out of date: paste `kg vocabulary -f markdown` between the markers"


def test_kg_vocabulary_prints_the_readme_table_and_json_for_scripts() -> None:
    import json

    from helpers.inprocess import run_kg

    from graph.model.reference import markdown_table

    markdown = run_kg("vocabulary", "-f", "markdown")
    assert (markdown.exit_code, markdown.stdout) == (0, markdown_table(default_ontology()))
    rows = json.loads(run_kg("vocabulary", "-f", "json").stdout)
    sued = next(r for r in rows if r["relation"] == "sued")
    assert (sued["domain"], sued["range"], sued["label"]["de"]) == ("Agent", "Agent", "verklagte")
    assert "shortcut: filed then defendant" in sued["notes"]
    german = run_kg("vocabulary", "--lang", "de")
    assert german.exit_code == 0
    assert "verklagte" in german.stdout


def test_the_plain_iris_of_the_reading_commands_are_the_vocabularys_own() -> None:
    from graph.model import terms, vocab

    compared = 0
    for name, namespace in terms.NAMESPACES.items():
        typed = getattr(vocab, name)
        for term, iri in vars(namespace).items():
            if term.startswith("_"):
                continue
            assert iri == str(getattr(typed, term)), f"graph.model.terms.{name}.{term}"
            compared += 1
    assert compared >= 20
