"""The scan of a big data folder, in a process of its own, so that the build process stays small.

The scan reads every entity (YAML with line numbers, then pydantic), every source's metadata and
the ``source:`` line of every statements file. For a million statements that left the build
process at 1,160 MB for the whole build, of which it could give back little: the entity records
(about 600 MB live) and the parser's temporaries share the allocator's arenas (measured
2026-12-03, see :mod:`graph.sources.stored`). Done in a child process, the parent receives the
sources, where each entity is defined and the entities' ids and kinds; the records themselves
go into a file in the build's scratch folder (:class:`graph.sources.stored.StoredEntities`),
with the entities graph already written as N-Quads for the loader. The child is gone before the
load starts, and its memory with it.

The child reads the entities only; meanwhile this process reads the sources' metadata and the
``source:`` lines (which need no entity), so the two halves of the scan overlap on two cores.
At a million statements the whole scan took 93.7 s in one process (2026-12-04, README "Table
of 2026-12-04"), the entities being the larger half. Problems and warnings are reported in the
order of a scan in one process: sources, entities, then the statement files.

A small data folder is scanned in the build process: starting a process costs about a second
of imports, more than such a scan. So is the folder of a rebuild that reuses the previous build
(:func:`graph.build.plan.likely_incremental`): it reads every entity record for its network
cache anyway, and a one-source rebuild at 100,000 statements took 18.3–19.5 s so, against
21.7–29.3 s with the scan in a process of its own (2026-12-03).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from graph.build.workers import held_signals, stop_workers
from graph.errors import DataError
from graph.model.ontology import default_ontology
from graph.processes import die_with_parent
from graph.rdf.quads import Iris, NQuads
from graph.sources.entities import entity_files
from graph.sources.loader import Loader, Scan
from graph.sources.located import Problems, yaml_files
from graph.sources.stored import StoredEntities

#: From this many bytes of entity and statement files the scan runs in a process of its own
#: (about 40,000 statements of the benchmark's corpora).
ELSEWHERE_FROM_BYTES = 15_000_000
ENTITIES_FILE = "entities.pickle"
ENTITIES_NQUADS = "entities.nq"


def yaml_bytes(root: Path) -> int:
    """The size of the entity and statement files, from the folder listings (nothing is read).

    A file that cannot be looked at (a symlink loop, a file gone) counts nothing here: the scan
    reports it, with its name and why, wherever the scan runs.
    """
    files = entity_files(root)
    if (root / "statements").is_dir():
        files.extend(yaml_files(root / "statements"))
    return sum(_size(path) for path in files)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def scan(loader: Loader, base_iri: str, scratch: Path | None, elsewhere: bool = True) -> Scan:
    """``loader.scan()``, its entities half in a child process when the folder is big and the ontology the bundled one.

    ``elsewhere=False`` keeps it here whatever the size: an incremental build, which loads few
    sources and reads every entity record for its network cache anyway (a child would write
    them out and this process read them back). The loader's problems and warnings are both
    halves', in the order of :meth:`Loader.scan`; a scan with problems brings back no entities
    (the build stops at them).
    """
    root = loader.root
    if (
        scratch is None
        or not elsewhere
        or loader.onto is not default_ontology()
        or not root.is_dir()
        or yaml_bytes(root) < ELSEWHERE_FROM_BYTES
    ):
        return loader.scan()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_init, initargs=(os.getpid(),))
    try:
        with held_signals():  # the submit starts the process
            future = pool.submit(_scan_entities_here, root, base_iri, scratch)
        mine, loader.problems = loader.problems, Problems()
        sources = loader.load_source_files()
        source_problems, loader.problems = loader.problems, Problems()
        loader.group_statement_files(sources)
        grouping = loader.problems
        found, entity_problems = future.result()
    except BaseException:
        stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    loader.problems = _in_order(mine, source_problems, entity_problems, grouping)
    found.sources = sources
    if loader.problems.items:
        found.entities = {}
    return found


def _in_order(*parts: Problems) -> Problems:
    """Problems and warnings of the scan's parts, as one scan in one process would have kept them."""
    merged = Problems()
    for part in parts:
        merged.extend(part.items)
        for warning in part.warnings:
            merged.warn(warning.file, warning.line, warning.field, warning.message)
        merged.warning_count += part.warning_count - len(part.warnings)
    return merged


def _init(parent: int) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops us itself
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _scan_entities_here(root: Path, base_iri: str, scratch: Path) -> tuple[Scan, Problems]:
    """The entities half of a scan: records into a file, their graph as N-Quads (no sources: the parent reads those)."""
    loader = Loader(root)
    try:
        entities, entity_where, files = loader.load_entities()
    except DataError as exc:  # raised before anything was collected: as problems, which pickle
        loader.problems.extend(exc.problems)
        return Scan(sources={}, entities={}, entity_where={}, entity_files=[]), loader.problems
    found = Scan(sources={}, entities=entities, entity_where=entity_where, entity_files=files)
    if loader.problems.items:
        found.entities = {}
        return found, loader.problems
    writer = NQuads(loader.onto, Iris(base_iri))
    nquads = scratch / ENTITIES_NQUADS
    with open(nquads, "w", encoding="utf-8") as handle:
        for entity in entities.values():
            handle.write(writer.entity_nquads(entity))
    found.entities = StoredEntities.write(entities, scratch / ENTITIES_FILE, nquads)
    return found, loader.problems
