"""Writing the network cache of a build (see :mod:`graph.network.files`), from the rows the loading made.

The cache is the graph's entity-to-entity statements as numbered arrays. ``kg build`` makes them
where the statements are made: every loaded source gives its :class:`StatementRows` (a few
numbers per statement) in the process that loaded it, worker or not, and the build only
concatenates, sorts and writes them. Reading the same facts back from the finished store took a
scan per statement property (the benchmark's "network cache" phase, 128–135 s at a million
statements on a quiet machine; from the rows, 93.5 s with the machine's load average at 7 on two
cores, 15.8 s at 100,000). Entities and sources come from their records
(:func:`entity_attrs`, :func:`source_rows`). An incremental build keeps the rows of the previous
cache for the sources it did not reload (:func:`previous_rows`), so it writes the cache a full
build writes.

:func:`write_network_cache` reads everything from a store instead (:func:`rows_of_store`), for a
store made without ``kg build`` (tests, notebooks, the view of such a store); tests hold the two
ways to the same files. Rows are numbered in sorted order (entities by id, statements by id,
sources by id), so the same graph always gives the same files.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyoxigraph

from graph.model.ontology import Ontology
from graph.model.records import Entity, SourceIn, Statement
from graph.model.vocab import PREFIXES, QG, SPARQL_PREFIXES, local_name
from graph.network.files import ARRAY_NAMES, CACHE_DIRNAME, DETAIL_FIELDS, FORMAT, SQLITE_FILENAME, array_path
from graph.network.lines import Details, JoinedLines, detail_line, previous_lines
from graph.network.projection import entity_nodes, vocabulary_labels
from graph.network.rows import iri, rows, text
from graph.query.dataset import DATASET_FILENAME, Dataset
from graph.query.known import bundled_shapes
from graph.query.lookup import fold
from graph.store.builds import write_atomically

VOICES = ("narration", "claim", "quotation", "judgement")
POLARITIES = {"for": 1, "against": 2}
_POLARITY_IRIS = {str(QG.For): 1, str(QG.Against): 2}
_VOICE_CLASSES = {str(getattr(QG, v.capitalize())): i for i, v in enumerate(VOICES)}
IntArray = npt.NDArray[Any]


@dataclass
class StatementRows:
    """Some statements as cache rows: ids, and each statement's parts as numbers.

    ``subj``/``obj`` number entities in the order of their ids (``obj`` is -1 for a literal
    value); ``rel`` and ``source`` index :attr:`relations` and :attr:`sources`, the names these
    rows use, so that rows made apart (in worker processes, from a previous cache) join by name.
    A million statements take a few tens of megabytes this way; as Python strings they took gigabytes.
    ``details`` says where each row's detail line is (None: rows read from a store, which has none).
    """

    ids: npt.NDArray[np.bytes_]
    subj: IntArray
    obj: IntArray
    rel: IntArray
    voice: IntArray
    polarity: IntArray
    derived: npt.NDArray[np.bool_]
    source: IntArray
    relations: list[str]
    sources: list[str]
    details: Details | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def select(self, keep: npt.NDArray[np.bool_]) -> StatementRows:
        parts = {f.name: getattr(self, f.name)[keep] for f in dataclasses.fields(self) if f.name not in ("relations", "sources", "details")}
        details = self.details.select(keep) if self.details is not None else None
        return StatementRows(**parts, relations=self.relations, sources=self.sources, details=details)


def entity_index(ids: Iterable[str]) -> dict[str, int]:
    """Entity id → its row number (the order of the ids)."""
    return {ident: i for i, ident in enumerate(sorted(ids))}


def relation_names(onto: Ontology) -> dict[str, str]:
    """Relation name → the local name of its IRI, which the cache records."""
    return {name: local_name(str(relation.iri)) for name, relation in onto.relations.items()}


def rows_of(
    statements: Iterable[Statement], entities: Mapping[str, int], relations: Mapping[str, str], languages: Mapping[str, str] | None = None
) -> StatementRows:
    """The rows of loaded statements (derived ones included), in the process that loaded them.

    With ``languages`` (source id → its language), the rows carry their detail lines too (:func:`detail_line`).
    """
    ids: list[bytes] = []
    lines: list[bytes] = []
    numbers: list[tuple[int, int, int, int, int, bool, int]] = []
    rel_codes: dict[str, int] = {}
    source_codes: dict[str, int] = {}
    for stmt in statements:
        ids.append(stmt.id.encode("utf-8"))
        numbers.append(
            (
                entities[stmt.subject],
                entities[stmt.object] if stmt.object is not None else -1,
                rel_codes.setdefault(relations[stmt.predicate], len(rel_codes)),
                VOICES.index(stmt.voice),
                POLARITIES.get(stmt.polarity or "", 0),
                stmt.derived_via is not None,
                source_codes.setdefault(stmt.source, len(source_codes)),
            )
        )
        if languages is not None:
            lines.append(detail_line(stmt, languages[stmt.source]))
    columns = list(zip(*numbers, strict=True)) if numbers else [()] * 7
    details = None
    if languages is not None:
        lengths = np.array([len(line) for line in lines], dtype=np.int64)
        end = np.cumsum(lengths)
        details = Details(end - lengths, end, b"".join(lines))
    return StatementRows(
        ids=np.array(ids, dtype=np.bytes_) if ids else np.zeros(0, dtype="S1"),
        subj=np.array(columns[0], dtype=np.int32),
        obj=np.array(columns[1], dtype=np.int32),
        rel=np.array(columns[2], dtype=np.int16),
        voice=np.array(columns[3], dtype=np.int8),
        polarity=np.array(columns[4], dtype=np.int8),
        derived=np.array(columns[5], dtype=np.bool_),
        source=np.array(columns[6], dtype=np.int32),
        relations=list(rel_codes),
        sources=list(source_codes),
        details=details,
    )


def entity_attrs(entity: Entity, iri: str, negates: Iterable[str], onto: Ontology) -> dict[str, Any]:
    """The node attributes of an entity, as :func:`graph.network.projection.entity_nodes` reads them from a store."""
    return {
        "id": entity.id,
        "iri": iri,
        "kind": entity.kind,
        "type": local_name(str(onto.classes[entity.type])) if entity.type else "",
        "label_de": entity.label.de,
        "label_en": entity.label.en,
        "aliases": sorted({*entity.aliases.de, *entity.aliases.en}),
        "description_en": entity.description.en or "",
        "description_de": entity.description.de or "",
        "wikidata": entity.wikidata or "",
        "negates": sorted(negates),
    }


def entity_table(entities: Mapping[str, Entity], iri_of: Any, onto: Ontology) -> dict[str, dict[str, Any]]:
    """Every entity's node attributes by id; ``qg:negates`` is symmetric, as the RDF writer writes it."""
    negated: dict[str, set[str]] = {}
    for entity in entities.values():
        for other in entity.negates:
            negated.setdefault(entity.id, set()).add(other)
            negated.setdefault(other, set()).add(entity.id)
    return {ident: entity_attrs(e, iri_of(ident), negated.get(ident, ()), onto) for ident, e in entities.items()}


