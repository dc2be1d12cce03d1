"""The build pipeline: data folder → checked units → N-Quads → Oxigraph → SHACL → exports.

``check`` does everything that can fail on bad data and writes nothing (``kg validate``);
``build`` writes a new store and all exports into a fresh build folder, published atomically
(see :mod:`graph.store.builds`).

Sources are streamed: each one is loaded, anchored, derived and written as N-Quads text that
Oxigraph's bulk loader parses straight into RocksDB, so memory is bounded by the largest source
and the Oxigraph loader's batches, never by the corpus. A rebuild is incremental when it can be:
the previous store is copied (a RocksDB checkpoint: hard links, no copy of the data) and only the
named graphs of sources whose files changed are cleared and loaded again; see :mod:`graph.build.plan`
for when a full build is needed instead. Either way the result is the same graph.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from graph import __version__
from graph.build import scanning, workers
from graph.build.beside import Beside
from graph.build.cache import cache_beside_load, write_build_cache
from graph.build.loading import Loading
from graph.build.plan import Plan, likely_incremental, plan_build
from graph.defaults import SHACL_ENGINES
from graph.errors import GraphInvalid, Problem, UsageError, file_system_error
from graph.model.ontology import Ontology, default_ontology
from graph.model.records import Corpus, Statement
from graph.model.vocab import QG, RDF
from graph.network.arrays import open_cache
from graph.network.files import CACHE_DIRNAME
from graph.network.lines import DetailSpill
from graph.network.write import write_dataset
from graph.processes import terminate_as_interrupt
from graph.progress import Phases, Progress
from graph.rdf.quads import DEFAULT_BASE_IRI, Iris, NQuads, ontology_quads, quads_of
from graph.sources.loader import Loader, Scan
from graph.sources.stored import kind_counts
from graph.store.builds import EXPORT_DIRNAME, MANIFEST_NAME, STORE_DIRNAME, OutDir, claim_triple_count, claims_graphs
from graph.store.export import FORMATS, export_all
from graph.store.publish import new_build, scratch_dir
from graph.validate.contract import validate_data
from graph.validate.shacl import capped, validate_store
from graph.view import VIEW_DIRNAME, VIEW_FILENAME, write_view

PhaseCallback = Callable[[str], None]
#: Up to this many statements kg build also writes the whole graph as the interactive view; a
#: bigger graph is only readable as a focused view (kg view --focus/--source/--top).
VIEW_IN_BUILD_UP_TO = 20_000
#: in the staging folder: the loaded statements' detail lines until the cache is written (graph.network.lines.DetailSpill)
DETAIL_SPILL_NAME = ".statements.spill"
ENGINES = SHACL_ENGINES


@dataclass
class Checked:
    """What a build or a check loaded: counts, and for small corpora the records and quads themselves."""

    iris: Iris
    count_values: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    corpus: Corpus | None = None
    derived: dict[str, Statement] | None = None
    quads: list[pyoxigraph.Quad] = field(default_factory=list)
    engine: str = ""
    #: what the data may mean but should be looked at (two entities sharing a name); fails nothing
    warnings: list[Problem] = field(default_factory=list)
    warning_count: int = 0

    def counts(self) -> dict[str, Any]:
        return self.count_values


@dataclass
class Built:
    checked: Checked
    out: OutDir
    build_dir: Path
    counts: dict[str, Any]
    exports: dict[str, Path]
    timings: dict[str, float]
    view: Path | None = None
    mode: str = "full"
    reloaded: list[str] = field(default_factory=list)


def _counts(scan: Scan, units: dict[str, dict[str, Any]]) -> dict[str, Any]:
    voices: Counter[str] = Counter()
    for record in units.values():
        voices.update(record["voices"])
    return {
        "sources": len(units),
        "entities": len(scan.entities),
        "entities_by_kind": kind_counts(scan.entities),
        "statements": sum(r["statements"] for r in units.values()),
        "statements_by_voice": dict(sorted(voices.items())),
        "derived_statements": sum(r["derived"] for r in units.values()),
    }


def _engine(engine: str) -> str:
    """The engine ``auto`` stands for: the data checks, at every size (:mod:`graph.validate.contract`).

    pySHACL, the reference, checks every shape; on the bundled data (557 statements, 16,126
    quads) it took 7.75 s of a 14 s build, the data checks 0.08 s (2026-12-03). What the data
    checks leave out holds by construction, and that is proven by tests, where pySHACL checks
    the bundled data and generated corpora whole (``tests/validate/test_contract.py``).
    ``--shacl-engine pyshacl`` or ``sparql`` still checks every shape, for an audit.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown SHACL engine '{engine}'; choose one of {', '.join(ENGINES)}")
    return "data" if engine == "auto" else engine


