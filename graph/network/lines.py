"""The statements' detail lines of the network cache: made where a statement is loaded, spilled, written in order.

What an answer shows of a statement beyond the cache's numbers (:data:`graph.network.files.DETAIL_FIELDS`)
is one line of JSON per statement in ``statements.jsonl``, found by ``statements.offsets.npy``
(:mod:`graph.network.files`). A line is made from the record the statement's RDF is written
from (:func:`detail_line`), in the worker that loads it; the build process appends the lines to a
file of its staging folder while Oxigraph loads (:class:`DetailSpill`), keeping only where each
row's line is (:class:`Details`), and writes them in statement order with the cache
(:class:`JoinedLines`). Reading them (``graph.network.arrays.NetworkCache.details``) replaced some
8,000 RocksDB seeks per ``kg neighbors --depth 2`` at a million statements (README, Performance).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from graph.model import dates
from graph.model.records import Statement
from graph.network.files import DETAIL_OFFSETS_FILENAME, DETAILS_FILENAME, lines_match
from graph.store.builds import write_atomically

IntArray = npt.NDArray[Any]


def detail_line(stmt: Statement, language: str) -> bytes:
    """What an answer shows of a statement beside the cache's numbers (:data:`DETAIL_FIELDS`), as one line of JSON.

    The same values :mod:`graph.network.details` reads from the store, taken from the record the
    RDF was written from: who asserts it (``asserted_by`` also for words quoted from a document),
    its quotes (a shortcut's are its parts'), one per span, in text order.
    """
    quotes = {(q.start, q.end): [q.exact, q.start, q.end, q.prefix or "", q.suffix or ""] for q in reversed(stmt.quotes)}
    fields = [
        stmt.id,
        stmt.asserted_by,
        stmt.expressed_in or "",
        stmt.translation or "",
        stmt.when or "",
        dates.text(stmt.date) if stmt.date else "",
        1 if stmt.hedged else 0,
        [quotes[key] for key in sorted(quotes)],
        # sets, as in the store: a triple written twice is one triple
        sorted(set(stmt.derived_from)) if stmt.is_derived else [],
        sorted(set(stmt.regarding)),
        language,
    ]
    # orjson: a line costs 10 µs where json's took 24 µs (rows_of on the bundled statements,
    # 2026-12-03, the other core busy): some 10 s of the workers' CPU at a million statements.
    # Compact, UTF-8, and no raw newline inside a line, as the reader expects.
    return orjson.dumps(fields) + b"\n"


@dataclass
class Details:
    """Where the detail lines of some rows are: in ``blob`` (just made) or in ``file`` (spilled, or a previous cache's).

    ``start``/``end`` are each row's byte range in the one or the other. The lines of a million
    statements are about 284 MB: the build keeps them in a file of its staging folder while it
    loads (:class:`DetailSpill`), and only their offsets in memory.
    """

    start: IntArray
    end: IntArray
    blob: bytes | None = None
    file: Path | None = None

    def select(self, keep: npt.NDArray[np.bool_]) -> Details:
        return Details(self.start[keep], self.end[keep], self.blob, self.file)


class DetailSpill:
    """A file of the build's staging folder where the detail lines of loaded rows wait for the cache.

    Rows arrive with their lines in memory (from a worker, or made in the build process);
    :meth:`keep` appends the lines to the file and says where they are now. The file goes with the staging folder
    when a build fails, and is deleted once the cache is written (:meth:`close`).
    """

    def __init__(self, path: Path):
        self.path = path
        self._handle: Any = None

    def keep(self, details: Details) -> Details:
        """The same lines, now in the spill (lines already in a file stay where they are)."""
        if details.blob is None:
            return details
        if self._handle is None:
            self._handle = open(self.path, "wb")  # noqa: SIM115 - open for the whole load, closed in close()
        base = self._handle.tell()
        self._handle.write(details.blob)
        return Details(details.start + base, details.end + base, None, self.path)

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> DetailSpill:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def previous_lines(cache_dir: Path, count: int) -> Details:
    """Where the lines of a previous build's ``count`` statements are; ValueError if they do not match.

    The lines stay in the previous build's file, which is kept until the new build is published.
    Checked here, where a damaged previous cache still means "read everything back"
    (``graph.build.pipeline._write_cache``).
    """
    offsets = np.load(cache_dir / DETAIL_OFFSETS_FILENAME, allow_pickle=False)
    lines = cache_dir / DETAILS_FILENAME
    if not (lines_match(offsets, lines.stat().st_size, count) and bool((np.diff(offsets) >= 0).all())):
        raise ValueError("the previous network cache's statement offsets do not match its statements")
    offsets = offsets.astype(np.int64)
    return Details(offsets[:-1], offsets[1:], None, lines)


@dataclass
class JoinedLines:
    """The detail lines of joined rows: row ``i``'s is ``[start[i], end[i])`` of ``parts[part[i]]``'s blob or file."""

    parts: list[Details]
    part: IntArray
    start: IntArray
    end: IntArray

    def write(self, directory: Path) -> None:
        """``statements.jsonl`` in row order, and its offsets; each written under a temporary name and renamed.

        The spilled lines are read with ``pread``, not through a memory map: the pages of a mapped
        file count in the process's RSS, the page cache does not. Reading the 284 MB of lines of a
        million statements in random order through a map added 286 MB to a process's RSS, with
        ``pread`` nothing but the index lists (2026-12-03); the build that mapped them peaked at
        2,111 MB, 1.15× the floor's 1,838 MB, where the build before the lines peaked at 1.06×.
        """
        with contextlib.ExitStack() as stack:
            readers: list[Any] = []
            opened: dict[Path, int] = {}  # the parts share a file or two (the spill, the previous cache's lines)
            for details in self.parts:
                if details.blob is not None:
                    readers.append(lambda start, end, blob=details.blob: blob[start:end])
                    continue
                assert details.file is not None
                if details.file not in opened:
                    opened[details.file] = os.open(details.file, os.O_RDONLY)
                    stack.callback(os.close, opened[details.file])
                readers.append(lambda start, end, fd=opened[details.file]: os.pread(fd, end - start, start))
            lengths = self.end - self.start
            offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])

            def lines(handle: Any) -> None:
                # in slices: three lists of a million Python ints would be some 100 MB more
                for at in range(0, len(lengths), 65_536):
                    span = slice(at, at + 65_536)
                    for k, start, end in zip(self.part[span].tolist(), self.start[span].tolist(), self.end[span].tolist(), strict=True):
                        line = readers[k](start, end)
                        if len(line) != end - start:
                            raise OSError(f"{self.parts[k].file} ended before the statement line at byte {start}")
                        handle.write(line)

            write_atomically(directory / DETAILS_FILENAME, lines)
        write_atomically(directory / DETAIL_OFFSETS_FILENAME, lambda handle: np.save(handle, offsets, allow_pickle=False))