def source_rows(sources: Iterable[SourceIn], iri_of: Any) -> dict[str, tuple[str, str, str]]:
    """Source id → (IRI, title, date), as :func:`rows_of_store` reads them from a store."""
    return {s.id: (iri_of(s.id), s.title, s.date.isoformat() if s.date else "") for s in sources}


def previous_rows(cache_dir: Path, drop: set[str], statement_id: Any) -> StatementRows:
    """The rows of a previous build's cache without the sources in ``drop`` (reloaded or removed).

    Entity numbers carry over: an incremental build has the same entities (a change to any
    forces a full build, :mod:`graph.build.plan`).
    """
    db = sqlite3.connect(f"file:{cache_dir / SQLITE_FILENAME}?mode=ro", uri=True)
    try:
        meta = {key: json.loads(value) for key, value in db.execute("SELECT key, value FROM meta")}
        if meta.get("format") != FORMAT:
            raise ValueError(f"the previous network cache has format {meta.get('format')}, not {FORMAT}")
        ids = np.array([statement_id(i).encode("utf-8") for (i,) in db.execute("SELECT iri FROM statements ORDER BY idx")], dtype=np.bytes_)
        sources = [i for (i,) in db.execute("SELECT id FROM sources ORDER BY idx")]
    finally:
        db.close()
    # read into memory, not mapped: the rows outlive the previous build's files
    parts = {
        name: np.load(array_path(cache_dir, name), allow_pickle=False)
        for name in ("subj", "obj", "rel", "voice", "polarity", "derived", "source")
    }
    if not len(ids):
        ids = np.zeros(0, dtype="S1")
    details = previous_lines(cache_dir, len(ids)) if meta.get("details") == list(DETAIL_FIELDS) else None
    previous = StatementRows(ids=ids, **parts, relations=list(meta["relations"]), sources=sources, details=details)
    dropped = np.array([s in drop for s in sources] or [False], dtype=np.bool_)
    return previous.select(~dropped[previous.source]) if len(previous) else previous


