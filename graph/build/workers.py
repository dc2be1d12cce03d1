"""Loading big corpora on every core: sources in batches, in worker processes, streamed to Oxigraph.

One source at a time is the unit of work (see :class:`graph.sources.loader.Loader`): reading its text,
parsing its statements, anchoring quotes, finding sentences (spaCy), deriving shortcuts and
writing N-Quads. Sources are independent, so above a size threshold the build hands batches of
sources to a process pool; the main process only feeds the finished N-Quads to Oxigraph's bulk
loader, which parses and writes on its own threads. On two cores the Python work and the
RocksDB writes then overlap instead of taking turns.

Each worker also checks its batch against the SHACL shapes (compiled to SPARQL,
:mod:`graph.validate.compiled`) on a small in-memory store holding the batch, the entities it names
and the ontology. Checks whose answer may depend on another batch (entity shapes, references to
statements or stances elsewhere) are left for one run over the finished store
(:func:`global_checks`), so that the union of both runs is every constraint of the shapes file,
each run exactly once.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.build.plan import source_fingerprint
from graph.errors import Problem
from graph.model.ontology import default_ontology
from graph.model.records import Entity
from graph.model.vocab import QG
from graph.network.write import StatementRows, entity_index, relation_names, rows_of
from graph.processes import die_with_parent
from graph.rdf.quads import Iris, NQuads, ontology_quads
from graph.sources.loader import Loader, SourceFiles, Unit
from graph.validate.compiled import Check, compile_shapes, run_checks
from graph.validate.shacl import lines_of

#: Statement files of roughly this many bytes go to one worker task (a few thousand statements).
BATCH_BYTES = 1_500_000
#: Batches submitted ahead per worker: enough to keep it busy, few enough to bound the parent's memory.
IN_FLIGHT_PER_WORKER = 2
#: Paths whose values may live in another source's graph: checked once over the whole store.
CROSS_SOURCE_PATHS = frozenset({str(QG.regardingStatement), str(QG.negates)})
#: Shapes about entities, which every source shares: checked once over the whole store.
ENTITY_SHAPES = frozenset({"EntityShape", "StanceShape"})


def is_global(check: Check) -> bool:
    """Whether a check needs the whole graph (entities, cross-source references)."""
    return check.shape in ENTITY_SHAPES or (check.path is not None and check.path in CROSS_SOURCE_PATHS)


def workers_for(files: list[SourceFiles]) -> int:
    """How many processes are worth starting: one per core, never more than there are batches."""
    return max(1, min(os.cpu_count() or 1, len(batches(files))))


def batches(files: list[SourceFiles], size: int | None = None) -> list[list[SourceFiles]]:
    """Consecutive groups of sources of about ``size`` (default :data:`BATCH_BYTES`) bytes of statements each."""
    size = size or BATCH_BYTES
    groups: list[list[SourceFiles]] = []
    current: list[SourceFiles] = []
    weight = 0
    for item in files:
        current.append(item)
        weight += sum(p.stat().st_size for p in item.statement_files) + 1
        if weight >= size:
            groups.append(current)
            current, weight = [], 0
    if current:
        groups.append(current)
    return groups


@dataclass
class BatchOutcome:
    """What a worker sends back for one batch: the N-Quads and what the loader learned."""

    #: UTF-8: encoded here, so that the build hands it to Oxigraph as it comes (a str would be
    #: encoded for the pipe, decoded, and encoded again for the loader: 5.8 GB each way at a million)
    nquads: bytes
    units: dict[str, dict[str, Any]]
    problems: list[Problem]
    explicit_ids: dict[str, str]
    pending_regarding: list[tuple[str, int, str, str]]
    used_entities: set[str]
    violations: list[str]
    kept: list[Unit] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: the batch's statements as network-cache rows (graph.network.write), made here rather than read back from the store
    rows: StatementRows | None = None
    #: the hashes of each source's files (graph.build.plan), for a full build's manifest
    fingerprints: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Worker:
    """The state of one worker process: a loader, a writer and the compiled local checks."""

    def __init__(
        self,
        data_dir: Path,
        base_iri: str,
        entities: Mapping[str, Entity],
        validate: bool,
        keep: bool,
        fingerprint: bool = False,
        details: bool = False,
    ):
        self.fingerprint = fingerprint
        self.details = details
        self.onto = default_ontology()
        self.iris = Iris(base_iri)
        self.data_dir = data_dir
        self.entities = entities
        self.writer = NQuads(self.onto, self.iris)
        self.keep = keep
        self.checks: list[Check] = local_checks() if validate else []
        self.entity_numbers = entity_index(entities)
        self.relations = relation_names(self.onto)

    def run(self, files: list[SourceFiles]) -> BatchOutcome:
        loader = Loader(self.data_dir, self.onto)
        # CPU time, as the phases' names say ("(workers, cpu)", summed over the workers): until
        # 2026-12-04 this was wall time, which on two busy cores counts the time a worker waited
        # for one (502 s "reading and anchoring" in a 1,000,000 build whose scan and workers used
        # 409 s of CPU in all)
        clock = time.process_time
        started = clock()
        units: list[Unit] = []
        for source_files in files:
            unit = loader.load_unit(source_files, self.entities)
            if unit is not None:
                units.append(unit)
        loaded = clock()
        texts = [self.writer.unit_nquads(u.source, u.all_statements()) for u in units]
        nquads = "".join(texts).encode("utf-8")
        written = clock()
        violations = self.validate(nquads, loader.used_entities) if self.checks and not loader.problems.items else []
        return BatchOutcome(
            nquads=nquads,
            units={u.source.id: summary(u) for u in units},
            problems=loader.problems.items,
            explicit_ids=loader.explicit_ids,
            pending_regarding=loader.pending_regarding,
            used_entities=loader.used_entities,
            violations=violations,
            kept=units if self.keep else [],
            timings={"load and anchor": loaded - started, "convert to RDF": written - loaded, "validate (SHACL)": clock() - written},
            rows=rows_of(
                (s for u in units for s in u.all_statements()),
                self.entity_numbers,
                self.relations,
                {u.source.id: u.source.language for u in units} if self.details else None,
            ),
            fingerprints={f.id: source_fingerprint(f, self.data_dir) for f in files} if self.fingerprint else {},
        )

    def validate(self, nquads: bytes, used: set[str]) -> list[str]:
        return check_batch(self.writer, self.entities, nquads, used)


def summary(unit: Unit) -> dict[str, Any]:
    from collections import Counter

    return {
        "statements": len(unit.statements),
        "derived": len(unit.derived),
        "voices": dict(Counter(s.voice for s in unit.statements.values())),
    }


@cache
def _ontology_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.extend(ontology_quads())
    return store


_STATE: dict[str, _Worker] = {}
_HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while a worker is started; they are handled as soon as it runs.

    Starting a worker writes its arguments into a pipe that the new process reads only once it
    has imported its modules, a few seconds later. Interrupted in between, the new process read
    half a message and printed a traceback on the terminal. The signal mask is inherited, so the
    new worker holds them too until its initializer has set itself up.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _init(
    parent: int,
    data_dir: Path,
    base_iri: str,
    entities: Mapping[str, Entity],
    validate: bool,
    keep: bool,
    fingerprint: bool,
    details: bool,
) -> None:
    # first of all: end with the build, even when it is killed (kill -9 left every worker running)
    die_with_parent(parent)
    # Ctrl-C reaches the whole process group; the build stops its workers itself (run_batches)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held while we were started (held_signals)
    _STATE["worker"] = _Worker(data_dir, base_iri, entities, validate, keep, fingerprint, details)


def _run(files: list[SourceFiles]) -> BatchOutcome:
    return _STATE["worker"].run(files)


def run_batches(
    files: list[SourceFiles],
    data_dir: Path,
    base_iri: str,
    entities: Mapping[str, Entity],
    *,
    validate: bool,
    keep: bool,
    workers: int,
    fingerprint: bool = False,
    details: bool = False,
) -> Iterator[BatchOutcome]:
    """Every batch's outcome, in the order of ``files``, computed by ``workers`` processes (with
    ``fingerprint``, the sources' hashes too; with ``details``, the rows' detail lines)."""
    groups = batches(files)
    if workers <= 1:
        worker = _Worker(data_dir, base_iri, entities, validate, keep, fingerprint, details)
        for group in groups:
            yield worker.run(group)
        return
    # not "fork": the parent runs threads (RocksDB's, the progress display) that a forked child
    # would inherit in an unknown state. Not "forkserver" either: its workers are children of the
    # fork server, which lives as long as they do, so they cannot ask to die with the build.
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init,
        initargs=(os.getpid(), data_dir, base_iri, entities, validate, keep, fingerprint, details),
    )
    try:
        # not pool.map: it submits every batch at once, and when Oxigraph takes the N-Quads more
        # slowly than the workers write them, finished batches pile up in this process. A window
        # of IN_FLIGHT_PER_WORKER batches per worker keeps both busy and the memory bounded.
        pending: deque[Future[BatchOutcome]] = deque()
        queue = iter(groups)
        for group in itertools.islice(queue, workers * IN_FLIGHT_PER_WORKER):
            with held_signals():  # the first submits start the workers
                pending.append(pool.submit(_run, group))
        while pending:
            outcome = pending.popleft().result()
            for group in itertools.islice(queue, 1):
                pending.append(pool.submit(_run, group))
            yield outcome
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM) or failed: the batches in flight are not wanted any more,
        # and waiting for them (what leaving the pool's block does) could take minutes
        stop_workers(pool)
        raise
    pool.shutdown(wait=True)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers, wait until they are gone, then drop what was still queued."""
    # the executor offers no way to stop running tasks (Python 3.14 adds terminate_workers); and
    # the workers go first: shutting the pool down first removes the semaphores that a worker
    # still starting up is about to open, and it dies with a traceback on the terminal
    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        process.kill()
    for process in processes:
        process.join()
    pool.shutdown(wait=True, cancel_futures=True)


