"""The interactive page in a real browser: Debian's Chromium, driven by Playwright, network cut off.

Every test opens a page with all requests other than the page's own file aborted and recorded,
and fails on a console error, an uncaught exception or a dialog. Locally the tests skip without
Chromium; in CI (CI=true) they fail, and ``.ci/run`` installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph
import pytest
import yaml
from helpers.browser import Opened, open_page
from helpers.run import SOURCE_ID
from helpers.synthetic import synthetic_projection

from graph.build.pipeline import Built, build
from graph.store.builds import OutDir
from graph.view import Selection, write_view
from graph.view.data import view_model
from graph.view.page import render_page

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(1)</script>"
SUIT_QUOTE = "Elon Musk reichte eine Klage gegen OpenAI ein"


@pytest.fixture
def bundled(browser: Any, built: Built) -> Iterator[Opened]:
    """The page ``kg build`` wrote for the bundled data, opened and ready."""
    assert built.view is not None
    opened = open_page(browser, built.view)
    yield opened
    _assert_clean(opened)
    opened.page.context.close()


def _assert_clean(opened: Opened) -> None:
    assert opened.outside_requests == [], opened.outside_requests
    assert opened.console_errors == []
    assert opened.page_errors == []
    assert opened.dialogs == []


def _panel_text(opened: Opened) -> str:
    text: str = opened.page.locator("#panel-body").inner_text()
    return text


def _edge_id(opened: Opened, source: str, relation: str, target: str) -> str:
    edge_id: str = opened.js(
        "([s, r, t]) => quotegraph.data.edges.find((e) => e.from === s && e.relation === r && e.to === t).id", [source, relation, target]
    )
    return edge_id


def _edge_point(opened: Opened, edge_id: str) -> tuple[float, float]:
    """Where on screen the middle of the drawn edge is (on its curve, where its label sits)."""
    x, y = opened.js(
        """(id) => {
          const network = quotegraph.network;
          const point = network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5));
          const box = document.getElementById("network").getBoundingClientRect();
          return [point.x + box.left, point.y + box.top];
        }""",
        edge_id,
    )
    return x, y


def _node_point(opened: Opened, node_id: str) -> tuple[float, float]:
    x, y = opened.js(
        """(id) => {
          const network = quotegraph.network;
          const point = network.canvasToDOM(network.getPosition(id));
          const box = document.getElementById("network").getBoundingClientRect();
          return [point.x + box.left, point.y + box.top];
        }""",
        node_id,
    )
    return x, y


def _hover_tooltip(opened: Opened, point: tuple[float, float]) -> Any:
    """Rest the pointer on ``point`` until vis-network shows its tooltip; the tooltip's locator."""
    tooltip = opened.page.locator("div.vis-tooltip")
    for attempt in range(3):  # a busy machine can swallow the pause vis-network waits for
        opened.page.mouse.move(point[0] + 3 - attempt, point[1] + 3 - attempt, steps=4)
        opened.page.wait_for_timeout(400)
        if tooltip.is_visible():
            break
    tooltip.wait_for(state="visible", timeout=3000)
    return tooltip


def _drawn(opened: Opened) -> dict[str, int]:
    counts: dict[str, int] = opened.js(
        """() => ({
          nodes: quotegraph.network.body.nodeIndices.length,
          edges: quotegraph.network.body.edgeIndices.length,
          connected: quotegraph.network.body.edgeIndices.filter((id) => quotegraph.network.body.edges[id].connected).length,
          statements: quotegraph.edgeView.get().reduce((n, e) => n + quotegraph.data.edges.find((d) => d.id === e.id).statements.length, 0),
        })"""
    )
    return counts


