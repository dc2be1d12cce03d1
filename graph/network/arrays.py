"""The cached network: entities and statements as numbered rows, walked with numpy.

Nodes are numbered in the order of their ids and statements in the order of theirs, so comparing
numbers compares ids: "sorted by id" needs no strings. The arrays (``network/*.npy``) hold, per
statement, its subject, object (-1 for a literal value), relation, voice, source, polarity and
whether it is a derived shortcut; and the undirected adjacency in CSR form (``indptr``, ``nbr``,
``eid``: for node ``i`` its neighbours ``nbr[indptr[i]:indptr[i+1]]``, sorted, once per statement
``eid``). Ids, IRIs, labels and names live in ``network.sqlite`` and are read only for the rows an
answer shows.

A walk keeps a mask of the statements it may follow (some voices only, shortcuts or not); a
breadth-first level is a handful of vectorised array operations, so even a hub with tens of
thousands of statements is crossed in milliseconds.
"""

from __future__ import annotations

import json
import mmap
import os
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from graph.errors import StoreError
from graph.network.files import (
    ARRAY_NAMES,
    ARRAYS_DIRNAME,
    CACHE_DIRNAME,
    DETAIL_FIELDS,
    DETAIL_OFFSETS_FILENAME,
    DETAILS_FILENAME,
    FORMAT,
    SQLITE_FILENAME,
    array_path,
    lines_match,
)

IntArray = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