def _validate(store: pyoxigraph.Store, iris: Iris, engine: str, phases: Phases, loading: Loading | None = None) -> None:
    if loading is not None and loading.batch_checked:
        # the workers checked each batch; what needs the whole graph is checked here, once
        with phases.phase("validate (SHACL, whole-graph checks)"):
            violations = capped(sorted([*loading.violations, *workers.global_checks(store, iris)]))
    elif engine == "data":
        with phases.phase("validate (SHACL, data checks)", unit="shapes") as advance:
            violations = validate_data(store, iris, advance=advance)
    else:
        with phases.phase("validate (SHACL)", unit="shapes") as advance:
            violations = validate_store(store, iris, engine=engine, advance=advance)
    if violations:
        raise GraphInvalid(violations)


def _statement_in_store(store: pyoxigraph.Store, iris: Iris) -> Callable[[str], bool]:
    statement_type, rdf_type = pyoxigraph.NamedNode(str(QG.Statement)), pyoxigraph.NamedNode(str(RDF.type))

    def known(ident: str) -> bool:
        return any(True for _ in store.quads_for_pattern(iris.statement(ident), rdf_type, statement_type, None))

    return known


def _cross_source_duplicates(store: pyoxigraph.Store, loader: Loader, iris: Iris) -> None:
    """After an incremental load: an explicit id given in a changed source and in an unchanged one."""
    statement_type, rdf_type = pyoxigraph.NamedNode(str(QG.Statement)), pyoxigraph.NamedNode(str(RDF.type))
    for ident, where in loader.explicit_ids.items():
        graphs = {q.graph_name for q in store.quads_for_pattern(iris.statement(ident), rdf_type, statement_type, None)}
        if len(graphs) > 1:
            file, _, line = where.rpartition(":")
            loader.problems.add(file, int(line), "id", f"duplicate statement id '{ident}' (also in another source)")


def _load(
    data_dir: Path,
    store_dir: Path,
    iris: Iris,
    onto: Ontology,
    phases: Phases,
    plan: Plan,
    scan: Scan,
    loader: Loader,
    engine: str = "auto",
    validate: bool = True,
    fingerprint: bool = False,
    details: DetailSpill | None = None,
    on_input_end: Callable[[Loading], None] | None = None,
) -> tuple[pyoxigraph.Store, Loading]:
    """Fill the store at ``store_dir`` (fresh, or a copy of the previous one) and check the data.

    With ``fingerprint`` a full build's loading hashes the sources' files into ``plan`` (for the
    manifest); with ``details``, the loaded rows keep their detail lines in that spill (for the cache);
    ``on_input_end`` is called once a full build's loader has every source (:class:`Loading`).
    """
    # Every shape on every batch only for --shacl-engine sparql (an audit): the workers check
    # their batches, an incremental build only what it loads (the unchanged sources passed in the
    # build it copies), then the whole-graph checks. Otherwise the data checks run on the store
    # (graph.validate.contract, the default at every size), or pySHACL on the whole graph when asked.
    by_batch = validate and engine == "sparql"
    loading = Loading(
        loader,
        scan,
        NQuads(onto, iris),
        phases,
        keep=plan.full,
        engine=engine,
        validate=by_batch,
        check_locally=not plan.full,
        fingerprint=fingerprint,
        details=details,
        on_input_end=on_input_end if plan.full else None,
    )
    if plan.full:
        store = pyoxigraph.Store(str(store_dir))
        loading.load(store, list(scan.sources.values()), shared=True)
        plan.fingerprints.update(loading.fingerprints)
        loader.finish(scan)
        return store, loading
    assert plan.previous_store is not None
    with phases.phase("copy previous store"):
        previous = pyoxigraph.Store.read_only(str(plan.previous_store))
        previous.backup(str(store_dir))
        del previous
        gc.collect()
        store = pyoxigraph.Store(str(store_dir))
        for source_id in sorted(plan.dirty | plan.removed):
            store.remove_graph(iris.source_graph(source_id))
            store.remove_graph(iris.claims_graph(source_id))
    loading.units = {sid: record for sid, record in plan.previous_units.items() if sid in scan.sources and sid not in plan.dirty}
    loading.load(store, [scan.sources[sid] for sid in scan.sources if sid in plan.dirty], shared=False)
    _cross_source_duplicates(store, loader, iris)
    loader.finish(scan, known_statement=_statement_in_store(store, iris))
    return store, loading


