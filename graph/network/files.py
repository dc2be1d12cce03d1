"""What a build caches beside its store so that questions stay fast at a million statements.

``kg build`` writes, inside the build folder (published atomically with the store, rebuilt with
it, by :func:`graph.network.write.write_network_cache`)::

    cache/dataset.json      the default graph of queries (every graph but the claims graphs)
    cache/network/*.npy     the network as numbered arrays, one file each: each statement's
                            ends, relation, voice, source and polarity; the undirected
                            adjacency (CSR); memory-mapped, not read, when a command opens them
    cache/network.sqlite    ids, IRIs and attributes of entities, statement IRIs, sources, and
                            every folded name of every entity (the name index of lookups)
    cache/statements.jsonl  what an answer shows of each statement beside the arrays (its id,
                            who asserts it, quotes with offsets and context, translation, time,
                            references), one JSON array per line in statement order; with
    cache/statements.offsets.npy  where each line starts (and where the last ends)

Multi-hop questions (``kg path``, ``kg neighbors``, ``kg central``, ``kg communities``) and the
selection of a large graph's view walk the arrays (:mod:`graph.network.arrays`) instead of joining
statements in SPARQL, then read full statements only for what they show
(:mod:`graph.network.details`): from ``statements.jsonl`` when the build wrote it, from the store
otherwise (a cache written for a store made without ``kg build``). Every build writes the cache; a
command that finds none says so.
"""

import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from graph.query.dataset import CACHE_DIRNAME

#: a folder of one ``.npy`` file per array: NumPy maps such a file into memory at once, where
#: reading the arrays out of one ``network.npz`` (a zip file, checksummed on every read) was most
#: of the time each ``kg neighbors`` took to open the cache (README, Performance)
ARRAYS_DIRNAME = "network"
ARRAY_NAMES = ("subj", "obj", "rel", "voice", "derived", "source", "polarity", "statements", "indptr", "nbr", "eid")
SQLITE_FILENAME = "network.sqlite"
#: one line per statement, made where the statement is loaded (graph.network.lines.detail_line)
DETAILS_FILENAME = "statements.jsonl"
#: int64, one more than there are statements: line ``i`` is ``[offsets[i], offsets[i + 1])``
DETAIL_OFFSETS_FILENAME = "statements.offsets.npy"
#: what each line holds, in order; ``quotes`` is a list of [exact, start, end, prefix, suffix] in
#: text order, ``lang`` the source's language, ``hedged`` 0 or 1; a statement's literal value is
#: not among them (Oxigraph writes typed values in its own canonical form: it is read from the store)
DETAIL_FIELDS = (
    "id",
    "asserted_by",
    "expressed_in",
    "translation",
    "when",
    "date",
    "hedged",
    "quotes",
    "derived_from",
    "regarding",
    "lang",
)
#: bumped whenever the layout of the files changes; a reader refuses other versions (the two
#: statement files are optional: a cache without them is read as before, its details from the store)
FORMAT = 2


def lines_match(offsets: Any, size: int, count: int | None = None) -> bool:
    """Whether ``offsets`` (integers, the first 0, the last ``size``; ``count`` + 1 of them if given)
    can index a file of statement lines of ``size`` bytes."""
    return bool(
        np.issubdtype(offsets.dtype, np.integer)
        and len(offsets) > 0
        and (count is None or len(offsets) == count + 1)
        and offsets[0] == 0
        and int(offsets[-1]) == size
    )


def has_statement_lines(cache_dir: Path) -> bool:
    """Whether the cache in ``cache_dir`` has the statements' detail lines (``kg build`` writes
    them since 2026-12-03; an incremental build can only keep lines that its previous build has)."""
    try:
        db = sqlite3.connect(f"file:{cache_dir / SQLITE_FILENAME}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'details'").fetchone()
        finally:
            db.close()
        fields = json.loads(row[0]) if row is not None else None
        if fields != list(DETAIL_FIELDS):
            return False
        offsets = np.load(cache_dir / DETAIL_OFFSETS_FILENAME, mmap_mode="r", allow_pickle=False)
        # a truncated or replaced file of lines is no file of these lines
        return lines_match(offsets, (cache_dir / DETAILS_FILENAME).stat().st_size)
    except (sqlite3.Error, OSError, ValueError, TypeError):
        return False


def array_path(cache_dir: Path, name: str) -> Path:
    """Where the array ``name`` of the cache in ``cache_dir`` is stored."""
    return cache_dir / ARRAYS_DIRNAME / f"{name}.npy"


__all__ = [
    "ARRAYS_DIRNAME",
    "ARRAY_NAMES",
    "CACHE_DIRNAME",
    "DETAILS_FILENAME",
    "DETAIL_FIELDS",
    "DETAIL_OFFSETS_FILENAME",
    "FORMAT",
    "SQLITE_FILENAME",
    "array_path",
    "has_statement_lines",
    "lines_match",
]
