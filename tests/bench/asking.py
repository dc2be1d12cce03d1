"""Benchmark phases for asking a built graph: a bundled query, paths, neighbours and a view.

Each runs on the build that the phase "kg build (default …)" left in the benchmark's work
folder, so that the questions are asked of the graph exactly as a user's ``kg`` would ask them:

* **a bundled selective query** (``relations-of`` an entity with about
  :data:`SELECTIVE_STATEMENTS` statements) the way ``kg query`` runs it (parameter lookup in the
  name index, the query check, binding, the default-graph choice), against its floor: the same
  bound text run directly with pyoxigraph. Both are the median of :data:`REPEATS` runs in one
  warm process, and both must return the same rows;
* **``kg path``** and **``kg neighbors``** as commands (a new process each, as a user runs
  them: the wall time includes Python's start and imports), the median of :data:`COMMAND_REPEATS`;
* **``kg view --focus``** on the biggest hub at depth 2, which the view caps at 5,000 entities,
  and the time until that page is usable in headless Chromium (when Playwright and Debian's
  Chromium are installed, as in CI).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from graph.network.arrays import NetworkCache

    from .context import Context

#: the query is asked about an entity with about this many statements (a selective question)
SELECTIVE_STATEMENTS = 20
REPEATS = 15
COMMAND_REPEATS = 3
CHROMIUM = "/usr/bin/chromium"


def _cache(ctx: Context) -> NetworkCache:
    from graph.network.arrays import open_cache
    from graph.store.builds import OutDir

    found = open_cache(OutDir(ctx.out).current())
    if found is None:
        raise RuntimeError(f"the build in {ctx.out} has no network cache")
    return found


def _entities(cache: NetworkCache) -> dict[str, str]:
    """The entities the questions are about, chosen the same way at every size.

    ``selective``: the first (by id) with the number of statements nearest to
    :data:`SELECTIVE_STATEMENTS`; ``hub``: the one with the most statements; ``far``: two
    entities with few statements, as far apart as a walk from ``selective`` finds.
    """
    counts = cache.statements_per_node.astype(np.int64)
    selective = int(np.argmin(np.abs(counts - SELECTIVE_STATEMENTS)))
    hub = int(np.argmax(counts))
    dist = cache.distances(selective, cache.mask())
    reached = np.flatnonzero((dist > 0) & (counts > 0) & (counts <= 3))
    far = int(reached[np.argmax(dist[reached])]) if len(reached) else hub
    ids = cache.ids([selective, hub, far])
    return {"selective": ids[0], "hub": ids[1], "far": ids[2]}


def _median_seconds(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    result = run()  # warm: parser, caches, pages of the store
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _bound_query(ctx: Context) -> tuple[Any, Any, str, dict[str, Any]]:
    import pyoxigraph

    from graph.network.names import IndexedNames
    from graph.query.dataset import CACHE_DIRNAME, read_dataset
    from graph.query.params import resolve_params
    from graph.query.run import bundled_queries
    from graph.store.builds import OutDir

    build = OutDir(ctx.out).current()
    store = pyoxigraph.Store.read_only(str(build / "store"))
    query = bundled_queries()["relations-of"]
    entity = _entities(_cache(ctx))["selective"]
    names = IndexedNames.open(build / CACHE_DIRNAME)
    context = {"dataset": read_dataset(build), "names": names, "entity": entity, "resolve": resolve_params}
    return store, query, entity, context


def query_kg(ctx: Context) -> dict[str, Any]:
    """``relations-of`` as ``kg query`` runs it, from the name to the collected rows."""
    from graph.query.run import run_query

    store, query, entity, c = _bound_query(ctx)

    def run() -> Any:
        import pyoxigraph

        params = c["resolve"](store, query, {"entity": pyoxigraph.Literal(entity)}, names=c["names"])
        return run_query(store, query.text, params=params, dataset=c["dataset"])

    seconds, result = _median_seconds(run, REPEATS)
    return {"seconds": seconds, "entity": entity, "rows": len(result.rows), "repeats": REPEATS}


def query_raw(ctx: Context) -> dict[str, Any]:
    """The floor: the same query, bound to the same IRI, run directly on pyoxigraph."""
    import pyoxigraph

    from graph.model.vocab import PREFIXES
    from graph.query.run import bind_values

    store, query, entity, c = _bound_query(ctx)
    iri = c["names"].iri(entity)
    text = bind_values(query.text, {"entity": pyoxigraph.NamedNode(iri), "lang": pyoxigraph.Literal("en")})

    def run() -> list[Any]:
        return list(store.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=True))

    seconds, rows = _median_seconds(run, REPEATS)
    return {"seconds": seconds, "entity": entity, "rows": len(rows), "repeats": REPEATS}


def _command(ctx: Context, *args: str) -> dict[str, Any]:
    """A ``kg`` command in a new process (median wall time of :data:`COMMAND_REPEATS` runs)."""
    argv = [sys.executable, "-m", "graph", *args, "--build", str(ctx.out), "-f", "json"]
    env = {**os.environ, "COLUMNS": "120"}
    times = []
    out = b""
    for _ in range(COMMAND_REPEATS):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"kg {' '.join(args)} failed: {done.stderr.decode(errors='replace')[-500:]}")
        out = done.stdout
    return {"seconds": statistics.median(times), "bytes": len(out), "args": " ".join(args)}


def path_command(ctx: Context) -> dict[str, Any]:
    """``kg path`` between a hub and a rarely mentioned entity far from it."""
    chosen = _entities(_cache(ctx))
    return _command(ctx, "path", chosen["far"], chosen["hub"])


def neighbours_command(ctx: Context) -> dict[str, Any]:
    """``kg neighbors --depth 2`` of the selective entity."""
    chosen = _entities(_cache(ctx))
    return _command(ctx, "neighbors", chosen["selective"], "--depth", "2")


def _view_path(ctx: Context) -> Path:
    return ctx.work / "view-focus.html"


def view_command(ctx: Context) -> dict[str, Any]:
    """``kg view --focus HUB --depth 2``: written, with what it left out."""
    chosen = _entities(_cache(ctx))
    target = _view_path(ctx)
    argv = [sys.executable, "-m", "graph", "view", "--focus", chosen["hub"], "--depth", "2", "-o", str(target), "--build", str(ctx.out)]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"kg view failed: {done.stderr.decode(errors='replace')[-500:]}")
    said = " ".join(done.stderr.decode(errors="replace").split())
    return {"seconds": seconds, "bytes": target.stat().st_size, "said": said}


def browser_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def view_usable(ctx: Context) -> dict[str, Any]:
    """Seconds from navigation until the focused page is usable (``data-state="ready"``), network cut off."""
    from playwright.sync_api import sync_playwright

    target = _view_path(ctx)
    if not target.exists():
        raise RuntimeError(f"{target} was not written; the phase 'kg view --focus' runs first")
    url = target.resolve().as_uri()
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        try:
            for _ in range(COMMAND_REPEATS):
                context = browser.new_context(viewport={"width": 1400, "height": 900}, service_workers="block")
                context.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
                page = context.new_page()
                started = time.perf_counter()
                page.goto(url, wait_until="load", timeout=120_000)
                page.wait_for_function("document.documentElement.dataset.state === 'ready'", timeout=120_000, polling=50)
                times.append(time.perf_counter() - started)
                nodes = page.evaluate("quotegraph.nodeView.length")
                context.close()
        finally:
            browser.close()
    return {"seconds": statistics.median(times), "nodes": nodes}
