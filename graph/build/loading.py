"""Streaming sources into the store: loaded, anchored and converted in this process or in workers.

:class:`Loading` turns the sources of a build into N-Quads text, chunk by chunk, that Oxigraph's
bulk loader parses straight into RocksDB (:class:`TextStream`), so memory is bounded by the
largest source and the loader's batches, never by the corpus. From a few batches of statements
on, worker processes (:mod:`graph.build.workers`) do the loading and the batch checks, one per core.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import io
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pyoxigraph

from graph.build import workers
from graph.build.plan import source_fingerprint
from graph.network.lines import DetailSpill
from graph.network.write import StatementRows, entity_index, relation_names, rows_of
from graph.progress import Phases
from graph.rdf.quads import NQuads, ontology_quads
from graph.sources.loader import Loader, Scan, SourceFiles, Unit
from graph.sources.stored import StoredEntities

#: From this many batches of statements (graph.build.workers.BATCH_BYTES each) sources are loaded and
#: checked by worker processes, one per core.
PARALLEL_FROM_BATCHES = 2
#: Up to this many statements the loaded records and quads stay in memory (for tests and API use).
KEEP_RECORDS_UP_TO = 20_000
#: The entities graph written by a scan in another process is handed to Oxigraph in pieces of this size.
ENTITY_CHUNK_BYTES = 4_000_000
#: While Oxigraph loads, the build process gives its freed memory back at most this often (:func:`give_back_memory`).
GIVE_BACK_EVERY_S = 2.0


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None  # not glibc (musl has no malloc_trim): nothing to call
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    call: Callable[[int], int] = trim
    return call


def give_back_memory() -> None:
    """Return the free pages of every malloc arena to the system (glibc's ``malloc_trim``).

    Oxigraph's bulk loader sorts each batch of quads on its own threads, and glibc keeps what
    they free in its arenas, where it counts in the build's RSS until it is reused. Sampled every
    5 s during a 1,000,000-statement build (2026-12-03), the build process never fell below
    1.45 GB between the loader's batches and peaked at 2,163 MB (1.19× the floor's 1,821 MB);
    with this every 2 s, its troughs were 1.07–1.3 GB and its peak 1,930 MB (1.06× the floor's
    1,814 MB in the same run), and its time 2.05× the floor's against 2.08×. For comparison,
    the same N-Quads handed to the bulk loader at the build's pace (9.4 MB/s) by a process that
    held nothing else peaked at 1,228 MB, and at 1,749 MB read from the file at full speed.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class TextStream(io.RawIOBase):
    """A binary file over an iterator of chunks (text, or UTF-8 bytes from the workers), read lazily by Oxigraph's bulk loader."""

    def __init__(self, chunks: Iterator[str | bytes]):
        self._chunks = chunks
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = memoryview(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


class Loading:
    """Streams units into a store and keeps what the manifest and the summary need."""

    def __init__(
        self,
        loader: Loader,
        scan: Scan,
        writer: NQuads,
        phases: Phases,
        keep: bool,
        engine: str = "auto",
        validate: bool = True,
        check_locally: bool = False,
        fingerprint: bool = False,
        details: DetailSpill | None = None,
        on_input_end: Callable[[Loading], None] | None = None,
    ):
        self.loader = loader
        self.scan = scan
        self.writer = writer
        self.phases = phases
        self.keep = keep
        self.engine = engine
        self.validate = validate
        self.units: dict[str, dict[str, Any]] = {}
        self.kept_units: list[Unit] = []
        self.kept_text: list[str] = []
        self.loaded_statements = 0
        #: set when the sources were loaded (and checked batch by batch) by worker processes
        self.batch_checked = False
        #: check the loaded sources with the local checks as they pass (an incremental build)
        self.check_locally = check_locally and validate
        self.violations: list[str] = []
        #: the loaded statements as network-cache rows, batch by batch (graph.network.write)
        self.rows: list[StatementRows] = []
        #: with a spill: the rows carry what answers show of each statement, kept in that file until the cache is written
        self.details = details
        #: with ``fingerprint``: the hashes of every loaded source's files, made where it is loaded (graph.build.plan)
        self.fingerprint = fingerprint
        self.fingerprints: dict[str, dict[str, Any]] = {}
        self._relations = relation_names(loader.onto)
        #: called once every source has been read and handed to Oxigraph, while its loader still writes (graph.build.beside)
        self.on_input_end = on_input_end
        if isinstance(scan.entities, StoredEntities):
            # another process scanned a big folder: no records, quads or entity table in this one
            self.keep = False

    @functools.cached_property
    def _numbers(self) -> dict[str, int]:
        """Entity id → row number, for the rows of sources loaded in this process (workers make their own)."""
        return entity_index(self.scan.entities)

    def _entity_chunks(self) -> Iterator[str | bytes]:
        """The entities graph: written by the process that scanned (a big folder), or here."""
        entities = self.scan.entities
        if isinstance(entities, StoredEntities) and entities.nquads is not None:
            with open(entities.nquads, "rb") as handle:
                while chunk := handle.read(ENTITY_CHUNK_BYTES):
                    yield chunk
            return
        text = "".join(self.writer.entity_nquads(e) for e in entities.values())
        self._kept(text)
        yield text

    def chunks(self, files: Iterable[SourceFiles], shared: bool, advance: Callable[[int], None]) -> Iterator[str | bytes]:
        if shared:
            yield from self._entity_chunks()
        files = list(files)
        if self._parallel(files):
            yield from self._parallel_chunks(files, advance)
            return
        load_time = rdf_time = 0.0
        clock = time.perf_counter
        loaded_text: list[str] = []
        for source_files in files:
            started = clock()
            unit = self.loader.load_unit(source_files, self.scan.entities)
            loaded = clock()
            load_time += loaded - started
            if unit is None:
                advance(1)
                continue
            statements = unit.all_statements()
            text = self.writer.unit_nquads(unit.source, statements)
            languages = {unit.source.id: unit.source.language} if self.details is not None else None
            self._add_rows(rows_of(statements, self._numbers, self._relations, languages))
            if self.fingerprint:
                self.fingerprints[unit.source.id] = source_fingerprint(source_files, self.loader.root)
            rdf_time += clock() - loaded
            self.units[unit.source.id] = {
                "statements": len(unit.statements),
                "derived": len(unit.derived),
                "voices": dict(Counter(s.voice for s in unit.statements.values())),
            }
            self.loaded_statements += len(statements)
            if self.check_locally:
                loaded_text.append(text)
            if self.keep:
                self.kept_units.append(unit)
                self._kept(text)
                if self.loaded_statements > KEEP_RECORDS_UP_TO:
                    self.keep = False
                    self.kept_units.clear()
                    self.kept_text.clear()
            advance(1)
            yield text
        self.phases.add("load and anchor", load_time)
        self.phases.add("convert to RDF", rdf_time)
        if self.check_locally:
            self._check_loaded("".join(loaded_text))

    def _check_loaded(self, nquads: str) -> None:
        """The batch checks on the sources just loaded; whole-graph checks follow over the store."""
        self.batch_checked = True
        if self.loader.problems.items or not nquads:
            return  # a data error is reported instead; nothing loaded, nothing to check
        started = time.perf_counter()
        self.violations.extend(workers.check_batch(self.writer, self.scan.entities, nquads.encode("utf-8"), self.loader.used_entities))
        self.phases.add("validate (SHACL, changed sources)", time.perf_counter() - started)

    def _parallel(self, files: list[SourceFiles]) -> bool:
        """Worker processes pay off once there are several batches' worth of statements."""
        if self.engine == "pyshacl":
            return False  # pySHACL wants the whole graph at the end; keep the reference path simple
        return len(workers.batches(files)) >= PARALLEL_FROM_BATCHES

    def _parallel_chunks(self, files: list[SourceFiles], advance: Callable[[int], None]) -> Iterator[bytes]:
        self.batch_checked = self.validate
        self.keep = False
        self.kept_units.clear()
        self.kept_text.clear()
        loader = self.loader
        outcomes = workers.run_batches(
            files,
            loader.root,
            self.writer.iris.base,
            self.scan.entities,
            validate=self.validate,
            keep=False,
            workers=workers.workers_for(files),
            fingerprint=self.fingerprint,
            details=self.details is not None,
        )
        trimmed = time.monotonic()
        for outcome in outcomes:
            if time.monotonic() - trimmed > GIVE_BACK_EVERY_S:
                give_back_memory()
                trimmed = time.monotonic()
            loader.problems.extend(outcome.problems)
            for ident, where in outcome.explicit_ids.items():
                first = loader.explicit_ids.get(ident)
                if first is not None:
                    file, _, line = where.rpartition(":")
                    loader.problems.add(file, int(line), "id", f"duplicate statement id '{ident}' (first at {first})")
                else:
                    loader.explicit_ids[ident] = where
            loader.pending_regarding.extend(outcome.pending_regarding)
            loader.used_entities |= outcome.used_entities
            self.units.update(outcome.units)
            self.violations.extend(outcome.violations)
            if outcome.rows is not None:
                self._add_rows(outcome.rows)
            self.fingerprints.update(outcome.fingerprints)
            self.loaded_statements += sum(u["statements"] + u["derived"] for u in outcome.units.values())
            for name, seconds in outcome.timings.items():
                self.phases.add(f"{name} (workers, cpu)", seconds)
            advance(len(outcome.units))
            yield outcome.nquads
        loader.statement_ids |= self._referenced()

    def _add_rows(self, rows: StatementRows) -> None:
        if self.details is not None and rows.details is not None:
            rows = dataclasses.replace(rows, details=self.details.keep(rows.details))
        self.rows.append(rows)

    def _referenced(self) -> set[str]:
        """The loaded statements that a ``regarding`` names, and for each name not found its neighbours in id order.

        The loader checks every ``regarding`` against the statement ids it loaded; from workers,
        a set of every id would hold a million strings in this process for the whole build
        (about 100 MB). The rows have every id already: the few names asked for are looked up in
        them, sorted once. The neighbours of a missing name are what the loader's "did you mean"
        can suggest.
        """
        refs = sorted({ref for *_where, ref in self.loader.pending_regarding})
        parts = [rows.ids[~rows.derived] for rows in self.rows if len(rows)]
        if not refs or not parts:
            return set()
        ids = np.sort(np.concatenate(parts))
        wanted = np.array([ref.encode("utf-8") for ref in refs], dtype=np.bytes_)
        at = np.searchsorted(ids, wanted)
        near = np.unique(np.clip(np.concatenate([at - 1, at]), 0, len(ids) - 1))
        return {ident.decode("utf-8") for ident in ids[near].tolist()}

    def _kept(self, text: str) -> None:
        if self.keep:
            self.kept_text.append(text)

    def _ending(self, chunks: Iterator[str | bytes]) -> Iterator[str | bytes]:
        """The chunks, then :attr:`on_input_end`: Oxigraph asks for more after the last one only once it has taken it whole."""
        yield from chunks
        if self.on_input_end is not None:
            self.on_input_end(self)

    def load(self, store: pyoxigraph.Store, files: list[SourceFiles], shared: bool) -> None:
        before = dict(self.phases.timings)
        with self.phases.phase("load, anchor and store", total=len(files), unit="sources") as advance:
            if shared:
                store.extend(ontology_quads())
            store.bulk_load(TextStream(self._ending(self.chunks(files, shared, advance))), format=pyoxigraph.RdfFormat.N_QUADS)  # type: ignore[arg-type]
            store.flush()
        if any("workers, cpu" in name for name in self.phases.timings):
            return  # the work overlapped in other processes: keep the wall time of the whole phase
        total = self.phases.timings.pop("load, anchor and store") - before.get("load, anchor and store", 0.0)
        inner = sum(self.phases.timings.get(k, 0.0) - before.get(k, 0.0) for k in ("load and anchor", "convert to RDF"))
        self.phases.add("load store", max(0.0, total - inner))