def rows_of_store(
    store: pyoxigraph.Store,
) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str, str]], StatementRows, dict[str, str]]:
    """Entities, sources, statement rows and statement IRIs by id, read from a store: what
    :func:`write_cache` needs, for a store made without ``kg build``.

    Each statement property is one scan written straight into an array slot. A statement lacking
    a required part, or whose subject is no entity, is not an edge (as in
    :func:`graph.network.projection.project`) and is dropped.
    """
    nodes, iris = entity_nodes(store)
    index = entity_index(nodes)
    by_iri = {iri_: index[ident] for iri_, ident in iris.items()}
    query = """SELECT ?src ?id ?title ?date WHERE {
      ?src a qg:Source ; schema:identifier ?id ; dcterms:title ?title . OPTIONAL { ?src schema:datePublished ?date } }"""
    sources: dict[str, tuple[str, str, str]] = {}
    for row in rows(store, SPARQL_PREFIXES + query):
        sources.setdefault(text(row[1]), (text(row[0]), text(row[2]), text(row[3])))
    source_order = sorted(sources)
    source_index = {sources[s][0]: i for i, s in enumerate(source_order)}

    ordered = sorted(
        (text(ident), text(st)) for st, ident in _pairs(store, "SELECT ?st ?id WHERE { ?st a qg:Statement ; schema:identifier ?id }")
    )
    number = {st: i for i, (_, st) in enumerate(ordered)}
    m = len(ordered)
    missing = -2
    subj, obj, rel, source = (np.full(m, missing, dtype=np.int32) for _ in range(4))
    voice = np.full(m, missing, dtype=np.int8)
    polarity = np.zeros(m, dtype=np.int8)
    derived = np.zeros(m, dtype=np.bool_)
    names: dict[str, int] = {}

    def scan(query: str) -> Iterable[tuple[int, Any]]:
        for st, value in _pairs(store, query):
            i = number.get(text(st))
            if i is not None:
                yield i, value

    for i, value in scan("SELECT ?st ?x WHERE { ?st rdf:subject ?x }"):
        subj[i] = by_iri.get(iri(value) or "", -1)  # -1: not an entity, dropped below
    for i, value in scan("SELECT ?st ?x WHERE { ?st rdf:object ?x }"):
        obj[i] = by_iri.get(iri(value) or "", -1)  # -1: a literal value (describedAs)
    for i, value in scan("SELECT ?st ?x WHERE { ?st rdf:predicate ?x }"):
        rel[i] = names.setdefault(local_name(text(value)), len(names))
    for i, value in scan("SELECT ?st ?x WHERE { ?st prov:wasDerivedFrom ?x . ?x a qg:Source }"):
        source[i] = source_index.get(iri(value) or "", -1)
    classes = " ".join(f"<{c}>" for c in _VOICE_CLASSES)
    for i, value in scan(f"SELECT ?st ?x WHERE {{ VALUES ?x {{ {classes} }} ?st a ?x }}"):
        voice[i] = _VOICE_CLASSES[iri(value) or ""]
    for i, value in scan("SELECT ?st ?x WHERE { ?st qg:polarity ?x }"):
        polarity[i] = _POLARITY_IRIS.get(iri(value) or "", 0)
    for i, _value in scan("SELECT ?st ?x WHERE { ?st qg:derivedVia ?x }"):
        derived[i] = True
    keep = (subj >= 0) & (obj != missing) & (rel >= 0) & (source >= 0) & (voice >= 0)
    found = StatementRows(
        ids=np.array([ident.encode("utf-8") for ident, _ in ordered] or [b""], dtype=np.bytes_)[:m],
        subj=subj,
        obj=obj,
        rel=rel.astype(np.int16),
        voice=voice,
        polarity=polarity,
        derived=derived,
        source=source,
        relations=list(names),
        sources=source_order,
    )
    return nodes, sources, found.select(keep), {ident: st for ident, st in ordered}


