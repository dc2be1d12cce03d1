"""GraphML, GEXF and CSV exports of the projection re-read with every node, edge and attribute.

networkx reads all three back; igraph (C, libxml2), a reader that shares no code with the
writer, reads the GraphML too, as Cytoscape and Gephi would.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph
import networkx as nx
import pytest
from helpers.inprocess import crashed, run_kg
from helpers.run import kg

from graph.build.pipeline import Built
from graph.network.formats import EDGE_FIELDS, NODE_FIELDS, write_graphml


@pytest.fixture(scope="module")
def exported(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("network")
    for fmt, target in (("graphml", "graph.graphml"), ("gexf", "graph.gexf"), ("csv", "csv")):
        result = kg("export", "-f", fmt, "-o", folder / target, "--lang", "de", "--build", built.out.root)
        assert result.returncode == 0, result.stderr
    return folder


def _edges(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, k) for u, v, k in graph.edges(keys=True)}


def _check_attributes(reread: nx.MultiDiGraph, projection: nx.MultiDiGraph) -> None:
    for u, v, key, data in projection.edges(keys=True, data=True):
        got = reread.edges[u, v, key]
        assert got["statement"] == key
        assert got["quote"] == data["quote"]
        assert got["translation"] == data["translation"]
        assert (got["relation"], got["voice"], got["asserted_by"], got["source_id"]) == (
            data["relation"],
            data["voice"],
            data["asserted_by"],
            data["source"],
        )
        assert got["derived"] is data["derived"]
        assert json.loads(got["quotes_json"]) == data["quotes"]
        assert got["quote_start"] == data["quotes"][0]["start"]
    for node, data in projection.nodes(data=True):
        got = reread.nodes[node]
        assert (got["label_de"], got["label_en"], got["kind"]) == (data["label_de"], data["label_en"], data["kind"])
        assert got["label"] == data["label_de"], "labels in the language asked for"
        assert got["aliases"] == "; ".join(data["aliases"])
        assert json.loads(got["attributes_json"]) == data.get("attributes", [])


def test_graphml_reread_by_networkx_has_every_node_edge_and_attribute(exported: Path, projection: nx.MultiDiGraph) -> None:
    reread = nx.read_graphml(exported / "graph.graphml", edge_key_type=str, force_multigraph=True)
    assert (reread.number_of_nodes(), reread.number_of_edges()) == (projection.number_of_nodes(), projection.number_of_edges()) == (28, 61)
    assert set(reread.nodes) == set(projection.nodes)
    assert _edges(reread) == _edges(projection)
    _check_attributes(reread, projection)
    agreed = reread.edges["musk", "sutskever", "musk-agreed-with-sutskever"]
    assert (agreed["label"], agreed["regarding"], agreed["hedged"]) == ("stimmte zu", "sutskever-less-open-quote", False)
    assert reread.nodes["openai-should-be-less-open"]["negates"] == "openai-should-be-open-source"


def test_graphml_reread_by_igraph(exported: Path, projection: nx.MultiDiGraph) -> None:
    graph = igraph.Graph.Read_GraphML(str(exported / "graph.graphml"))
    assert (graph.vcount(), graph.ecount()) == (28, 61)
    assert graph.is_directed()
    assert set(graph.vs["id"]) == set(projection.nodes)
    assert set(graph.es["statement"]) == {k for _, _, k in projection.edges(keys=True)}
    assert set(graph.vertex_attributes()) >= set(NODE_FIELDS)
    assert set(graph.edge_attributes()) >= set(EDGE_FIELDS)
    edge = graph.es.find(statement="musk-agreed-with-sutskever")
    assert graph.vs[edge.source]["id"] == "musk"
    assert edge["quote"] == "Darauf antwortete Elon mit „Ja.“"


def test_graphml_key_ids_are_unique(exported: Path) -> None:
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = ET.parse(exported / "graph.graphml").getroot().findall("g:key", ns)  # noqa: S314 - our own file
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids)) == len(NODE_FIELDS) + len(EDGE_FIELDS)


def test_gexf_reread_by_networkx_has_every_node_edge_and_attribute(exported: Path, projection: nx.MultiDiGraph) -> None:
    reread = nx.read_gexf(exported / "graph.gexf")
    assert isinstance(reread, nx.MultiDiGraph)
    assert (reread.number_of_nodes(), reread.number_of_edges()) == (28, 61)
    assert set(reread.nodes) == set(projection.nodes)
    assert {(u, v, d["id"]) for u, v, d in reread.edges(data=True)} == _edges(projection), "GEXF edge ids are statement ids"
    keyed = nx.MultiDiGraph()
    keyed.add_nodes_from(reread.nodes(data=True))
    for u, v, data in reread.edges(data=True):
        keyed.add_edge(u, v, key=data["id"], **data)
    _check_attributes(keyed, projection)


def test_csv_reread_has_every_node_and_edge(exported: Path, projection: nx.MultiDiGraph) -> None:
    folder = exported / "csv"
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"], "no temporary file left behind"
    with open(folder / "nodes.csv", encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with open(folder / "edges.csv", encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert (len(nodes), len(edges)) == (28, 61)
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:5] == ["Source", "Target", "Id", "Label", "Type"]
    assert {n["Id"] for n in nodes} == set(projection.nodes)
    assert {(e["Source"], e["Target"], e["Id"]) for e in edges} == _edges(projection)
    by_id = {e["Id"]: e for e in edges}
    for _, _, key, data in projection.edges(keys=True, data=True):
        assert by_id[key]["quote"] == data["quote"]
        assert json.loads(by_id[key]["quotes_json"]) == data["quotes"]
        assert by_id[key]["derived"] == ("true" if data["derived"] else "false")
    assert by_id["musk-agreed-with-sutskever"]["Label"] == "stimmte zu"


def test_csv_export_replaces_old_files_and_needs_a_folder(built: Built, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "nodes.csv").write_text("old", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_kg("export", "-f", "csv", "-o", folder, "--build", built.out.root)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv", "notes.txt"]
    assert (folder / "nodes.csv").read_text(encoding="utf-8").startswith("Id,Label,")
    for args, message in ((["-f", "csv"], "name a folder with -o DIR"), (["-f", "csv", "-o", folder / "notes.txt"], "needs a folder")):
        refused = run_kg("export", *args, "--build", built.out.root)
        assert refused.exit_code == 2
        assert not crashed(refused)
        assert message in refused.stderr


def test_graphml_to_stdout_and_rdf_exports_still_work(built: Built) -> None:
    graphml = run_kg("export", "-f", "graphml", "--build", built.out.root)
    assert graphml.exit_code == 0, graphml.stderr
    reread = nx.read_graphml(io.BytesIO(graphml.stdout_bytes), edge_key_type=str, force_multigraph=True)
    assert reread.number_of_edges() == 61
    turtle = run_kg("export", "-f", "turtle", "--build", built.out.root)
    assert turtle.exit_code == 0
    assert turtle.stdout_bytes == built.exports["turtle"].read_bytes()


def test_text_that_xml_cannot_hold_is_replaced_not_fatal(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a", label_en="bell\x07 and form feed\x0c", kind="person", aliases=[])
    path = tmp_path / "g.graphml"
    with open(path, "wb") as handle:
        write_graphml(graph, handle)
    assert nx.read_graphml(path).nodes["a"]["label"] == "bell\ufffd and form feed\ufffd"
