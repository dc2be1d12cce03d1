"""Benchmark of the interactive page: generation time, file size, and time until usable in Chromium.

    python -m tests.bench.view                 # bundled graph and generated 5,000-node, 20,000-edge graphs
    python -m tests.bench.view --runs 5        # more browser runs per page (the median is reported)
    python -m tests.bench.view --with-physics  # also try the big graph with in-browser physics (capped)

"Usable" is the moment the page's script marks ``<html data-state="ready">``: vis-network has
drawn the laid-out graph (for small graphs: after the physics stabilised and stopped) and the
page answers clicks. Measured from navigation start, with the network cut off, as the browser
tests do. Also measured, in the page: from a click on a node (zoomed to 100 %) to its side panel
being shown and to the graph being redrawn with the node selected; and one redraw of the whole graph and of the view zoomed to 100 % on the biggest hub. The generated
graphs come in two shapes: one hairball (every edge between random nodes, so every edge is long:
the worst case for drawing) and 60 clusters (90 % of statements inside one). Results are printed
and written to tests/artifacts/bench_view.json; screenshots to tests/artifacts/. Not a test:
timings depend on the machine, so no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from browser import Opened, chromium, open_page
from synthetic import synthetic_projection

from graph import paths
from graph.build.pipeline import build
from graph.store.builds import OutDir
from graph.view import data as data_module
from graph.view import write_view
from graph.view.data import view_model
from graph.view.page import render_page

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _click_on_node(opened: Opened, node_id: str) -> tuple[float, float]:
    """A real click on ``node_id`` (zoomed to 100 % on it first), timed in the page from the pointer
    going down: (ms until its side panel shows it, ms until the graph is redrawn with it selected)."""
    x, y = opened.js(
        """async (id) => {
          const n = quotegraph.network;
          const drawn = new Promise((resolve) => n.once("afterDrawing", resolve));
          n.moveTo({ position: n.getPosition(id), scale: 1 });
          await drawn;
          window.benchClick = new Promise((resolve) => {
            let down = 0, panel = 0;
            document.addEventListener("pointerdown", () => { down = performance.now(); }, { capture: true, once: true });
            new MutationObserver((_, observer) => {
              if (document.getElementById("panel").dataset.id === id && !panel) { panel = performance.now(); observer.disconnect(); }
            }).observe(document.getElementById("panel"), { attributes: true });
            n.on("afterDrawing", function done() {
              if (!down || !panel) return;
              n.off("afterDrawing", done);
              resolve([panel - down, performance.now() - down]);
            });
          });
          const p = n.canvasToDOM(n.getPosition(id));
          const box = document.getElementById("network").getBoundingClientRect();
          return [p.x + box.left, p.y + box.top];
        }""",
        node_id,
    )
    opened.page.mouse.click(x, y)
    panel_ms, redrawn_ms = opened.js("window.benchClick")
    return panel_ms, redrawn_ms


def _measure_browser(browser: Any, path: Path, runs: int, node_id: str, screenshot: str | None) -> dict[str, Any]:
    ready_s: list[float] = []
    in_page_ms: list[float] = []
    panel_ms: list[float] = []
    redrawn_ms: list[float] = []
    for run in range(runs):
        opened = open_page(browser, path, timeout_s=300)
        assert opened.outside_requests == [], opened.outside_requests
        assert opened.console_errors == [], opened.console_errors
        assert opened.page_errors == [], opened.page_errors
        ready_s.append(opened.seconds_to_ready)
        in_page_ms.append(opened.js("window.quotegraphReadyMs"))
        if run == 0 and screenshot:
            opened.page.screenshot(path=str(ARTIFACTS / screenshot))
        panel, redrawn = _click_on_node(opened, node_id)
        panel_ms.append(panel)
        redrawn_ms.append(redrawn)
        if run == 0 and screenshot:
            opened.page.screenshot(path=str(ARTIFACTS / screenshot.replace(".png", "-panel.png")))
        drawn = opened.js("[quotegraph.network.body.nodeIndices.length, quotegraph.network.body.edgeIndices.length]")
        opened.page.context.close()
    return {
        "drawn_nodes": drawn[0],
        "drawn_edges": drawn[1],
        "seconds_until_usable_median": round(statistics.median(ready_s), 2),
        "seconds_until_usable_runs": [round(s, 2) for s in ready_s],
        "in_page_ms_until_ready_median": round(statistics.median(in_page_ms)),
        "ms_click_to_panel_median": round(statistics.median(panel_ms)),
        "ms_click_to_redrawn_selection_median": round(statistics.median(redrawn_ms)),
    }


def screenshots_of_the_bundled_graph(browser: Any, path: Path) -> None:
    """Evidence: the graph as it opens, the side panel of the "sued" edge, and the German view."""
    opened = open_page(browser, path)
    opened.page.screenshot(path=str(ARTIFACTS / "view-bundled.png"))
    x, y = opened.js(
        """() => {
          const n = quotegraph.network;
          const id = quotegraph.data.edges.find((e) => e.relation === "sued").id;
          const p = n.canvasToDOM(n.body.edges[id].edgeType.getPoint(0.5));
          const box = document.getElementById("network").getBoundingClientRect();
          return [p.x + box.left, p.y + box.top];
        }"""
    )
    opened.page.mouse.click(x, y)
    opened.page.mouse.move(5, 5)
    opened.page.screenshot(path=str(ARTIFACTS / "view-bundled-panel-sued.png"))
    opened.page.click("button[data-lang=de]")
    opened.page.screenshot(path=str(ARTIFACTS / "view-bundled-panel-sued-de.png"))
    assert opened.outside_requests == [], opened.outside_requests
    opened.page.context.close()


def bench_bundled(browser: Any, runs: int, workdir: Path) -> dict[str, Any]:
    built = build(paths.bundled_data_dir(), OutDir(workdir / "out"))
    store = built.out.open_store()
    started = time.perf_counter()
    page = write_view(store, workdir / "bundled.html")
    generation = time.perf_counter() - started
    path = workdir / "bundled.html"
    screenshots_of_the_bundled_graph(browser, path)
    return {
        "graph": "bundled (first source)",
        "nodes": page.nodes,
        "edges": page.edges,
        "statements": page.statements,
        "physics_in_browser": page.physics,
        "seconds_to_generate": round(generation, 2),
        "file_mb": round(path.stat().st_size / 1e6, 2),
        **_measure_browser(browser, path, runs, "musk", None),
    }


def bench_generated(browser: Any, runs: int, workdir: Path, nodes: int, edges: int, communities: int) -> dict[str, Any]:
    graph = synthetic_projection(nodes, edges, communities=communities)
    layout_seconds: list[float] = []
    original = data_module.spread_layout

    def timed_layout(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            layout_seconds.append(time.perf_counter() - started)

    data_module.spread_layout = timed_layout  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        model = view_model(graph)
        html = render_page(model)
        path = workdir / f"generated-{communities}.html"
        path.write_text(html, encoding="utf-8")
        generation = time.perf_counter() - started
    finally:
        data_module.spread_layout = original  # type: ignore[assignment]
    shape = f"{communities} clusters" if communities else "one hairball"
    shot = f"view-{nodes}-{'clustered' if communities else 'hairball'}.png"
    result = {
        "graph": f"generated: {nodes:,} nodes, {edges:,} statements, {shape}",
        "nodes": len(model["nodes"]),
        "edges": len(model["edges"]),
        "statements": sum(len(e["statements"]) for e in model["edges"]),
        "physics_in_browser": model["physics"],
        "seconds_to_generate": round(generation, 2),
        "seconds_of_which_layout": round(sum(layout_seconds), 2),
        "file_mb": round(path.stat().st_size / 1e6, 2),
        **_measure_browser(browser, path, runs, "n0", shot),
    }
    with_redraws = open_page(browser, path, timeout_s=300)
    result["ms_redraw_whole_graph"], result["ms_redraw_zoomed_to_100pct"] = with_redraws.js(
        """() => {
          const n = quotegraph.network, time = () => { const t = performance.now(); n.redraw(); return Math.round(performance.now() - t); };
          n.fit(); time(); const whole = time();
          n.moveTo({ position: n.getPosition("n0"), scale: 1 }); time(); return [whole, time()];
        }"""
    )
    with_redraws.page.context.close()
    return result


def bench_generated_with_physics(browser: Any, workdir: Path, nodes: int, edges: int, cap_s: float) -> dict[str, Any]:
    """The same big graph left to vis-network's physics (what pyvis does by default), with a time cap."""
    model = view_model(synthetic_projection(nodes, edges))
    model["physics"] = True
    model["vis"]["options"]["physics"]["enabled"] = True
    model["vis"]["options"]["physics"]["stabilization"] = {"enabled": True, "iterations": 1000, "updateInterval": 50, "fit": True}
    for node in model["vis"]["nodes"]:
        node.pop("x", None)
        node.pop("y", None)
    path = workdir / "generated-physics.html"
    path.write_text(render_page(model), encoding="utf-8")
    try:
        opened = open_page(browser, path, timeout_s=cap_s)
        result: dict[str, Any] = {"seconds_until_usable": round(opened.seconds_to_ready, 1)}
        opened.page.context.close()
    except Exception as exc:  # noqa: BLE001 - a timeout is the finding
        result = {"seconds_until_usable": f"not usable after {cap_s:.0f} s ({type(exc).__name__})"}
    return {"graph": f"generated ({nodes:,} nodes) with in-browser physics", **result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="browser runs per page (median reported)")
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--with-physics", action="store_true", help="also time the big graph with in-browser physics")
    parser.add_argument("--physics-cap", type=float, default=120, help="seconds to wait for that")
    args = parser.parse_args(argv)
    ARTIFACTS.mkdir(exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        workdir = Path(tmp)
        results.append(bench_bundled(browser, args.runs, workdir))
        results.append(bench_generated(browser, args.runs, workdir, args.nodes, args.edges, communities=0))
        results.append(bench_generated(browser, args.runs, workdir, args.nodes, args.edges, communities=60))
        if args.with_physics:
            results.append(bench_generated_with_physics(browser, workdir, args.nodes, args.edges, args.physics_cap))
        version = browser.version
    report = {"chromium": version, "cpus": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2), "results": results}
    (ARTIFACTS / "bench_view.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
