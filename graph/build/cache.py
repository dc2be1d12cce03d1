"""The network cache of a build (:mod:`graph.network.write`): after the load, or beside its end.

A full build writes the cache's rows in a thread while Oxigraph finishes loading
(:mod:`graph.build.beside`), then ``dataset.json`` from the finished store; an incremental build
writes the whole cache after the load, from the previous cache's rows of the sources it kept and
the new rows of those it loaded.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pyoxigraph

from graph.build.beside import Beside
from graph.build.loading import Loading
from graph.build.plan import Plan
from graph.model.ontology import Ontology
from graph.network.files import CACHE_DIRNAME
from graph.network.lines import DetailSpill
from graph.network.projection import vocabulary_labels
from graph.network.write import StatementRows, entity_table, previous_rows, source_rows, write_dataset, write_network_cache, write_rows
from graph.rdf.quads import Iris, ontology_quads
from graph.sources.loader import Scan
from graph.sources.stored import StoredEntities


def write_build_cache(store: pyoxigraph.Store, staging: Path, scan: Scan, loading: Loading, plan: Plan, iris: Iris, onto: Ontology) -> None:
    """The network cache from the rows the loading made, the entity and source records, and (in an
    incremental build) the previous cache's rows of the sources not reloaded."""
    parts = list(loading.rows)
    if not plan.full:
        assert plan.previous_store is not None
        try:
            parts.append(previous_rows(plan.previous_store.parent / CACHE_DIRNAME, plan.dirty | plan.removed, iris.statement_id))
        except (OSError, EOFError, ValueError, KeyError, sqlite3.Error):
            write_network_cache(store, staging)  # a previous build without a usable cache: read everything back
            return
    write_dataset(store, staging / CACHE_DIRNAME)
    _write_rows(staging, scan, parts, iris, onto, vocabulary_labels(store))


def _write_rows(
    staging: Path,
    scan: Scan,
    parts: list[StatementRows],
    iris: Iris,
    onto: Ontology,
    labels: Mapping[str, Mapping[str, str]],
    between: Callable[[], None] = lambda: None,
) -> None:
    """The cache's rows, arrays and tables (all but ``dataset.json``): nothing here reads the store."""
    # the records of a scan made elsewhere are read here: in a full build while Oxigraph writes its
    # last batches (at 1,000,000 the build was at 1.33-1.39 GB then, below the load's peak of 2.1 GB)
    nodes = entity_table(scan.entities, lambda ident: iris.entity(ident).value, onto)
    if isinstance(scan.entities, StoredEntities):
        scan.entities.release()
    between()
    sources = source_rows((files.meta for files in scan.sources.values()), lambda ident: iris.source(ident).value)
    write_rows(staging / CACHE_DIRNAME, nodes, sources, parts, lambda ident: iris.statement(ident).value, labels, between)


@contextlib.contextmanager
def cache_beside_load(
    staging: Path, scan: Scan, iris: Iris, onto: Ontology, spill: DetailSpill
) -> Iterator[tuple[Beside, Callable[[Loading], None]]]:
    """The cache's rows written in a thread from the moment a full build's loader has every source (:mod:`graph.build.beside`).

    Yields the thread and what starts it (:attr:`graph.build.loading.Loading.on_input_end`);
    whatever fails, the thread is stopped and gone when the block ends.

    The vocabulary's labels come from the ontology's quads in a store of their own: the very
    quads of the build's ontology graph (:func:`graph.rdf.quads.ontology_quads`), which the store
    being loaded is not asked for until it is finished.
    """
    holder: dict[str, Loading] = {}

    def work(between: Callable[[], None]) -> None:
        ontology = pyoxigraph.Store()
        ontology.extend(ontology_quads())
        _write_rows(staging, scan, list(holder["loading"].rows), iris, onto, vocabulary_labels(ontology), between)

    beside = Beside("network cache", work)

    def start(loading: Loading) -> None:
        if loading.loader.problems.items:
            return  # the build stops at them: no cache to write (the one after the load is never reached either)
        holder["loading"] = loading
        spill.flush()  # every row's line is in the spill now: the thread reads it from the file
        beside.start()

    try:
        yield beside, start
    finally:
        beside.stop()
