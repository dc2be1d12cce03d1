"""Writing the network cache of a built store (see :mod:`graph.network.files`).

Everything is read from the finished store, never from the loader, so an incremental build
(which loads only the changed sources) writes exactly the cache a full build writes. The scans
are single triple patterns read row by row (:mod:`graph.network.rows`): a join of the
statement's seven properties in SPARQL costs several times as much as reading them one by one.
Rows are numbered in sorted order (entities by id, statements by id), so the same graph always
gives the same files.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyoxigraph

from graph.model.vocab import PREFIXES, QG
from graph.network.files import ARRAYS_FILENAME, CACHE_DIRNAME, FORMAT, SQLITE_FILENAME
from graph.network.projection import entity_nodes, vocabulary_labels
from graph.network.rows import iri, rows, text
from graph.query.dataset import DATASET_FILENAME, Dataset
from graph.query.lookup import fold
from graph.query.run import bundled_queries
from graph.query.shape import digest, shape
from graph.store.builds import write_atomically

VOICES = ("narration", "claim", "quotation", "judgement")
POLARITIES = {str(QG.For): 1, str(QG.Against): 2}

_PREFIXES = """PREFIX qg: <https://w3id.org/quotegraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
_VOICE_CLASSES = {str(getattr(QG, v.capitalize())): i for i, v in enumerate(VOICES)}


def _pairs(store: pyoxigraph.Store, query: str) -> Iterable[tuple[str, Any]]:
    """(IRI or text of the first column, term of the second) of every solution."""
    for row in rows(store, _PREFIXES + query):
        yield text(row[0]), row[1]


def _local(value: str) -> str:
    for sep in ("#", "/"):
        if sep in value:
            value = value.rsplit(sep, 1)[1]
    return value


#: a part of a statement that the store did not give
_MISSING = -2


def _statement_arrays(
    store: pyoxigraph.Store, entity_index: dict[str, int], source_index: dict[str, int]
) -> tuple[list[str], list[str], dict[str, npt.NDArray[Any]]]:
    """Statement IRIs in id order, relation names, and each statement's parts as numbered arrays.

    Each part is one scan written straight into an array slot: at a million statements a dict of
    their parts as strings took 3 GB, these arrays take a few megabytes. A statement lacking a
    required part, or whose subject is no entity, is not an edge (as in
    :func:`graph.network.projection.project`) and is dropped.
    """
    ordered = sorted(
        (text(ident), st) for st, ident in _pairs(store, "SELECT ?st ?id WHERE { ?st a qg:Statement ; schema:identifier ?id }")
    )
    iris = [st for _, st in ordered]
    del ordered
    number = {st: i for i, st in enumerate(iris)}
    m = len(iris)
    subj = np.full(m, _MISSING, dtype=np.int32)
    obj = np.full(m, _MISSING, dtype=np.int32)
    rel = np.full(m, _MISSING, dtype=np.int32)
    source = np.full(m, _MISSING, dtype=np.int32)
    voice = np.full(m, _MISSING, dtype=np.int8)
    polarity = np.zeros(m, dtype=np.int8)
    derived = np.zeros(m, dtype=np.bool_)
    names: dict[str, int] = {}

    def scan(query: str) -> Iterable[tuple[int, str]]:
        for st, value in _pairs(store, query):
            i = number.get(st)
            if i is not None:
                yield i, value

    for i, value in scan("SELECT ?st ?x WHERE { ?st rdf:subject ?x }"):
        subj[i] = entity_index.get(iri(value) or "", -1)  # -1: not an entity, dropped below
    for i, value in scan("SELECT ?st ?x WHERE { ?st rdf:object ?x }"):
        obj[i] = entity_index.get(iri(value) or "", -1)  # -1: a literal value (describedAs)
    for i, value in scan("SELECT ?st ?x WHERE { ?st rdf:predicate ?x }"):
        rel[i] = names.setdefault(_local(text(value)), len(names))
    for i, value in scan("SELECT ?st ?x WHERE { ?st prov:wasDerivedFrom ?x . ?x a qg:Source }"):
        source[i] = source_index.get(iri(value) or "", -1)
    classes = " ".join(f"<{c}>" for c in _VOICE_CLASSES)
    for i, value in scan(f"SELECT ?st ?x WHERE {{ VALUES ?x {{ {classes} }} ?st a ?x }}"):
        voice[i] = _VOICE_CLASSES[iri(value) or ""]
    for i, value in scan("SELECT ?st ?x WHERE { ?st qg:polarity ?x }"):
        polarity[i] = POLARITIES.get(iri(value) or "", 0)
    for i, _value in scan("SELECT ?st ?x WHERE { ?st qg:derivedVia ?x }"):
        derived[i] = True

    keep = (subj >= 0) & (obj != _MISSING) & (rel >= 0) & (source >= 0) & (voice >= 0)
    relations = sorted(names)
    renumber = np.zeros(max(len(names), 1), dtype=np.int16)
    for name, old in names.items():
        renumber[old] = relations.index(name)
    arrays = {
        "subj": subj[keep],
        "obj": obj[keep],
        "rel": renumber[rel[keep]],
        "voice": voice[keep],
        "derived": derived[keep],
        "source": source[keep],
        "polarity": polarity[keep],
    }
    return [iris[i] for i in np.flatnonzero(keep).tolist()], relations, arrays


