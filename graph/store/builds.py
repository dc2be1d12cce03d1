"""The output folder: Oxigraph stores and exports, replaced atomically on every build.

Layout of an output folder (``./quotegraph-out`` unless ``--out`` says otherwise)::

    current -> builds/<build-id>     symlink, swapped atomically when a build succeeds
    builds/<build-id>/store/         the Oxigraph (RocksDB) store
    builds/<build-id>/export/        quotegraph.ttl, .nt, .jsonld, .trig, .nq, .rdf
    builds/<build-id>/build.json     what was built from what, with counts and timings
    .lock                            held while a build runs

A build writes a complete new build folder and only then points ``current`` at it with one
``rename`` of a symlink, which POSIX makes atomic. A failed or interrupted build leaves the
previous store and exports untouched; readers never see half a graph. The previous build is
kept until the next success, so a reader that opened it keeps working.

pyoxigraph is used directly (not through oxrdflib): queries run on Oxigraph's engine, literals
and language tags come back as stored, and the store is opened read-only for everything but the
build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.errors import StoreError
from graph.model.vocab import QG

STORE_DIRNAME = "store"
EXPORT_DIRNAME = "export"
MANIFEST_NAME = "build.json"


@dataclass(frozen=True)
class OutDir:
    """An output folder; see the module docstring for its layout.

    ``pinned`` names one build folder of it to read instead of the one ``current`` points at
    (``kg query --build quotegraph-out/builds/<id>``); see :meth:`for_reading`.
    """

    root: Path
    pinned: Path | None = None

    @classmethod
    def for_reading(cls, path: Path) -> OutDir:
        """An output folder (its current build is read) or one build folder inside it."""
        if not (path / "current").is_symlink() and (path / MANIFEST_NAME).is_file() and (path / STORE_DIRNAME).is_dir():
            return cls(path.resolve().parent.parent, pinned=path.resolve())
        return cls(path)

    @property
    def current_link(self) -> Path:
        return self.root / "current"

    @property
    def builds(self) -> Path:
        return self.root / "builds"

    def current(self) -> Path:
        """The build folder ``current`` points at (or the pinned one); :class:`StoreError` if nothing was built yet."""
        if self.pinned is not None:
            return self.pinned
        link = self.current_link
        if not link.is_symlink():
            if link.exists():
                raise StoreError(f"{link} is not a symlink; this folder was not written by kg build")
            raise StoreError(f"no graph built in {self.root}; run `kg build` first (or say which build to read with --build)")
        target = link.resolve()
        if not (target / STORE_DIRNAME).is_dir():
            raise StoreError(f"{link} points to {target}, which holds no store; run `kg build` again")
        return target

    def manifest(self) -> dict[str, Any]:
        manifest: dict[str, Any] = json.loads((self.current() / MANIFEST_NAME).read_text(encoding="utf-8"))
        return manifest

    def export_dir(self) -> Path:
        return self.current() / EXPORT_DIRNAME

    def open_store(self) -> pyoxigraph.Store:
        """The current store, read-only: any number of readers, never a write."""
        path = self.current() / STORE_DIRNAME
        try:
            return pyoxigraph.Store.read_only(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"another build is writing to {root}; wait for it to finish") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def new_build(out: OutDir) -> Iterator[Path]:
    """Yield an empty folder to build into; publish it as ``current`` only if the block succeeds."""
    if out.current_link.exists() and not out.current_link.is_symlink():
        raise StoreError(f"{out.current_link} is not a symlink; refusing to write into a folder kg build did not create")
    created_root = not out.root.exists()
    try:
        with _locked(out.root):
            yield from _staged(out)
    except BaseException:
        if created_root:  # a first build that failed leaves no trace, not even an empty folder
            shutil.rmtree(out.root, ignore_errors=True)
        raise


def _staged(out: OutDir) -> Iterator[Path]:
    """Build into a staging folder; rename it and swap ``current`` only when the block succeeds."""
    out.builds.mkdir(parents=True, exist_ok=True)
    build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    staging = out.builds / f".staging-{build_id}"
    staging.mkdir()
    try:
        yield staging
        final = out.builds / build_id
        os.rename(staging, final)
        link_tmp = out.root / f".current-{build_id}"
        os.symlink(Path("builds") / build_id, link_tmp)
        previous = out.current_link.resolve() if out.current_link.is_symlink() else None
        os.replace(link_tmp, out.current_link)  # the atomic step
        _fsync_dir(out.root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(out, keep={final, previous})


def _prune(out: OutDir, keep: set[Path | None]) -> None:
    """Remove old builds and leftovers of interrupted ones; keep the current and previous build."""
    # compare resolved paths on both sides: with a relative --out, ``final`` is relative too, and
    # a relative path never equals a resolved one (that pruned the build just published)
    kept = {path.resolve() for path in keep if path is not None}
    for child in out.builds.iterdir():
        if child.resolve() not in kept:
            shutil.rmtree(child, ignore_errors=True)
    for leftover in out.root.glob(".current-*"):
        leftover.unlink(missing_ok=True)


def claims_graphs(store: pyoxigraph.Store) -> set[pyoxigraph.NamedNode]:
    """Named graphs holding claims (direct triples of what someone asserts)."""
    query = f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c a <{QG.ClaimsGraph}> }} }}"
    results = store.query(query)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    return {row["c"] for row in results if isinstance(row["c"], pyoxigraph.NamedNode)}


def default_graphs(store: pyoxigraph.Store) -> list[pyoxigraph.NamedNode]:
    """The graphs a query sees by default: everything except the claims graphs.

    ``?a qg:sued ?b`` then finds what sources narrate, never a party's claim; claims stay
    reachable with ``GRAPH ?g { ... }`` and through the statement nodes.
    """
    claims = claims_graphs(store)
    return sorted((g for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode) and g not in claims), key=lambda g: g.value)


def write_atomically(path: Path, write: Any) -> None:
    """Write a file through a temporary sibling and ``os.replace``: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    try:
        with open(tmp, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
