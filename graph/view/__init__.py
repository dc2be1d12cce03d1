"""The interactive HTML graph: one self-contained file, every edge with the quotes behind it.

:mod:`graph.view.data` turns the networkx projection (:func:`graph.network.project`) into what
the page shows, :mod:`graph.view.layout` lays out graphs too big for in-browser physics, and
:mod:`graph.view.page` renders the offline page. ``kg view`` and ``kg build`` call :func:`write_view`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.network import project
from graph.store import write_atomically
from graph.view.data import Selection, negations, select, view_model
from graph.view.page import render_page

#: where ``kg build`` writes the page inside a build folder
VIEW_DIRNAME = "view"
VIEW_FILENAME = "quotegraph.html"

__all__ = ["VIEW_DIRNAME", "VIEW_FILENAME", "Page", "Selection", "build_page", "render_page", "view_model", "write_view"]


@dataclass(frozen=True)
class Page:
    """A rendered page and what it shows."""

    html: str
    nodes: int
    edges: int
    statements: int
    physics: bool

    @classmethod
    def from_model(cls, html: str, model: dict[str, Any]) -> Page:
        statements = sum(len(e["statements"]) for e in model["edges"])
        return cls(html=html, nodes=len(model["nodes"]), edges=len(model["edges"]), statements=statements, physics=model["physics"])


def build_page(store: pyoxigraph.Store, *, selection: Selection | None = None, lang: str = "en") -> Page:
    """Read the graph from ``store``, keep what ``selection`` asks for, and render the page."""
    selection = selection or Selection()
    full = project(store)
    graph, centre = select(full, selection)
    title = "quotegraph"
    if centre is not None:
        attrs = full.nodes[centre]
        title += ": " + (attrs.get(f"label_{lang}") or attrs.get("label_en") or centre)
    if selection.source is not None:
        title += f" · {selection.source}"
    model = view_model(graph, negates=negations(store), lang=lang, focus=centre, title=title, names=full.nodes(data=True))
    return Page.from_model(render_page(model), model)


def write_view(store: pyoxigraph.Store, path: Path, *, selection: Selection | None = None, lang: str = "en") -> Page:
    """Write the page to ``path`` atomically (a reader never sees half a file)."""
    page = build_page(store, selection=selection, lang=lang)
    encoded = page.html.encode("utf-8")
    write_atomically(path, lambda handle: handle.write(encoded))
    return page