def _sources(store: pyoxigraph.Store) -> dict[str, tuple[str, str, str]]:
    """Source IRI → (id, title, date)."""
    query = """SELECT ?src ?id ?title ?date WHERE {
      ?src a qg:Source ; schema:identifier ?id ; dcterms:title ?title .
      OPTIONAL { ?src schema:datePublished ?date } }"""
    found: dict[str, tuple[str, str, str]] = {}
    for row in rows(store, _PREFIXES + query):
        src = text(row[0])
        if src not in found:
            found[src] = (text(row[1]), text(row[2]), text(row[3]))
    return found


def _csr(n: int, subj: npt.NDArray[np.int32], obj: npt.NDArray[np.int32]) -> dict[str, npt.NDArray[Any]]:
    """Undirected adjacency of the entity-to-entity statements: for node i, ``nbr[indptr[i]:indptr[i+1]]``
    are its neighbours (sorted, repeated once per statement) and ``eid`` the statements reaching them."""
    edges = np.flatnonzero(obj >= 0).astype(np.int32)
    a, b = subj[edges], obj[edges]
    loop = a == b
    node = np.concatenate([a, b[~loop]])
    nbr = np.concatenate([b, a[~loop]])
    eid = np.concatenate([edges, edges[~loop]])
    order = np.lexsort((eid, nbr, node))
    node, nbr, eid = node[order], nbr[order], eid[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(node, minlength=n), out=indptr[1:])
    return {"indptr": indptr, "nbr": nbr.astype(np.int32), "eid": eid.astype(np.int32)}


def write_cache(store: pyoxigraph.Store, directory: Path) -> dict[str, Any]:
    """Write ``dataset.json``, ``network.npz`` and ``network.sqlite`` into ``directory``; return counts."""
    directory.mkdir(parents=True, exist_ok=True)
    shapes = {digest(q.text): shape(q.text, PREFIXES) for q in bundled_queries().values()}
    dataclasses.replace(Dataset.of(store), shapes=shapes).write(directory / DATASET_FILENAME)

    nodes, ids = entity_nodes(store)
    order = sorted(nodes)
    index = {ident: i for i, ident in enumerate(order)}
    entity_index = {iri_: index[ident] for iri_, ident in ids.items()}
    sources = _sources(store)
    source_order = sorted(sources, key=lambda s: sources[s][0])
    source_index = {s: i for i, s in enumerate(source_order)}

    statement_iris, relations, parts = _statement_arrays(store, entity_index, source_index)
    subj, obj = parts["subj"], parts["obj"]
    m = len(statement_iris)
    n = len(order)
    csr = _csr(n, subj, obj)
    is_edge = obj >= 0
    statements_per_node = np.bincount(subj[is_edge], minlength=n) + np.bincount(obj[is_edge], minlength=n)
    arrays = {
        **parts,
        "statements": statements_per_node.astype(np.int64),
        **csr,
    }

    def save(handle: Any) -> None:
        np.savez(handle, **arrays)  # type: ignore[arg-type]

    write_atomically(directory / ARRAYS_FILENAME, save)

    meta = {
        "format": FORMAT,
        "nodes": n,
        "statements": m,
        "edges": int(is_edge.sum()),
        "relations": relations,
        "voices": list(VOICES),
        "labels": vocabulary_labels(store),
    }
    _write_sqlite(
        directory / SQLITE_FILENAME,
        meta,
        ((i, ident, nodes[ident]) for i, ident in enumerate(order)),
        enumerate(statement_iris),
        ((i, sources[s][0], s, sources[s][1], sources[s][2]) for i, s in enumerate(source_order)),
    )
    return {"nodes": n, "statements": m, "edges": meta["edges"]}


def _write_sqlite(
    path: Path,
    meta: dict[str, Any],
    nodes: Iterable[tuple[int, str, dict[str, Any]]],
    statements: Iterable[tuple[int, str]],
    sources: Iterable[tuple[int, str, str, str, str]],
) -> None:
    """One SQLite file, written under a temporary name and renamed: never half a database."""
    tmp = path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")
    try:
        db = sqlite3.connect(tmp)
        try:
            db.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE nodes (idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, iri TEXT NOT NULL, attrs TEXT NOT NULL);
                CREATE TABLE names (folded TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (folded, idx)) WITHOUT ROWID;
                CREATE TABLE statements (idx INTEGER PRIMARY KEY, iri TEXT NOT NULL);
                CREATE TABLE sources (idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, iri TEXT NOT NULL, title TEXT NOT NULL, date TEXT NOT NULL);
                """
            )
            db.executemany("INSERT INTO meta VALUES (?, ?)", ((k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()))
            names: set[tuple[str, int]] = set()
            node_rows = []
            for i, ident, attrs in nodes:
                node_rows.append((i, ident, attrs["iri"], json.dumps(attrs, ensure_ascii=False, sort_keys=True)))
                for name in (ident, attrs.get("label_en", ""), attrs.get("label_de", ""), *attrs.get("aliases", [])):
                    if name:
                        names.add((fold(name), i))
            db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?)", node_rows)
            db.executemany("INSERT INTO names VALUES (?, ?)", sorted(names))
            db.executemany("INSERT INTO statements VALUES (?, ?)", statements)
            db.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?)", sources)
            db.execute("CREATE INDEX nodes_by_iri ON nodes (iri)")
            db.commit()
        finally:
            db.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_network_cache(store: pyoxigraph.Store, build_dir: Path) -> dict[str, Any]:
    """Write the cache of a finished store into ``build_dir/cache``; returns its counts."""
    return write_cache(store, build_dir / CACHE_DIRNAME)