def local_checks() -> list[Check]:
    """Every check whose answer depends only on one batch, its entities and the ontology."""
    return [c for c in _compiled_shapes() if not is_global(c)]


@cache
def _compiled_shapes() -> tuple[Check, ...]:
    return tuple(compile_shapes(_ontology_store()))


def check_batch(writer: NQuads, entities: Mapping[str, Entity], nquads: bytes, used: set[str]) -> list[str]:
    """The local checks on an in-memory store of a batch's N-Quads, the entities it uses and the ontology.

    Workers call it for their batch; an incremental build calls it for the changed sources only,
    since the unchanged ones passed these very checks in the build it copies (a change to an
    entity, the ontology or the shapes forces a full build).
    """
    store = pyoxigraph.Store()
    store.extend(ontology_quads())
    text = "".join(writer.entity_nquads(entities[e]) for e in sorted(used) if e in entities)
    store.load(input=text.encode("utf-8") + nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    return lines_of(run_checks(store, local_checks()), writer.iris, limit=None)


def global_checks(store: pyoxigraph.Store, iris: Iris) -> list[str]:
    """The checks no batch could answer alone, over the finished store."""
    checks = [c for c in compile_shapes(store) if is_global(c)]
    return lines_of(run_checks(store, checks), iris, limit=None)