def check(
    data_dir: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    ontology: Ontology | None = None,
    on_phase: PhaseCallback | None = None,
    progress: Progress | None = None,
    engine: str = "auto",
) -> Checked:
    """Load, anchor, derive, convert and validate into a temporary store. Raises DataError or GraphInvalid; writes nothing."""
    phases = Phases(progress, on_phase)
    onto = ontology or default_ontology()
    iris = Iris(base_iri)
    _engine(engine)
    loader = Loader(data_dir, onto)
    with terminate_as_interrupt(), _runtime_errors(Path(tempfile.gettempdir())), scratch_dir() as tmp:
        with phases.phase("scan"):
            scan = scanning.scan(loader, iris.base, tmp)
            loader.problems.raise_if_any()
        counts, chosen, loading = _check_in(tmp / STORE_DIRNAME, iris, onto, phases, scan, loader, engine, data_dir)
        return _checked(iris, counts, phases, loading, chosen)


def _check_in(
    store_dir: Path, iris: Iris, onto: Ontology, phases: Phases, scan: Scan, loader: Loader, engine: str, data_dir: Path
) -> tuple[dict[str, Any], str, Loading]:
    """Load and validate into a scratch store; the store is closed when this returns or raises."""
    store, loading = _load(data_dir, store_dir, iris, onto, phases, Plan.full_build(), scan, loader, engine)
    counts = _counts(scan, loading.units)
    chosen = "sparql" if loading.batch_checked else _engine(engine)
    _validate(store, iris, chosen, phases, loading)
    counts["quads"] = len(store)
    del store
    gc.collect()
    return counts, chosen, loading


def _checked(iris: Iris, counts: dict[str, Any], phases: Phases, loading: Loading, engine: str) -> Checked:
    problems = loading.loader.problems
    checked = Checked(
        iris=iris,
        count_values=counts,
        timings=phases.timings,
        engine=engine,
        warnings=problems.warnings,
        warning_count=problems.warning_count,
    )
    if loading.keep:
        units = loading.kept_units
        checked.corpus = Corpus(
            sources={u.source.id: u.source for u in units},
            entities=dict(loading.scan.entities),
            statements={sid: s for u in units for sid, s in u.statements.items()},
        )
        checked.derived = {sid: s for u in units for sid, s in u.derived.items()}
        checked.quads = list(dict.fromkeys([*ontology_quads(), *quads_of(loading.kept_text)]))
    return checked


def build(
    data_dir: Path,
    out: OutDir,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    on_phase: PhaseCallback | None = None,
    progress: Progress | None = None,
    full: bool = False,
    engine: str = "auto",
    exports: list[str] | None = None,
) -> Built:
    """Check the data, then write a new store and the exports (all six unless ``exports`` names some); publish both atomically.

    Incremental unless ``full`` or nothing reusable was built before (see :func:`graph.build.plan.plan_build`).
    """
    phases = Phases(progress, on_phase)
    onto = default_ontology()
    iris = Iris(base_iri)
    _engine(engine)
    loader = Loader(data_dir, onto)
    # the scratch folder holds what a scan in another process made (graph.build.scanning)
    with terminate_as_interrupt(), _runtime_errors(out.root), scratch_dir() as scratch:
        with phases.phase("scan"):
            scan = scanning.scan(loader, iris.base, scratch, elsewhere=not likely_incremental(out, data_dir, base_iri, full))
            loader.problems.raise_if_any()
        # the lock first: the previous build a plan reuses must not change under it
        with new_build(out) as staging:
            started = time.perf_counter()
            plan = plan_build(out, data_dir, scan, base_iri, force_full=full)
            phases.add("scan", time.perf_counter() - started)
            # the thread is stopped and gone before the spill it reads is closed, and before the staging folder goes
            with DetailSpill(staging / DETAIL_SPILL_NAME) as spill, cache_beside_load(staging, scan, iris, onto, spill) as (beside, start):
                written, view, counts, chosen, loading = _write(
                    data_dir, staging, iris, onto, phases, plan, scan, loader, engine, exports, spill, beside, start
                )
        checked = _checked(iris, counts, phases, loading, chosen)
    build_dir = out.current()
    reloaded = sorted(scan.sources) if plan.full else sorted(plan.dirty)
    return Built(
        checked=checked,
        out=out,
        build_dir=build_dir,
        counts=counts,
        exports={name: build_dir / EXPORT_DIRNAME / path.name for name, path in written.items()},
        timings=phases.timings,
        mode="full" if plan.full else "incremental",
        reloaded=reloaded,
        view=build_dir / VIEW_DIRNAME / VIEW_FILENAME if view else None,
    )


