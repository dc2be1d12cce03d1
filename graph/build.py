"""The build pipeline: data folder → checked corpus → RDF → SHACL → store and exports.

``check`` does everything that can fail on bad data and writes nothing (``kg validate``);
``build`` runs ``check`` and then writes a new store and all exports into a fresh build folder,
published atomically (see :mod:`graph.store`). Each phase is timed; the CLI shows them.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from graph import __version__
from graph.derive import derive_shortcuts
from graph.errors import GraphInvalid
from graph.export import export_all
from graph.loader import load_corpus
from graph.model import Corpus, Statement
from graph.ontology import Ontology, default_ontology
from graph.rdf import DEFAULT_BASE_IRI, Iris, corpus_quads
from graph.shacl import to_rdflib, validate_graph
from graph.store import EXPORT_DIRNAME, MANIFEST_NAME, STORE_DIRNAME, OutDir, claims_graphs, new_build
from graph.view import VIEW_DIRNAME, VIEW_FILENAME, write_view

PhaseCallback = Callable[[str], None]


@dataclass
class Checked:
    """A corpus that passed every check, with its derived statements and quads."""

    corpus: Corpus
    derived: dict[str, Statement]
    quads: list[pyoxigraph.Quad]
    iris: Iris
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        voices = Counter(s.voice for s in self.corpus.statements.values())
        kinds = Counter(e.kind for e in self.corpus.entities.values())
        return {
            "sources": len(self.corpus.sources),
            "entities": len(self.corpus.entities),
            "entities_by_kind": dict(sorted(kinds.items())),
            "statements": len(self.corpus.statements),
            "statements_by_voice": dict(sorted(voices.items())),
            "derived_statements": len(self.derived),
        }


@dataclass
class Built:
    checked: Checked
    out: OutDir
    build_dir: Path
    counts: dict[str, Any]
    exports: dict[str, Path]
    timings: dict[str, float]
    view: Path | None = None


class _Timer:
    def __init__(self, on_phase: PhaseCallback | None):
        self.timings: dict[str, float] = {}
        self.on_phase = on_phase

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        if self.on_phase:
            self.on_phase(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(time.perf_counter() - started, 3)


def check(
    data_dir: Path, *, base_iri: str = DEFAULT_BASE_IRI, ontology: Ontology | None = None, on_phase: PhaseCallback | None = None
) -> Checked:
    """Load, anchor, derive, convert and validate. Raises DataError or GraphInvalid; writes nothing."""
    timer = _Timer(on_phase)
    onto = ontology or default_ontology()
    iris = Iris(base_iri)
    with timer.phase("load and anchor"):
        corpus = load_corpus(data_dir, onto)
    with timer.phase("derive shortcuts"):
        derived = derive_shortcuts(corpus.statements, onto)
    with timer.phase("convert to RDF"):
        quads = list(dict.fromkeys(corpus_quads(corpus, derived, onto, iris)))
    with timer.phase("validate (SHACL)"):
        violations = validate_graph(to_rdflib(quads), iris)
    if violations:
        raise GraphInvalid(violations)
    return Checked(corpus=corpus, derived=derived, quads=quads, iris=iris, timings=timer.timings)


def build(data_dir: Path, out: OutDir, *, base_iri: str = DEFAULT_BASE_IRI, on_phase: PhaseCallback | None = None) -> Built:
    """Check the data, then write a new store and every export; publish both atomically."""
    checked = check(data_dir, base_iri=base_iri, on_phase=on_phase)
    timer = _Timer(on_phase)
    timer.timings.update(checked.timings)
    with new_build(out) as staging:
        with timer.phase("load store"):
            store = pyoxigraph.Store(str(staging / STORE_DIRNAME))
            store.bulk_extend(checked.quads)
            store.flush()
        with timer.phase("export"):
            exports = export_all(store, staging / EXPORT_DIRNAME, base_iri)
        with timer.phase("view"):
            write_view(store, staging / VIEW_DIRNAME / VIEW_FILENAME)
        claims = claims_graphs(store)
        graphs = [g for g in store.named_graphs()]
        counts = {
            **checked.counts(),
            "quads": len(store),
            "named_graphs": len(graphs),
            "claims_graphs": len(claims),
            "claim_triples": sum(1 for g in claims for _ in store.quads_for_pattern(None, None, None, g)),
        }
        manifest = {
            "quotegraph": __version__,
            "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "data_dir": str(data_dir.resolve()),
            "base_iri": base_iri,
            "sources": {s.id: s.sha256 for s in checked.corpus.sources.values()},
            "counts": counts,
            "timings_s": timer.timings,
            "exports": {name: str(path.relative_to(staging)) for name, path in exports.items()},
            "view": f"{VIEW_DIRNAME}/{VIEW_FILENAME}",
        }
        (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        del store
        gc.collect()  # closes the RocksDB handle before the folder is published
    build_dir = out.current()
    return Built(
        checked=checked,
        out=out,
        build_dir=build_dir,
        counts=counts,
        exports={name: build_dir / EXPORT_DIRNAME / path.name for name, path in exports.items()},
        timings=timer.timings,
        view=build_dir / VIEW_DIRNAME / VIEW_FILENAME,
    )