def _pairs(store: pyoxigraph.Store, query: str) -> Iterable[tuple[Any, Any]]:
    for row in rows(store, SPARQL_PREFIXES + query):
        yield row[0], row[1]


def _joined(parts: Sequence[StatementRows], sources: Sequence[str]) -> tuple[StatementRows, list[str], JoinedLines | None]:
    """One set of rows in statement-id order; relations renumbered by name, sources by their order in ``sources``;
    where each row's detail line is, if every part has them."""
    relations = sorted({name for p in parts for name in p.relations})
    rel_number = {name: i for i, name in enumerate(relations)}
    source_number = {name: i for i, name in enumerate(sources)}
    parts = [p for p in parts if len(p)]
    if not parts:
        empty = rows_of([], {}, {})
        return empty, relations, None

    def recoded(codes: IntArray, names: list[str], number: Mapping[str, int], dtype: Any) -> IntArray:
        table = np.array([number[n] for n in names] or [0], dtype=dtype)
        return table[codes]

    ids = np.concatenate([p.ids for p in parts])
    order = np.argsort(ids, kind="stable")
    if len(ids) > 1 and bool((ids[order][1:] == ids[order][:-1]).any()):
        raise ValueError("two statements with one id in the network rows")

    def column(name: str) -> IntArray:
        return np.concatenate([getattr(p, name) for p in parts])[order]

    details = None
    if all(p.details is not None for p in parts):
        # which part's file or blob each row's line is in, and where
        details = JoinedLines(
            [p.details for p in parts if p.details is not None],
            np.concatenate([np.full(len(p), k, dtype=np.int32) for k, p in enumerate(parts)])[order],
            np.concatenate([p.details.start for p in parts if p.details is not None])[order],
            np.concatenate([p.details.end for p in parts if p.details is not None])[order],
        )
    joined = StatementRows(
        ids=ids[order],
        subj=column("subj").astype(np.int32),
        obj=column("obj").astype(np.int32),
        rel=np.concatenate([recoded(p.rel, p.relations, rel_number, np.int16) for p in parts])[order],
        voice=column("voice").astype(np.int8),
        polarity=column("polarity").astype(np.int8),
        derived=column("derived").astype(np.bool_),
        source=np.concatenate([recoded(p.source, p.sources, source_number, np.int32) for p in parts])[order],
        relations=relations,
        sources=list(sources),
    )
    return joined, relations, details


def _csr(n: int, subj: IntArray, obj: IntArray) -> dict[str, IntArray]:
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