class NetworkCache:
    """One build's network cache, opened read-only."""

    def __init__(self, directory: Path):
        self.directory = directory
        try:
            self._read(directory)
        except StoreError:
            raise
        except (sqlite3.Error, OSError, EOFError, ValueError, KeyError, TypeError) as exc:
            # a damaged or foreign cache must not end in a traceback: it is rebuilt from the store
            raise StoreError(f"the network cache in {directory} cannot be read ({exc}); run `kg build --full`") from None

    def _read(self, directory: Path) -> None:
        self.db = sqlite3.connect(f"file:{directory / SQLITE_FILENAME}?mode=ro", uri=True, check_same_thread=False)
        meta = {key: json.loads(value) for key, value in self.db.execute("SELECT key, value FROM meta")}
        if meta.get("format") != FORMAT:
            raise StoreError(f"the network cache in {directory} has format {meta.get('format')}, not {FORMAT}; run `kg build --full`")
        self.meta = meta
        self.relations: list[str] = meta["relations"]
        self.voices: list[str] = meta["voices"]
        self.labels: dict[str, dict[str, str]] = meta["labels"]
        arrays = load_arrays(directory)
        self.subj = arrays["subj"]
        self.obj = arrays["obj"]
        self.rel = arrays["rel"]
        self.voice = arrays["voice"]
        self.derived = arrays["derived"]
        self.source = arrays["source"]
        self.polarity = arrays["polarity"]
        self.statements_per_node = arrays["statements"]
        self.indptr = arrays["indptr"]
        self.nbr = arrays["nbr"]
        self.eid = arrays["eid"]
        self.n = int(meta["nodes"])
        self.m = int(meta["statements"])
        self._degree: IntArray | None = None
        self._detail_offsets: IntArray | None = None
        self._detail_lines: Any = None
        if meta.get("details") == list(DETAIL_FIELDS):
            offsets = np.load(directory / DETAIL_OFFSETS_FILENAME, mmap_mode="r", allow_pickle=False)
            size = (directory / DETAILS_FILENAME).stat().st_size
            if not lines_match(offsets, size, self.m):
                raise ValueError("its statement offsets do not match its statement lines")
            self._detail_offsets = offsets
        per_statement = (self.subj, self.obj, self.rel, self.voice, self.derived, self.source, self.polarity)
        if (
            any(len(a) != self.m for a in per_statement)
            or len(self.indptr) != self.n + 1
            or len(self.statements_per_node) != self.n
            or len(self.nbr) != len(self.eid)
        ):
            raise ValueError("its arrays do not match its counts")

    @classmethod
    def open(cls, directory: Path) -> NetworkCache | None:
        """The cache in ``directory``, or None if the build has none (made by an older version)."""
        if not (directory / SQLITE_FILENAME).is_file() or not (directory / ARRAYS_DIRNAME).is_dir():
            return None
        return cls(directory)

    def close(self) -> None:
        self.db.close()
        if isinstance(self._detail_lines, mmap.mmap):
            self._detail_lines.close()

    # --- what answers show of statements -------------------------------------------------------

    @property
    def has_details(self) -> bool:
        """Whether the build wrote each statement's detail line (``kg build`` does; a cache of another store has none)."""
        return self._detail_offsets is not None

    def details(self, statements: Sequence[int]) -> list[dict[str, Any]]:
        """The detail lines of statements (by number), as dicts of :data:`DETAIL_FIELDS`, in the order given.

        The file is mapped, not read: an answer touches the pages of the lines it shows.
        """
        assert self._detail_offsets is not None, "a cache without details (check has_details)"
        if self._detail_lines is None:
            try:
                with open(self.directory / DETAILS_FILENAME, "rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    # an empty file cannot be mapped, and holds no line to read
                    self._detail_lines = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else memoryview(b"")
            except OSError as exc:
                raise StoreError(f"the network cache in {self.directory} cannot be read ({exc}); run `kg build --full`") from None
        numbers = np.asarray(statements, dtype=np.int64)
        starts, ends = self._detail_offsets[numbers].tolist(), self._detail_offsets[numbers + 1].tolist()
        lines = self._detail_lines
        found = []
        for start, end in zip(starts, ends, strict=True):
            try:
                row = orjson.loads(lines[start:end])
            except ValueError:  # orjson.JSONDecodeError
                row = None
            if not _well_formed(row):
                raise StoreError(f"the network cache in {self.directory} has a damaged statement line; run `kg build --full`")
            found.append(dict(zip(DETAIL_FIELDS, row, strict=True)))
        return found

    # --- rows of the SQLite file -------------------------------------------------------------

    def _many(self, query: str, keys: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Run ``query`` (with one ``{marks}``) for chunks of ``keys`` (SQLite allows ~32,000 parameters)."""
        for start in range(0, len(keys), 30_000):
            chunk = list(keys[start : start + 30_000])
            yield from self.db.execute(query.format(marks=",".join("?" * len(chunk))), chunk)

    def ids(self, nodes: Sequence[int]) -> list[str]:
        """The entity ids of node numbers, in the order given."""
        found = dict(self._many("SELECT idx, id FROM nodes WHERE idx IN ({marks})", [int(i) for i in nodes]))
        return [found[int(i)] for i in nodes]

    def all_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM nodes ORDER BY idx")]

    def index(self, ident: str) -> int | None:
        row = self.db.execute("SELECT idx FROM nodes WHERE id = ?", (ident,)).fetchone()
        return None if row is None else int(row[0])

    def indices(self, idents: Collection[str]) -> dict[str, int]:
        return {ident: int(i) for ident, i in self._many("SELECT id, idx FROM nodes WHERE id IN ({marks})", sorted(idents))}

    def attrs(self, nodes: Sequence[int]) -> dict[str, dict[str, Any]]:
        """Entity id → its node attributes (as :func:`graph.network.projection.project` gives them)."""
        return {
            ident: json.loads(attrs)
            for ident, attrs in self._many("SELECT id, attrs FROM nodes WHERE idx IN ({marks})", sorted({int(i) for i in nodes}))
        }

    def attrs_by_iri(self, iris: Collection[str]) -> dict[str, dict[str, Any]]:
        """Entity IRI → node attributes, for the entities among ``iris``."""
        return {iri: json.loads(attrs) for iri, attrs in self._many("SELECT iri, attrs FROM nodes WHERE iri IN ({marks})", sorted(iris))}

    def statement_iris(self, statements: Sequence[int]) -> list[str]:
        found = dict(self._many("SELECT idx, iri FROM statements WHERE idx IN ({marks})", [int(i) for i in statements]))
        return [found[int(i)] for i in statements]

    def source_index(self, ident: str) -> int | None:
        row = self.db.execute("SELECT idx FROM sources WHERE id = ?", (ident,)).fetchone()
        return None if row is None else int(row[0])

    def source_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM sources ORDER BY idx")]

    def sources(self, numbers: Collection[int]) -> dict[int, dict[str, str]]:
        """Source number → IRI, id, title and date."""
        query = "SELECT idx, iri, id, title, date FROM sources WHERE idx IN ({marks})"
        found = self._many(query, sorted(int(n) for n in numbers))
        return {int(n): {"iri": iri, "id": i, "title": t, "date": d} for n, iri, i, t, d in found}

    # --- masks and walks -----------------------------------------------------------------------

    def mask(self, voices: Collection[str] | None = None, derived: bool = True) -> Mask:
        """The entity-to-entity statements a walk may follow: in ``voices`` (all if None), shortcuts if ``derived``."""
        keep: Mask = self.obj >= 0
        if voices:
            codes = [self.voices.index(v) for v in voices if v in self.voices]
            keep &= np.isin(self.voice, codes)
        if not derived:
            keep &= ~self.derived
        return keep

    @property
    def degree(self) -> IntArray:
        """Distinct neighbours of every node over all statements (a self-loop counts as one)."""
        if self._degree is None:
            node = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.indptr))
            pairs = np.unique(node * self.n + self.nbr.astype(np.int64))
            self._degree = np.bincount(pairs // self.n, minlength=self.n).astype(np.int64)
        return self._degree

    def _entries(self, nodes: IntArray) -> IntArray:
        """Positions in ``nbr``/``eid`` of every adjacency entry of ``nodes``."""
        starts = self.indptr[nodes]
        lengths = self.indptr[nodes + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return offsets + np.arange(total, dtype=np.int64)

    def neighbours_of(self, node: int, mask: Mask) -> tuple[IntArray, IntArray]:
        """(neighbour, statement) pairs of one node over allowed statements, by neighbour then statement."""
        lo, hi = int(self.indptr[node]), int(self.indptr[node + 1])
        nbr, eid = self.nbr[lo:hi].astype(np.int64), self.eid[lo:hi].astype(np.int64)
        ok = mask[eid]
        return nbr[ok], eid[ok]

    def distances(self, start: int, mask: Mask, cutoff: int | None = None, until: int | None = None) -> IntArray:
        """Steps from ``start`` to every node (-1: farther than ``cutoff``, or not reached).

        With ``until``, the walk stops after the level that reaches that node.
        """
        dist = np.full(self.n, -1, dtype=np.int64)
        dist[start] = 0
        frontier = np.array([start], dtype=np.int64)
        level = 0
        while len(frontier) and (cutoff is None or level < cutoff) and (until is None or dist[until] < 0):
            entries = self._entries(frontier)
            entries = entries[mask[self.eid[entries]]]
            reached = self.nbr[entries].astype(np.int64)
            reached = np.unique(reached[dist[reached] < 0])
            level += 1
            dist[reached] = level
            frontier = reached
        return dist

    def links_towards(self, targets: IntArray, dist: IntArray, mask: Mask) -> dict[int, dict[int, list[int]]]:
        """For each target node, the nodes one step nearer to the start and the statements between them."""
        found: dict[int, dict[int, list[int]]] = {int(t): {} for t in targets}
        entries = self._entries(targets)
        owner = np.repeat(targets, self.indptr[targets + 1] - self.indptr[targets])
        eid = self.eid[entries].astype(np.int64)
        nbr = self.nbr[entries].astype(np.int64)
        keep = mask[eid] & (dist[nbr] == dist[owner] - 1) & (dist[nbr] >= 0)
        for target, near, statement in zip(owner[keep].tolist(), nbr[keep].tolist(), eid[keep].tolist(), strict=True):
            found[target].setdefault(near, []).append(statement)
        return found

    def shortest_paths(self, start: int, end: int, mask: Mask, limit: int) -> tuple[list[list[int]], bool]:
        """The first ``limit`` shortest paths in the order of their node ids (direction ignored), and whether there are more."""
        from_start = self.distances(start, mask, until=end)
        length = int(from_start[end])
        if length < 0:
            return [], False
        from_end = self.distances(end, mask, cutoff=length)
        on_path = (from_start >= 0) & (from_end >= 0) & (from_start + from_end == length)
        paths: list[list[int]] = []

        def extend(path: list[int]) -> bool:
            """Depth first in id order; False once more than ``limit`` paths are found."""
            here = path[-1]
            if here == end:
                paths.append(list(path))
                return len(paths) <= limit
            step = len(path)
            nbr, _ = self.neighbours_of(here, mask)
            for nxt in np.unique(nbr[on_path[nbr] & (from_start[nbr] == step)]).tolist():
                path.append(nxt)
                going = extend(path)
                path.pop()
                if not going:
                    return False
            return True

        extend([start])
        return paths[:limit], len(paths) > limit

    def statements_between(self, pairs: Collection[tuple[int, int]], mask: Mask) -> dict[tuple[int, int], list[int]]:
        """Allowed statements between each pair of nodes, in either direction."""
        found: dict[tuple[int, int], list[int]] = {}
        for a, b in pairs:
            nbr, eid = self.neighbours_of(a, mask)
            found[a, b] = eid[nbr == b].tolist()
        return found

    def induced(self, nodes: IntArray, mask: Mask) -> IntArray:
        """Every allowed statement between two of ``nodes`` (both ends inside)."""
        inside = np.zeros(self.n, dtype=np.bool_)
        inside[nodes] = True
        return np.flatnonzero(mask & (self.obj >= 0) & inside[self.subj] & inside[np.maximum(self.obj, 0)]).astype(np.int64)

    def attribute_statements(self, nodes: IntArray, statements: Mask | None = None) -> IntArray:
        """Statements with a literal value (``describedAs``) whose subject is one of ``nodes``."""
        inside = np.zeros(self.n, dtype=np.bool_)
        inside[nodes] = True
        keep = (self.obj < 0) & inside[self.subj]
        if statements is not None:
            keep &= statements
        return np.flatnonzero(keep).astype(np.int64)


#: the type of each field of a statement line, in the order of DETAIL_FIELDS
_LINE_TYPES = (str, str, str, str, str, str, int, list, list, list, str)
_QUOTE_TYPES = (str, int, int, str, str)


def _well_formed(row: Any) -> bool:
    """Whether a parsed statement line has the fields, types and quotes :data:`DETAIL_FIELDS` says."""
    return (
        isinstance(row, list)
        and len(row) == len(_LINE_TYPES)
        and all(isinstance(value, kind) for value, kind in zip(row, _LINE_TYPES, strict=True))
        and all(
            isinstance(q, list) and len(q) == len(_QUOTE_TYPES) and all(isinstance(v, k) for v, k in zip(q, _QUOTE_TYPES, strict=True))
            for q in row[7]
        )
        and all(isinstance(ident, str) for ident in (*row[8], *row[9]))
    )


def load_arrays(cache_dir: Path) -> dict[str, Any]:
    """The cache's arrays, memory-mapped read-only (pages are read when a walk touches them)."""
    return {name: np.load(array_path(cache_dir, name), mmap_mode="r", allow_pickle=False) for name in ARRAY_NAMES}


def open_cache(build_dir: Path) -> NetworkCache | None:
    """The network cache of a build, or None if it has none."""
    return NetworkCache.open(build_dir / CACHE_DIRNAME)