def _write(
    data_dir: Path,
    staging: Path,
    iris: Iris,
    onto: Ontology,
    phases: Phases,
    plan: Plan,
    scan: Scan,
    loader: Loader,
    engine: str,
    exports: list[str] | None,
    spill: DetailSpill,
    beside: Beside,
    start: Callable[[Loading], None],
) -> tuple[dict[str, Path], Path | None, dict[str, Any], str, Loading]:
    """Everything a build writes into its staging folder; the store is closed when this returns or raises.

    A full build writes the network cache's rows in ``beside``, which ``start`` starts once
    Oxigraph has every source (:func:`graph.build.cache.cache_beside_load`).
    """
    store, loading = _load(
        data_dir,
        staging / STORE_DIRNAME,
        iris,
        onto,
        phases,
        plan,
        scan,
        loader,
        engine,
        fingerprint=plan.full,
        details=spill,
        on_input_end=start,
    )
    counts = _counts(scan, loading.units)
    chosen = "sparql" if loading.batch_checked else _engine(engine)
    _validate(store, iris, chosen, phases, loading)
    export_timings: dict[str, float] = {}
    written: dict[str, Path] = {}
    if exports is None or exports:  # else kg export writes them on demand (graph.store.export)
        with phases.phase("export", total=len(exports) if exports is not None else len(FORMATS), unit="formats") as advance:
            written = export_all(store, staging / EXPORT_DIRNAME, iris.base, advance=advance, timings=export_timings, formats=exports)
    with phases.phase("network cache"):
        if beside.started:
            beside.result()
            phases.add("network cache (rows, beside the load)", beside.seconds)
            write_dataset(store, staging / CACHE_DIRNAME)
        else:
            spill.flush()
            write_build_cache(store, staging, scan, loading, plan, iris, onto)
        spill.close()
        cache = open_cache(staging)
    view: Path | None = None
    if counts["statements"] + counts["derived_statements"] <= VIEW_IN_BUILD_UP_TO:
        with phases.phase("view"):
            view = staging / VIEW_DIRNAME / VIEW_FILENAME
            write_view(store, view, cache=cache)
    claims = claims_graphs(store)
    counts |= {
        "quads": len(store),
        "named_graphs": sum(1 for _ in store.named_graphs()),
        "claims_graphs": len(claims),
        "claim_triples": claim_triple_count(store),
    }
    manifest = {
        "quotegraph": __version__,
        "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data_dir": str(data_dir.resolve()),
        "base_iri": iris.base,
        "mode": "full" if plan.full else "incremental",
        "reloaded_sources": len(plan.dirty) if not plan.full else len(scan.sources),
        "removed_sources": sorted(plan.removed),
        "validation_engine": chosen,
        "sources": {sid: plan.fingerprints[sid]["sha256"] for sid in scan.sources},
        "counts": counts,
        "timings_s": phases.timings,
        "export_timings_s": export_timings,
        "exports": {name: str(path.relative_to(staging)) for name, path in written.items()},
        "view": f"{VIEW_DIRNAME}/{VIEW_FILENAME}" if view else None,
        "inputs": plan.manifest_inputs(loading.units),
    }
    (staging / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    del store, cache
    gc.collect()  # closes the RocksDB handle before the folder is published
    return written, view, counts, chosen, loading


@contextlib.contextmanager
def _runtime_errors(where: Path) -> Iterator[None]:
    """A file system that fails (disk full, permissions) is runtime trouble: one line, exit 2."""
    try:
        yield
    except OSError as exc:
        raise file_system_error(exc, f"cannot write into {where}") from exc


def load_store(data_dir: Path, store_dir: Path, *, base_iri: str = DEFAULT_BASE_IRI, progress: Progress | None = None) -> dict[str, Any]:
    """Only the first half of a build: load, anchor and stream a data folder into a new store.

    No validation, no exports, no publishing; the benchmark times this phase on its own.
    """
    phases = Phases(progress)
    onto = default_ontology()
    iris = Iris(base_iri)
    loader = Loader(data_dir, onto)
    with scratch_dir() as scratch:
        with phases.phase("scan"):
            scan = scanning.scan(loader, iris.base, scratch)
            loader.problems.raise_if_any()
        store, loading = _load(data_dir, store_dir, iris, onto, phases, Plan.full_build(), scan, loader, validate=False)
        counts = _counts(scan, loading.units)
        del store
        gc.collect()
    return {"counts": counts, "timings": phases.timings}