def test_the_harness_sees_and_blocks_every_outside_request(browser: Any, tmp_path: Path) -> None:
    """Control: a page that does reach out is caught, so a clean result below means something."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><html><head><script src="node_modules/vis-network/vis-network.min.js"></script>'
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap.css"></head>'
        '<body><img src="https://example.org/pixel.png"><script>document.documentElement.dataset.state = "ready"</script></body></html>',
        encoding="utf-8",
    )
    opened = open_page(browser, page)
    assert len(opened.outside_requests) == 3
    assert any("node_modules" in url for url in opened.outside_requests)
    assert any(url.startswith("https://cdn.jsdelivr.net/") for url in opened.outside_requests)
    assert sorted(opened.blocked) == sorted(opened.outside_requests)
    opened.page.context.close()


def test_the_page_opens_offline_without_requests_or_errors(bundled: Opened) -> None:
    assert bundled.requests == [bundled.url]  # the page itself, and nothing else
    assert bundled.js("typeof vis.Network") == "function"
    assert bundled.page.locator("#counts").inner_text() == "28 nodes · 55 edges · 61 statements"


def test_the_drawn_nodes_and_edges_are_the_graphs(bundled: Opened, projection: nx.MultiDiGraph) -> None:
    relations = {(u, d["relation"], v) for u, v, d in projection.edges(data=True)}
    assert _drawn(bundled) == {
        "nodes": projection.number_of_nodes(),
        "edges": len(relations),
        "connected": len(relations),
        "statements": projection.number_of_edges(),
    }


def test_clicking_the_sued_edge_shows_musks_suit_quote_in_the_side_panel(bundled: Opened, projection: nx.MultiDiGraph) -> None:
    edge_id = _edge_id(bundled, "musk", "sued", "openai")
    assert bundled.page.locator("#panel").is_hidden()
    bundled.page.mouse.click(*_edge_point(bundled, edge_id))
    panel = bundled.page.locator("#panel")
    assert panel.is_visible()
    assert panel.get_attribute("data-id") == edge_id
    assert bundled.page.locator("#panel-body h2").inner_text() == "Elon Musk → sued → OpenAI"
    assert bundled.page.locator("#panel-body mark").all_inner_texts() == [SUIT_QUOTE]
    (quote,) = next(d for u, v, d in projection.edges(data=True) if d["relation"] == "sued")["quotes"]
    sentence = bundled.page.locator("#panel-body blockquote")
    assert sentence.text_content() == quote["prefix"] + SUIT_QUOTE + quote["suffix"]
    assert sentence.get_attribute("lang") == "de"
    text = _panel_text(bundled)
    assert "Translation: Elon Musk filed a lawsuit against OpenAI" in text
    assert "Asserted by\nOscar" in text
    assert "Source\nElon Musk wollte irgendwann OpenAI und Tesla zusammenführen · no date given" in text
    assert "Derived from\nlawsuit-against-openai, musk-filed-lawsuit" in text
    assert bundled.js("quotegraph.network.getSelectedEdges()") == [edge_id]


def test_an_edge_with_several_statements_lists_each_with_its_quote(bundled: Opened, projection: nx.MultiDiGraph) -> None:
    edge_id = _edge_id(bundled, "musk", "supports", "openai-should-merge-with-tesla")
    bundled.page.mouse.click(*_edge_point(bundled, edge_id))
    expected = sorted(
        d["quote"]
        for u, v, d in projection.edges(data=True)
        if (u, d["relation"], v) == ("musk", "supports", "openai-should-merge-with-tesla")
    )
    assert len(expected) == 4
    assert sorted(bundled.page.locator("#panel-body article mark").all_inner_texts()) == expected


def test_clicking_a_node_shows_its_statements_and_connections(bundled: Opened, projection: nx.MultiDiGraph) -> None:
    bundled.page.mouse.click(*_node_point(bundled, "musk"))
    assert bundled.page.locator("#panel").get_attribute("data-id") == "musk"
    assert bundled.page.locator("#panel-body h2").inner_text() == "Elon Musk"
    assert bundled.page.locator("#panel-body mark").all_inner_texts() == ["der Milliardär Elon Musk"]
    relations = {(u, d["relation"], v) for u, v, d in projection.edges(data=True) if "musk" in (u, v)}
    assert bundled.page.locator("#panel-body .connections li").count() == len(relations)
    bundled.page.locator("#panel-body .connections button", has_text="sued").click()
    assert bundled.page.locator("#panel-body mark").all_inner_texts() == [SUIT_QUOTE]


def test_hovering_a_node_shows_a_short_tooltip(bundled: Opened) -> None:
    tooltip = _hover_tooltip(bundled, _node_point(bundled, "sutskever"))
    assert tooltip.inner_text().splitlines()[:2] == ["Ilya Sutskever", "person"]


def test_the_search_finds_sutskever_and_focuses_him(bundled: Opened) -> None:
    bundled.page.fill("#search", "sutskever")
    bundled.page.press("#search", "Enter")
    assert bundled.js("quotegraph.network.getSelectedNodes()") == ["sutskever"]
    assert bundled.page.locator("#panel-body h2").inner_text() == "Ilya Sutskever"
    bundled.page.wait_for_function(
        """() => {
          const view = quotegraph.network.getViewPosition(), node = quotegraph.network.getPosition("sutskever");
          return Math.hypot(view.x - node.x, view.y - node.y) < 1;
        }""",
        timeout=5000,
    )
    bundled.page.fill("#search", "Closed Source")  # an alias
    bundled.page.press("#search", "Enter")
    assert bundled.js("quotegraph.network.getSelectedNodes()") == ["openai-should-be-less-open"]
    bundled.page.fill("#search", "nobody-here")
    bundled.page.press("#search", "Enter")
    assert bundled.page.locator("#status").inner_text() == "No node matches “nobody-here”."


def test_filters_hide_kinds_relations_and_sources(bundled: Opened, projection: nx.MultiDiGraph) -> None:
    stances = {n for n, d in projection.nodes(data=True) if d["kind"] == "stance"}
    relations = {(u, d["relation"], v) for u, v, d in projection.edges(data=True)}
    bundled.page.locator("#filter-kinds label", has_text="stance").click()
    drawn = _drawn(bundled)
    assert drawn["nodes"] == projection.number_of_nodes() - len(stances)
    assert drawn["edges"] == len({r for r in relations if r[0] not in stances and r[2] not in stances})
    bundled.page.locator("#filter-kinds label", has_text="stance").click()
    bundled.page.locator("#filter-relations label", has_text="supports").click()
    assert _drawn(bundled)["edges"] == len({r for r in relations if r[1] != "supports"})
    bundled.page.locator("#filter-sources label").first.click()
    assert _drawn(bundled) == {"nodes": 0, "edges": 0, "connected": 0, "statements": 0}
    assert bundled.page.locator("#counts").inner_text() == "0 nodes · 0 edges · 0 statements"


def test_the_language_switch_relabels_the_graph_and_the_page(bundled: Opened) -> None:
    sued = _edge_id(bundled, "musk", "sued", "openai")
    bundled.page.mouse.click(*_edge_point(bundled, sued))
    bundled.page.click("button[data-lang=de]")
    assert bundled.js("document.documentElement.lang") == "de"
    assert bundled.js(f"quotegraph.edges.get('{sued}').label") == "verklagte"
    assert bundled.js("quotegraph.nodes.get('openai-should-merge-with-tesla').label") == "OpenAI sollte mit Tesla fusionieren"
    assert bundled.page.locator("#panel-body h2").inner_text() == "Elon Musk → verklagte → OpenAI"
    assert "Behauptet von\nOscar" in _panel_text(bundled)
    assert bundled.page.locator("#counts").inner_text() == "28 Knoten · 55 Kanten · 61 Aussagen"
    tooltip = _hover_tooltip(bundled, _node_point(bundled, "openai-funding"))
    assert tooltip.inner_text().splitlines()[:2] == ["Finanzierung von OpenAI", "Thema"]
    bundled.page.click("button[data-lang=en]")
    assert bundled.js(f"quotegraph.edges.get('{sued}').label") == "sued"
    assert tooltip.is_hidden()


def test_conflicting_positions_are_highlighted_and_explained(bundled: Opened) -> None:
    glowing = bundled.js("quotegraph.edges.get().filter((e) => e.shadow && e.shadow.enabled).map((e) => e.label).sort()")
    # his own "Ja." for "less open" glows too: it negates the "open source" he claims
    assert glowing == ["⚠ opposes", "⚠ opposes", "⚠ supports", "⚠ supports", "⚠ supports"]
    edge_id = _edge_id(bundled, "musk", "opposes", "openai-should-be-for-profit")
    bundled.page.mouse.click(*_edge_point(bundled, edge_id))
    assert "Elon Musk is recorded both for and against “OpenAI should become a for-profit company”." in _panel_text(bundled)


def test_the_physics_stabilises_and_then_stops(bundled: Opened) -> None:
    assert bundled.js("document.documentElement.dataset.physics") == "stopped"
    assert bundled.js("quotegraph.network.physics.physicsEnabled") is False
    before = bundled.js("quotegraph.network.getPositions()")
    bundled.page.wait_for_timeout(500)
    assert bundled.js("quotegraph.network.getPositions()") == before
    assert bundled.page.locator("#status").inner_text() == "Layout stable; physics stopped."


def test_a_focused_page_opens_on_its_entity(browser: Any, store: pyoxigraph.Store, tmp_path: Path) -> None:
    page = write_view(store, tmp_path / "sutskever.html", selection=Selection(focus="Sutskever", depth=1))
    opened = open_page(browser, tmp_path / "sutskever.html")
    assert _drawn(opened)["nodes"] == page.nodes
    assert opened.js("quotegraph.network.getSelectedNodes()") == ["sutskever"]
    assert opened.page.locator("#panel-body h2").inner_text() == "Ilya Sutskever"
    _assert_clean(opened)
    opened.page.context.close()


def _poisoned_data(data_copy: Path) -> None:
    """Texts that would run as code if any of them reached the page as markup."""
    entities_file = data_copy / "entities.yaml"
    entities = yaml.safe_load(entities_file.read_text(encoding="utf-8"))
    for entity in entities["entities"]:
        if entity["id"] == "musk":
            entity["label"] = {"de": XSS_IMG, "en": XSS_SCRIPT}
            entity["aliases"] = {"de": [XSS_IMG], "en": [XSS_SCRIPT]}
            entity["description"] = {"de": XSS_SCRIPT, "en": XSS_IMG}
    entities_file.write_text(yaml.safe_dump(entities, allow_unicode=True, sort_keys=False), encoding="utf-8")
    meta_file = data_copy / "sources" / f"{SOURCE_ID}.yaml"
    meta = yaml.safe_load(meta_file.read_text(encoding="utf-8"))
    meta["title"] = f"{XSS_SCRIPT} {XSS_IMG}"
    meta["note"] = XSS_IMG
    meta_file.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    text_file = data_copy / "sources" / f"{SOURCE_ID}.txt"
    text_file.write_text(text_file.read_text(encoding="utf-8") + f"\n\nEr schrieb {XSS_IMG} und {XSS_SCRIPT} an OpenAI.", encoding="utf-8")
    statements_file = data_copy / "statements" / f"{SOURCE_ID}.yaml"
    statements = yaml.safe_load(statements_file.read_text(encoding="utf-8"))
    for statement in statements["statements"]:
        if statement.get("id") == "musk-in-legal-dispute-with-openai":
            statement["translation"] = XSS_IMG + XSS_SCRIPT
            statement["note"] = XSS_SCRIPT
    statements["statements"].append(
        {
            "id": "poisoned-quote",
            "subject": "musk",
            "predicate": "criticised",
            "object": "openai",
            "voice": "narration",
            "quote": f"{XSS_IMG} und {XSS_SCRIPT}",
            "translation": XSS_SCRIPT,
        }
    )
    statements_file.write_text(yaml.safe_dump(statements, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_texts_from_the_data_show_as_text_and_run_nothing(browser: Any, data_copy: Path, tmp_path: Path) -> None:
    _poisoned_data(data_copy)
    built = build(data_copy, OutDir(tmp_path / "out"))
    assert built.view is not None
    focused = write_view(built.out.open_store(), tmp_path / "focused.html", selection=Selection(focus="musk", depth=3))
    for path in (built.view, tmp_path / "focused.html"):
        html = path.read_text(encoding="utf-8")
        assert "<img" not in html
        assert "alert(1)</script>" not in html
        opened = open_page(browser, path)
        assert opened.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert opened.js("document.scripts.length") == 3
        opened.page.mouse.click(*_node_point(opened, "musk"))
        assert opened.page.locator("#panel-body h2").text_content() == XSS_SCRIPT
        assert f"Also called\n{XSS_SCRIPT}, {XSS_IMG}" in _panel_text(opened)
        assert f"Description\n{XSS_IMG}" in _panel_text(opened)
        poisoned = opened.js("quotegraph.data.edges.find((e) => e.statements.some((s) => s.id === 'poisoned-quote')).id")
        opened.js("(id) => quotegraph.showEdge(id)", poisoned)
        assert opened.page.locator("article[data-statement=poisoned-quote] mark").text_content() == f"{XSS_IMG} und {XSS_SCRIPT}"
        assert f"Translation: {XSS_SCRIPT}" in _panel_text(opened)
        assert f"Source\n{XSS_SCRIPT} {XSS_IMG} · no date given" in _panel_text(opened)
        assert _hover_tooltip(opened, _node_point(opened, "musk")).inner_text().splitlines()[0] == XSS_SCRIPT
        assert XSS_SCRIPT in opened.page.locator("#filter-sources").inner_text()
        opened.page.click("button[data-lang=de]")
        assert opened.js("quotegraph.nodes.get('musk').label") == XSS_IMG
        assert opened.js("document.querySelectorAll('img').length") == 0
        _assert_clean(opened)
        opened.page.context.close()
    assert focused.nodes > 1
    escaped = f"<title>quotegraph: {XSS_SCRIPT.replace('<', '&lt;').replace('>', '&gt;')}</title>"
    assert escaped in (tmp_path / "focused.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_5000_node_graph_opens_laid_out_with_physics_off(browser: Any, tmp_path: Path) -> None:
    graph = synthetic_projection(5000, 20000)
    model = view_model(graph)
    path = tmp_path / "big.html"
    path.write_text(render_page(model), encoding="utf-8")
    opened = open_page(browser, path, timeout_s=120)
    drawn = _drawn(opened)
    assert drawn["nodes"] == 5000
    assert drawn["edges"] == drawn["connected"] == len(model["edges"])
    assert drawn["statements"] == 20000
    assert opened.js("document.documentElement.dataset.physics") == "off"
    assert opened.js("quotegraph.network.physics.physicsEnabled") is False
    label = graph.nodes["n17"]["label_en"]
    opened.page.fill("#search", label)
    opened.page.press("#search", "Enter")
    assert opened.js("quotegraph.network.getSelectedNodes()") == ["n17"]
    assert opened.page.locator("#panel-body h2").inner_text() == label
    _assert_clean(opened)
    opened.page.context.close()
