"""Every export format, re-read by rdflib and by pyoxigraph, is the graph that was built.

The expected graph is taken from the quads the build loaded (converted term by term, not through
any serialiser), so a serialiser that drops, adds or alters a triple is caught.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from helpers.run import DATA, kg
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


# --- exports on demand: written once into the build folder, then served from there -----------------


@pytest.fixture(scope="module")
def lean_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built as ``kg build`` builds by default: no exports written."""
    out = tmp_path_factory.mktemp("lean") / "out"
    result = kg("build", "--data", DATA, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Exports: on demand" in result.stdout
    return out


def test_kg_build_writes_no_export_until_one_is_asked_for(lean_build: Path) -> None:
    assert not (lean_build / "current" / "export").exists()
    assert json.loads((lean_build / "current" / "build.json").read_text(encoding="utf-8"))["exports"] == {}


def test_kg_export_writes_the_build_s_copy_once_and_serves_it_afterwards(lean_build: Path, built: Built, tmp_path: Path) -> None:
    first = kg("export", "-f", "turtle", "-o", tmp_path / "a.ttl", "--build", lean_build)
    assert first.returncode == 0, first.stderr
    kept = lean_build / "current" / "export" / "quotegraph.ttl"
    assert kept.read_bytes() == (tmp_path / "a.ttl").read_bytes() == built.exports["turtle"].read_bytes()
    before = kept.stat()
    second = kg("export", "-f", "turtle", "-o", tmp_path / "b.ttl", "--build", lean_build)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "b.ttl").read_bytes() == kept.read_bytes()
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "served, not written again"
    assert sorted(p.name for p in kept.parent.iterdir()) == ["quotegraph.ttl"], "no temporary file left behind"


def test_an_export_to_stdout_is_kept_by_the_build_in_the_same_dump(lean_build: Path, built: Built) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph", "export", "-f", "nquads", "--build", str(lean_build)], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr
    kept = lean_build / "current" / "export" / "quotegraph.nq"
    assert result.stdout == kept.read_bytes() == built.exports["nquads"].read_bytes()


def test_a_build_folder_that_cannot_keep_an_export_is_exported_from_the_store(lean_build: Path, built: Built, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(lean_build / "current", copy)
    shutil.rmtree(copy / "export", ignore_errors=True)
    (copy / "export").write_text("not a folder", encoding="utf-8")  # the export folder cannot be made
    result = kg("export", "-f", "trig", "-o", tmp_path / "graph.trig", "--build", copy)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "graph.trig").read_bytes() == built.exports["trig"].read_bytes()
    assert (copy / "export").read_text(encoding="utf-8") == "not a folder"
