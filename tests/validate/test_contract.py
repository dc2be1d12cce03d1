"""What the RDF writer guarantees holds by construction; what data can break is checked on the store.

:mod:`graph.validate.contract` lets a build run only the constraints data can break. That is
safe only if every other constraint holds on whatever the loader accepts: pySHACL checks every
shape on graphs built from generated corpora (and on the bundled data, ``test_shacl.py``), and
the generated graphs must exercise every constraint, or their conforming would prove nothing.
The constraints data can break are then broken on purpose, in full and incremental builds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
import yaml
from bench.generate import generate
from helpers.run import REPO
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH

from graph import paths
from graph.build.pipeline import Built, Checked, _engine, build, check
from graph.errors import GraphInvalid, UsageError
from graph.model.ontology import default_ontology
from graph.model.vocab import QG
from graph.store.builds import OutDir
from graph.validate.compiled import compile_shapes
from graph.validate.contract import STORE_CHECKS, store_checks

N = 300


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """A generated corpus checked by pySHACL, every shape on the whole graph (raises if one fails)."""
    data = tmp_path_factory.mktemp("contract") / "data"
    generate(N, data, seed=11)
    return check(data, engine="pyshacl")


@pytest.fixture(scope="module")
def generated_store(generated: Checked) -> pyoxigraph.Store:
    """The generated graph and the bundled one (which pySHACL checks in tests/validate/test_shacl.py):
    the bundled data has what the generator does not write yet (qg:inferred, prov:wasQuotedFrom)."""
    store = pyoxigraph.Store()
    store.extend(generated.quads)
    store.extend(check(REPO / "data", engine="pyshacl").quads)
    return store


def test_every_shape_holds_on_a_graph_built_from_a_generated_corpus(generated: Checked) -> None:
    assert generated.engine == "pyshacl"
    assert generated.counts()["statements"] == N


def _focus(shapes: Graph, shape: object) -> str:
    """The focus nodes of a shape as a SPARQL pattern on ``?f`` (instances of subclasses included)."""
    parts = []
    for predicate, target in shapes.predicate_objects(shape):
        if predicate == SH.targetClass:
            parts.append(f"{{ ?f a/<{RDFS.subClassOf}>* <{target}> }}")
        elif predicate == SH.targetObjectsOf:
            parts.append(f"{{ ?x <{target}> ?f }}")
        elif predicate == SH.targetSubjectsOf:
            parts.append(f"{{ ?f <{target}> ?x }}")
        elif predicate == SH.targetNode:
            parts.append(f"{{ ?f a/<{RDFS.subClassOf}>* <{target}> }}")  # corpus-level shapes: the class's instances
    return " UNION ".join(parts)


def test_the_generated_graph_exercises_every_constraint(generated_store: pyoxigraph.Store) -> None:
    """Each shape has focus nodes, and each property shape's path has values on them."""
    shapes = Graph().parse(paths.shapes_file(), format="turtle")
    unexercised = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        focus = _focus(shapes, shape)
        if not focus:
            continue  # qualified value shapes, checked with the property that uses them
        if not generated_store.query(f"ASK {{ {focus} }}", use_default_graph_as_union=True):
            unexercised.append(str(shape))
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if not generated_store.query(f"ASK {{ {focus} ?f <{path}> ?v }}", use_default_graph_as_union=True):
                unexercised.append(f"{shape} {path}")
    assert unexercised == []


def test_every_relation_of_the_ontology_is_a_relation_or_an_attribute() -> None:
    """The loader accepts any relation the ontology defines; each must pass AllStatementsShape's predicate rule."""
    store = pyoxigraph.Store()
    store.load(path=paths.ontology_file(), format=pyoxigraph.RdfFormat.TURTLE)
    for relation in default_ontology().relations.values():
        if relation.abstract:
            continue
        ask = f"ASK {{ <{relation.iri}> <{RDFS.subPropertyOf}>+ ?top VALUES ?top {{ <{QG.relation}> <{QG.attribute}> }} }}"
        assert store.query(ask), relation.name


def test_the_store_checks_are_constraints_of_the_shapes(generated_store: pyoxigraph.Store) -> None:
    checks = store_checks(generated_store)
    assert {(c.shape, c.parameter, c.path) for c in checks} == set(STORE_CHECKS)
    assert len(checks) < len(compile_shapes(generated_store)) // 10


