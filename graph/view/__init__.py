"""The interactive HTML graph: one self-contained file, every edge with the quotes behind it.

:mod:`graph.view.scope` chooses the part of the graph a page shows on the build's network cache,
:mod:`graph.view.data` turns the statements it chose into what the page shows,
:mod:`graph.view.layout` lays out graphs too big for in-browser physics, and
:mod:`graph.view.page` renders the offline page. ``kg view`` and ``kg build`` call :func:`write_view`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.model.lang import DISPLAY_LANGS, display_label
from graph.network.arrays import NetworkCache, open_cache
from graph.network.details import subgraph
from graph.network.write import write_network_cache
from graph.store.builds import write_atomically
from graph.view.data import negations, view_model
from graph.view.page import render_page
from graph.view.scope import Selection, choose

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
    #: what the page leaves out (see :meth:`graph.view.scope.Scope.note`); None if nothing
    left_out: dict[str, Any] | None = None

    @classmethod
    def from_model(cls, html: str, model: dict[str, Any]) -> Page:
        statements = sum(len(e["statements"]) for e in model["edges"])
        return cls(
            html=html,
            nodes=len(model["nodes"]),
            edges=len(model["edges"]),
            statements=statements,
            physics=model["physics"],
            left_out=model.get("left_out"),
        )


@contextmanager
def _cache_of(store: pyoxigraph.Store, cache: NetworkCache | None) -> Iterator[NetworkCache]:
    """The given cache, or one written for ``store`` into a temporary folder (a store made
    without ``kg build``, as in tests and notebooks)."""
    if cache is not None:
        yield cache
        return
    with tempfile.TemporaryDirectory(prefix="quotegraph-view-") as tmp:
        write_network_cache(store, Path(tmp))
        made = open_cache(Path(tmp))
        assert made is not None
        try:
            yield made
        finally:
            made.close()


def build_page(store: pyoxigraph.Store, *, selection: Selection | None = None, lang: str = "en", cache: NetworkCache | None = None) -> Page:
    """Choose what ``selection`` asks for on the network cache, read those statements from
    ``store``, and render the page."""
    selection = selection or Selection()
    with _cache_of(store, cache) as walked:
        scope = choose(walked, selection)
        # who asserts a statement and where it was expressed are named on the page, not drawn
        named = subgraph(store, walked, scope.statements.tolist(), scope.nodes.tolist(), mentioned=True).to_networkx()
        drawn = set(walked.ids(scope.nodes.tolist()))
    graph = named.subgraph(drawn).copy()
    title = "quotegraph"
    if scope.centre is not None:
        attrs = named.nodes[scope.centre]
        title += ": " + display_label({code: attrs.get(f"label_{code}") or "" for code in DISPLAY_LANGS}, lang, scope.centre)
    if selection.source is not None:
        title += f" · {selection.source}"
    if selection.top is not None:
        title += f" · top {selection.top:,}"
    model = view_model(graph, negates=negations(store), lang=lang, focus=scope.centre, title=title, names=named.nodes(data=True))
    model["left_out"] = scope.note()
    return Page.from_model(render_page(model), model)


def write_view(
    store: pyoxigraph.Store,
    path: Path,
    *,
    selection: Selection | None = None,
    lang: str = "en",
    cache: NetworkCache | None = None,
) -> Page:
    """Write the page to ``path`` atomically (a reader never sees half a file)."""
    page = build_page(store, selection=selection, lang=lang, cache=cache)
    encoded = page.html.encode("utf-8")
    write_atomically(path, lambda handle: handle.write(encoded))
    return page