def write_cache(
    store: pyoxigraph.Store,
    directory: Path,
    nodes: Mapping[str, dict[str, Any]],
    sources: Mapping[str, tuple[str, str, str]],
    parts: Sequence[StatementRows],
    statement_iri: Any,
) -> dict[str, Any]:
    """Write ``dataset.json``, ``network/*.npy`` and ``network.sqlite`` into ``directory``; return counts.

    ``nodes`` are the entities' attributes by id, ``sources`` (IRI, title, date) by id, ``parts``
    the statement rows (in any order), ``statement_iri`` a statement's IRI from its id. The
    default graph and the vocabulary's labels are read from ``store`` (a few queries).
    """
    write_dataset(store, directory)
    return write_rows(directory, nodes, sources, parts, statement_iri, vocabulary_labels(store))


def write_dataset(store: pyoxigraph.Store, directory: Path) -> None:
    """``dataset.json``: the default graph of the finished store (:class:`graph.query.dataset.Dataset`)."""
    directory.mkdir(parents=True, exist_ok=True)
    shapes = bundled_shapes(PREFIXES)
    dataclasses.replace(Dataset.of(store), shapes=shapes).write(directory / DATASET_FILENAME)


def write_rows(
    directory: Path,
    nodes: Mapping[str, dict[str, Any]],
    sources: Mapping[str, tuple[str, str, str]],
    parts: Sequence[StatementRows],
    statement_iri: Any,
    labels: Mapping[str, Mapping[str, str]],
    between: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Everything of the cache but ``dataset.json``: the arrays, the detail lines and ``network.sqlite``.

    Nothing here reads the store, so a full build writes it while Oxigraph still loads
    (:mod:`graph.build.beside`); ``labels`` are the vocabulary's (:func:`vocabulary_labels`).
    ``between`` is called between the steps, and may raise to stop the writing there.
    """
    directory.mkdir(parents=True, exist_ok=True)
    source_order = sorted(sources)
    joined, relations, details = _joined(parts, source_order)
    order = sorted(nodes)
    n, m = len(order), len(joined)
    is_edge = joined.obj >= 0
    statements_per_node = np.bincount(joined.subj[is_edge], minlength=n) + np.bincount(joined.obj[is_edge], minlength=n)
    arrays = {
        "subj": joined.subj,
        "obj": joined.obj,
        "rel": joined.rel,
        "voice": joined.voice,
        "derived": joined.derived,
        "source": joined.source,
        "polarity": joined.polarity,
        "statements": statements_per_node.astype(np.int64),
        **_csr(n, joined.subj, joined.obj),
    }

    assert set(arrays) == set(ARRAY_NAMES), "the reader maps exactly these arrays"
    for name, values in arrays.items():
        between()
        write_atomically(
            array_path(directory, name), lambda handle, values=values: np.save(handle, np.ascontiguousarray(values), allow_pickle=False)
        )
    meta = {
        "format": FORMAT,
        "nodes": n,
        "statements": m,
        "edges": int(is_edge.sum()),
        "relations": relations,
        "voices": list(VOICES),
        "labels": dict(labels),
    }
    between()
    if details is not None:
        details.write(directory)
        between()
        meta["details"] = list(DETAIL_FIELDS)
    _write_sqlite(
        directory / SQLITE_FILENAME,
        meta,
        ((i, ident, nodes[ident]) for i, ident in enumerate(order)),
        ((i, statement_iri(ident.decode("utf-8"))) for i, ident in enumerate(joined.ids.tolist())),
        ((i, s, *sources[s]) for i, s in enumerate(source_order)),
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
    """Write the cache of a store made without ``kg build`` into ``build_dir/cache``, reading everything from the store."""
    nodes, sources, found, statement_iris = rows_of_store(store)
    return write_cache(store, build_dir / CACHE_DIRNAME, nodes, sources, [found], statement_iris.__getitem__)
