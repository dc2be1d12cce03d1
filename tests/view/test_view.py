"""The interactive page's data, markup and command, checked without a browser (see test_view_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pyoxigraph
import pytest
from helpers.run import kg
from helpers.synthetic import synthetic_projection

from graph.build.pipeline import Built
from graph.errors import UsageError
from graph.network.arrays import NetworkCache, open_cache
from graph.query.lookup import EntityNotFound
from graph.view import VIEW_DIRNAME, VIEW_FILENAME, build_page
from graph.view.data import PHYSICS_MAX_NODES, conflicting_positions, negations, view_model
from graph.view.layout import _repulsion, spread_layout
from graph.view.page import json_for_script, render_page
from graph.view.scope import Selection, choose

XSS = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>"]


@pytest.fixture(scope="module")
def model(store: pyoxigraph.Store, projection: nx.MultiDiGraph) -> dict[str, Any]:
    return view_model(projection, negates=negations(store))


class _Markup(HTMLParser):
    """Collects what a browser would fetch or run: tags, attributes, and the text of scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))
            self.raw.append((tag, dict(attrs), ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            tag, attrs, text = self.raw[-1]
            self.raw[-1] = (tag, attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def _parse(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    return parser


def test_kg_build_writes_the_page_into_the_build_folder(built: Built) -> None:
    assert built.view == built.build_dir / VIEW_DIRNAME / VIEW_FILENAME
    assert built.view.is_file()
    manifest = json.loads((built.build_dir / "build.json").read_text(encoding="utf-8"))
    assert manifest["view"] == "view/quotegraph.html"
    assert "Elon Musk reichte eine Klage gegen OpenAI ein" in built.view.read_text(encoding="utf-8")


def test_one_drawn_edge_per_subject_relation_and_object_carries_every_statement(projection: nx.MultiDiGraph, model: dict[str, Any]) -> None:
    expected: dict[tuple[str, str, str], set[str]] = {}
    for u, v, key, d in projection.edges(keys=True, data=True):
        expected.setdefault((u, d["relation"], v), set()).add(key)
    drawn = {(e["from"], e["relation"], e["to"]): {s["id"] for s in e["statements"]} for e in model["edges"]}
    assert drawn == expected
    assert sum(len(s) for s in drawn.values()) == projection.number_of_edges() == 61
    assert len(model["vis"]["edges"]) == len(model["edges"]) == len(expected) == 55
    assert {n["id"] for n in model["nodes"]} == set(projection.nodes) == {n["id"] for n in model["vis"]["nodes"]}


def test_an_edge_statement_keeps_quote_sentence_translation_assertor_and_source(model: dict[str, Any]) -> None:
    (sued,) = [e for e in model["edges"] if e["relation"] == "sued"]
    assert (sued["from"], sued["to"]) == ("musk", "openai")
    (statement,) = sued["statements"]
    (quote,) = statement["quotes"]
    assert quote["exact"] == "Elon Musk reichte eine Klage gegen OpenAI ein"
    assert quote["suffix"].startswith(", sowohl wegen der Partnerschaft")
    assert (quote["lang"], quote["start"], quote["end"]) == ("de", 446, 491)
    assert statement["translation"] == "Elon Musk filed a lawsuit against OpenAI"
    assert model["names"][statement["by"]] == {"de": "Oscar", "en": "Oscar"}
    assert model["sources"][statement["source"]] == {"title": "Elon Musk wollte irgendwann OpenAI und Tesla zusammenführen", "date": ""}
    assert model["relations"]["sued"] == {"de": "verklagte", "en": "sued"}


def test_musk_is_the_one_holder_recorded_for_and_against_the_same_stance(store: pyoxigraph.Store, projection: nx.MultiDiGraph) -> None:
    conflicts = conflicting_positions(projection, negations(store))
    # his own "Ja." supports "less open", which negates the "open source" he claims: a conflict on both stances
    assert set(conflicts) == {
        ("musk", "openai-should-be-for-profit"),
        ("musk", "openai-should-be-open-source"),
        ("musk", "openai-should-be-less-open"),
    }
    # Sutskever supports "less open", which negates "open source", and opposes "open source": consistent
    assert ("sutskever", "openai-should-be-open-source") not in conflicts
    open_source = {k for u, v, k, d in projection.edges(keys=True, data=True) if (u, v) == ("musk", "openai-should-be-open-source")}
    assert conflicts["musk", "openai-should-be-open-source"] == open_source | {"musk-ja-less-open"}


def test_supporting_a_stance_and_one_it_negates_is_a_conflict() -> None:
    graph = nx.MultiDiGraph()
    graph.add_edge("ann", "open", key="s1", polarity="for")
    graph.add_edge("ann", "closed", key="s2", polarity="for")
    graph.add_edge("bob", "closed", key="s3", polarity="for")
    graph.add_edge("bob", "open", key="s4", polarity="against")
    conflicts = conflicting_positions(graph, {"open": {"closed"}, "closed": {"open"}})
    assert conflicts == {("ann", "open"): {"s1", "s2"}, ("ann", "closed"): {"s1", "s2"}}


def test_conflicting_edges_are_drawn_with_a_glow_and_a_warning_sign(model: dict[str, Any]) -> None:
    flagged = {(e["from"], e["relation"], e["to"]) for e in model["edges"] if e["conflict"]}
    assert flagged == {
        ("musk", "supports", "openai-should-be-for-profit"),
        ("musk", "opposes", "openai-should-be-for-profit"),
        ("musk", "supports", "openai-should-be-open-source"),
        ("musk", "opposes", "openai-should-be-open-source"),
        ("musk", "supports", "openai-should-be-less-open"),
    }
    glowing = {e["id"] for e in model["vis"]["edges"] if e.get("shadow", {}).get("enabled")}
    assert glowing == {e["id"] for e in model["edges"] if e["conflict"]}
    support, oppose = (next(v for v in model["vis"]["edges"] if v["label"] == f"⚠ {r}") for r in ("supports", "opposes"))
    assert support["color"]["color"] != oppose["color"]["color"]
    assert "dashes" in oppose
    assert "dashes" not in support


@pytest.fixture(scope="module")
def cache(built: Built) -> NetworkCache:
    found = open_cache(built.out.current())
    assert found is not None, "kg build writes the network cache"
    return found


def shown(cache: NetworkCache, selection: Selection, **caps: int) -> tuple[set[str], set[int]]:
    scope = choose(cache, selection, **caps)
    return set(cache.ids(scope.nodes.tolist())), set(scope.statements.tolist())


def test_focus_and_depth_keep_the_neighbourhood_of_one_entity(cache: NetworkCache, projection: nx.MultiDiGraph) -> None:
    nodes, _ = shown(cache, Selection(focus="Ilya", depth=1))
    assert nodes == {"sutskever", *projection.successors("sutskever"), *projection.predecessors("sutskever")}
    deeper, _ = shown(cache, Selection(focus="sutskever", depth=2))
    assert nodes < deeper
    assert deeper == set(nx.ego_graph(projection, "sutskever", radius=2, undirected=True))


def test_an_unknown_focus_or_source_is_refused_with_suggestions(cache: NetworkCache) -> None:
    with pytest.raises(EntityNotFound, match="did you mean sutskever"):
        choose(cache, Selection(focus="sutskevr"))
    with pytest.raises(UsageError, match="did you mean 000_bb9b70fb7da9f08b"):
        choose(cache, Selection(source="000_bb9b70fb7da9f08"))


def test_a_source_selection_keeps_only_that_sources_statements(cache: NetworkCache, projection: nx.MultiDiGraph) -> None:
    scope = choose(cache, Selection(source="000_bb9b70fb7da9f08b"))
    assert len(scope.statements) == cache.m, "the bundled graph has one source"
    assert scope.note() is None


def test_top_keeps_the_entities_with_most_statements_and_counts_what_it_left_out(cache: NetworkCache, projection: nx.MultiDiGraph) -> None:
    nodes, statements = shown(cache, Selection(top=4))
    counts = {n: projection.degree(n) + len(projection.nodes[n].get("attributes", [])) for n in projection}
    fourth = sorted(counts.values(), reverse=True)[3]
    assert len(nodes) == 4
    assert all(counts[n] >= fourth for n in nodes)
    assert "musk" in nodes
    assert "openai" in nodes
    kept = {d["statement"] for u, v, d in projection.edges(data=True) if u in nodes and v in nodes}
    scope = choose(cache, Selection(top=4))
    note = scope.note()
    assert note is not None
    assert note["nodes"] == projection.number_of_nodes() - 4
    assert note["shown_statements"] == len(statements) >= len(kept)
    assert note["statements"] == cache.m - len(statements)


def test_the_caps_keep_the_nearest_entities_and_the_statements_between_the_best_ranked(
    cache: NetworkCache, projection: nx.MultiDiGraph
) -> None:
    nodes, _ = shown(cache, Selection(focus="sutskever", depth=3), max_nodes=5)
    assert "sutskever" in nodes
    assert len(nodes) == 5
    near = {"sutskever", *nx.all_neighbors(projection, "sutskever")}
    assert len(near) >= 5
    assert nodes <= near, "one step away before two"
    _, statements = shown(cache, Selection(), max_statements=10)
    assert len(statements) == 10


def test_a_negative_top_or_depth_is_refused(cache: NetworkCache) -> None:
    with pytest.raises(UsageError, match="--top"):
        choose(cache, Selection(top=0))
    with pytest.raises(UsageError, match="--depth"):
        choose(cache, Selection(focus="musk", depth=-1))


def test_a_page_cut_to_the_top_entities_says_what_it_left_out(store: pyoxigraph.Store) -> None:
    page = build_page(store, selection=Selection(top=3))
    assert page.nodes == 3
    assert page.left_out is not None
    assert page.left_out["nodes"] == 25
    assert '"left_out":{"nodes":25' in page.html
    whole = build_page(store)
    assert whole.left_out is None
    assert whole.nodes == 28


def test_kg_view_says_what_a_cut_page_left_out(built: Built, tmp_path: Path) -> None:
    result = kg("view", "--build", built.out.root, "-o", tmp_path / "top.html", "--top", "3")
    assert result.returncode == 0, result.stderr
    assert "left out 25 entities" in result.stderr
    assert "3 nodes" in result.stderr


def test_json_in_the_page_cannot_close_its_script_element() -> None:
    data = {"label": XSS[1], "alias": XSS[0], "amp": "A & B", "umlaut": "zusammenführen"}
    text = json_for_script(data)
    assert not set(text) & {"<", ">", "&"}
    assert "zusammenführen" in text
    assert json.loads(text) == data


def test_the_page_fetches_nothing_and_runs_only_its_hashed_scripts(built: Built) -> None:
    html = built.view.read_text(encoding="utf-8")
    markup = _parse(html)
    for tag, attrs in markup.tags:
        assert not {"src", "href", "srcset", "action", "data", "poster"} & set(attrs), (tag, attrs)
        assert tag not in ("link", "iframe", "object", "embed", "img", "base")
    styles = [text for tag, _, text in markup.raw if tag == "style"]
    assert re.findall(r"url\((?!\s*[\"']?data:)", "".join(styles)) == []
    assert "@import" not in "".join(styles)
    (csp,) = [attrs["content"] for tag, attrs in markup.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp is not None
    assert "default-src 'none'" in csp
    assert "unsafe" not in csp
    runnable = [text for tag, attrs, text in markup.raw if tag == "script" and attrs.get("type") != "application/json"]
    assert len(runnable) == 2  # vis-network and the page's own script
    for text in [*runnable, *styles]:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_data_reach_the_page_only_as_escaped_json(projection: nx.MultiDiGraph) -> None:
    graph = projection.copy()
    graph.nodes["musk"]["label_en"] = XSS[1]
    graph.nodes["musk"]["aliases"] = [XSS[0]]
    model = view_model(graph, title=f"quotegraph: {XSS[1]} {XSS[0]}")
    html = render_page(model)
    assert "<img" not in html
    assert [tag for tag, _ in _parse(html).tags].count("script") == 3
    assert html.count("</script>") == 3
    assert "<title>quotegraph: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</title>" in html
    (data,) = [text for tag, attrs, text in _parse(html).raw if attrs.get("type") == "application/json"]
    musk = next(n for n in json.loads(data)["nodes"] if n["id"] == "musk")
    assert (musk["label"]["en"], musk["aliases"]) == (XSS[1], [XSS[0]])


def test_small_graphs_are_laid_out_by_the_browser_and_big_ones_in_advance(model: dict[str, Any]) -> None:
    assert model["physics"] is True
    assert model["vis"]["options"]["physics"]["enabled"] is True
    assert not any("x" in n for n in model["vis"]["nodes"])
    big = view_model(synthetic_projection(PHYSICS_MAX_NODES + 100, 900, n_sources=5))
    assert big["physics"] is False
    assert big["vis"]["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in big["vis"]["nodes"])


def test_the_mesh_repulsion_matches_the_exact_pairwise_force() -> None:
    rng = np.random.default_rng(3)
    pos = rng.random((300, 2)) * 2000
    k = 60.0
    delta = pos[:, None, :] - pos[None, :, :]
    dist2 = (delta**2).sum(axis=2)
    np.fill_diagonal(dist2, np.inf)
    exact = (delta * (k * k / dist2)[:, :, None]).sum(axis=1)
    error = np.linalg.norm(_repulsion(pos, k) - exact, axis=1) / np.linalg.norm(exact, axis=1)
    assert np.median(error) < 0.05
    assert np.percentile(error, 90) < 0.2


def test_the_layout_is_reproducible_and_keeps_neighbours_close() -> None:
    graph = nx.connected_watts_strogatz_graph(800, 4, 0.05, seed=2)
    nodes, edges = list(graph.nodes), list(graph.edges)
    first = spread_layout(nodes, edges)
    assert first == spread_layout(nodes, edges)
    pos = np.array([first[n] for n in nodes])
    assert len({tuple(p) for p in pos}) == len(nodes)
    neighbour = np.median([np.hypot(*(pos[u] - pos[v])) for u, v in edges])
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, len(nodes), size=(2000, 2))
    anyone = np.median(np.hypot(*(pos[pairs[:, 0]] - pos[pairs[:, 1]]).T))
    assert neighbour < anyone / 4


def test_build_page_titles_a_focused_page_with_the_entity(store: pyoxigraph.Store) -> None:
    page = build_page(store, selection=Selection(focus="sutskever", depth=1), lang="de")
    assert "<title>quotegraph: Ilya Sutskever</title>" in page.html
    assert '<html lang="de">' in page.html
    assert page.nodes < 28


def test_kg_view_writes_one_file_and_says_what_it_holds(built: Built, tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    result = kg("view", "--build", built.out.root, "-o", target, "--lang", "de")
    assert result.returncode == 0, result.stderr
    assert "28 nodes, 55 edges, 61 statements" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]
    assert '<html lang="de">' in target.read_text(encoding="utf-8")


def test_kg_view_can_write_to_stdout(built: Built) -> None:
    result = kg("view", "--build", built.out.root, "-o", "-", "--focus", "tesla", "--depth", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "<title>quotegraph: Tesla</title>" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "sutskevr"], "no entity matches 'sutskevr'; did you mean sutskever (Ilya Sutskever)"),
        (["--depth", "1"], "--depth needs --focus ENTITY"),
        (["--source", "nope"], "--source: no source 'nope' in the graph"),
        (["--lang", "fr"], "Invalid value for '--lang'"),
        (["--open", "-o", "-"], "--open needs a file"),
    ],
)
def test_kg_view_refuses_bad_options_in_one_line_and_writes_nothing(built: Built, tmp_path: Path, args: list[str], message: str) -> None:
    result = kg("view", "--build", built.out.root, *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split())
    assert list(tmp_path.iterdir()) == []


def test_kg_view_open_hands_the_file_to_the_browser(built: Built, tmp_path: Path) -> None:
    result = kg("view", "--build", built.out.root, "--open", cwd=tmp_path, env={"BROWSER": "echo opened %s"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"opened {(tmp_path / 'quotegraph.html').as_uri()}"


def test_kg_view_without_a_build_says_to_build_first(tmp_path: Path) -> None:
    result = kg("view", "--build", tmp_path / "nothing", cwd=tmp_path)
    assert result.returncode == 2
    assert "run `kg build` first" in result.stderr
