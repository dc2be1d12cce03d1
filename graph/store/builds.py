"""The output folder: Oxigraph stores and exports, replaced atomically on every build.

Layout of an output folder (``./quotegraph-out`` unless ``--out`` says otherwise)::

    current -> builds/<build-id>     symlink, swapped atomically when a build succeeds
    builds/<build-id>/store/         the Oxigraph (RocksDB) store
    builds/<build-id>/export/        quotegraph.ttl, .nt, .jsonld, .trig, .nq, .rdf
    builds/<build-id>/build.json     what was built from what, with counts and timings
    .lock                            held while a build runs

How a build is written and published (atomically, one build at a time) is
:mod:`graph.store.publish`. Readers never see half a graph, and the previous build is kept until
the next success, so a reader that opened it keeps working.

pyoxigraph is used directly (not through oxrdflib): queries run on Oxigraph's engine, literals
and language tags come back as stored, and the store is opened read-only for everything but the
build.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.errors import StoreError
from graph.model.terms import QG

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


def claims_graphs(store: pyoxigraph.Store) -> set[pyoxigraph.NamedNode]:
    """Named graphs holding claims (direct triples of what someone asserts)."""
    query = f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c a <{QG.ClaimsGraph}> }} }}"
    results = store.query(query)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    return {row["c"] for row in results if isinstance(row["c"], pyoxigraph.NamedNode)}


def claim_triple_count(store: pyoxigraph.Store) -> int:
    """How many triples the claims graphs hold, counted by Oxigraph.

    The same number as iterating the quads of each of :func:`claims_graphs`: 0.6 s against
    8.4 s at 1,000,000 statements (506,853 triples, 2026-12-06).
    """
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c a <{QG.ClaimsGraph}> }} FILTER(isIRI(?c)) }} }}"
        " GRAPH ?c { ?s ?p ?o } }"
    )
    results = store.query(query)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    count = next(iter(results))["n"]
    assert isinstance(count, pyoxigraph.Literal)
    return int(count.value)


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