def test_auto_is_the_data_checks_even_for_the_small_bundled_data_and_an_engine_asked_for_is_kept(built: Built) -> None:
    assert built.counts["statements"] + built.counts["derived_statements"] < 1_000  # pySHACL's share until 2026-12-03
    assert built.out.manifest()["validation_engine"] == "data"
    assert _engine("auto") == "data"
    assert [_engine(name) for name in ("pyshacl", "sparql", "data")] == ["pyshacl", "sparql", "data"]
    with pytest.raises(UsageError, match="unknown SHACL engine 'shacl'"):
        _engine("shacl")


# --- the constraints data can break, broken on purpose ----------------------------------------


def _lonely_source(data: Path, author: str) -> None:
    """A source without statements whose author is ``author``: the loader accepts it."""
    (data / "sources" / "lonely.yaml").write_text(f"id: lonely\ntitle: Ein Brief\nauthor: {author}\nlanguage: de\n", encoding="utf-8")
    (data / "sources" / "lonely.txt").write_text("Ein Brief ohne Aussagen.\n", encoding="utf-8")


def _add_person(data: Path, ident: str) -> None:
    with open(data / "entities" / "person-001.yaml", "a", encoding="utf-8") as handle:
        handle.write(f'  - id: {ident}\n    kind: person\n    label: {{de: "Neue Autorin", en: "New author"}}\n')


@pytest.fixture
def small(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    generate(200, data, seed=5)
    return data


def test_the_author_of_a_source_without_statements_is_mentioned_in_it(small: Path) -> None:
    """A source's byline mentions its author (graph.rdf.quads writes it): the store check finds nothing."""
    _add_person(small, "new-author")
    _lonely_source(small, "new-author")
    assert check(small, engine="data").engine == "data"


def test_a_source_whose_author_is_no_agent_is_caught(small: Path) -> None:
    topic = re.search(r"id: (topic-[a-z0-9-]+)", (small / "entities" / "topic-001.yaml").read_text(encoding="utf-8"))
    assert topic is not None
    _lonely_source(small, topic.group(1))
    with pytest.raises(GraphInvalid) as info:
        check(small, engine="data")
    assert info.value.messages == [
        f"<https://w3id.org/quotegraph/id/source/lonely> schema:author: A source's author is an agent. (value: entity '{topic.group(1)}')"
    ]


def _sole_mention(store: pyoxigraph.Store) -> tuple[str, str]:
    """An entity mentioned by one source only, not that source's author: (entity id, source id)."""
    query = """PREFIX qg: <https://w3id.org/quotegraph/ontology#> PREFIX schema: <https://schema.org/>
    SELECT ?e ?src WHERE { ?e qg:mentionedIn ?src . FILTER NOT EXISTS { ?e qg:mentionedIn ?other FILTER(?other != ?src) }
      FILTER NOT EXISTS { ?src schema:author ?e } FILTER NOT EXISTS { ?e a qg:Stance } } ORDER BY ?e LIMIT 1"""
    (row,) = store.query(query, use_default_graph_as_union=True)  # type: ignore[misc]
    return row["e"].value.rsplit("/", 1)[1], row["src"].value.rsplit("/", 1)[1]


def test_an_incremental_build_that_removes_an_entity_s_last_mention_is_caught(small: Path, tmp_path: Path) -> None:
    out = OutDir(tmp_path / "out")
    first = build(small, out, engine="data")
    entity, source = _sole_mention(out.open_store())
    for path in (small / "statements").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc["source"] != source:
            continue
        ends = ("subject", "object", "asserted_by", "expressed_in")
        kept = [s for s in doc["statements"] if entity not in (s.get(k) for k in ends)]
        dropped = {s.get("id") for s in doc["statements"]} - {s.get("id") for s in kept}
        doc["statements"] = [s for s in kept if not set(s.get("regarding", [])) & dropped]
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(GraphInvalid) as info:
        build(small, out, engine="data")
    assert info.value.messages == [
        f"entity '{entity}' qg:mentionedIn: An entity is mentioned in at least one source: nothing enters the graph without a source."
    ]
    assert out.current() == first.build_dir
