"""The benchmark: every phase of a build at several sizes, beside the floors of the tools used.

For each size the corpus is generated (:mod:`tests.bench.generate`), then each phase of
:data:`PHASES` runs in a fresh child process, so that its peak RSS (``ru_maxrss``) is its own.
Floors are measured in the same run on the same data: Oxigraph's bulk load of the N-Quads the
build wrote, Oxigraph's own serialisers (``Store.dump``), and rdflib's parser (only up to
:data:`RDFLIB_UP_TO` statements, where it still finishes in reasonable time). A phase with a
floor is reported as a ratio to it.

Phases form a registry: a :class:`Phase` is a function of the :class:`~tests.bench.context.Context`. The questions
asked of the built graph (a bundled query against raw pyoxigraph, ``kg path``, ``kg neighbors``,
a focused view and its time to usable in Chromium) are in :mod:`tests.bench.asking`.
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import platform
import resource
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import asking
from .context import Context

#: rdflib's parser is timed up to this many statements (it needs minutes and gigabytes beyond).
RDFLIB_UP_TO = 100_000


@dataclass(frozen=True)
class Phase:
    name: str
    run: Callable[[Context], dict[str, Any]]
    #: the name of the phase this one is compared with (a floor), if any
    floor: str | None = None
    is_floor: bool = False
    applies: Callable[[int], bool] = lambda _n: True


def _generate(ctx: Context) -> dict[str, Any]:
    from .generate import generate

    shutil.rmtree(ctx.data, ignore_errors=True)
    return {"corpus": generate(ctx.statements, ctx.data, seed=1)}


def _load_store(ctx: Context) -> dict[str, Any]:
    from graph.build.pipeline import load_store

    shutil.rmtree(ctx.store, ignore_errors=True)
    result = load_store(ctx.data, ctx.store)
    return {"timings": result["timings"], "quads": _count(ctx.store)}


def _count(store_dir: Path) -> int:
    import pyoxigraph

    return len(pyoxigraph.Store.read_only(str(store_dir)))


def _validate(ctx: Context) -> dict[str, Any]:
    """kg validate: the load of the previous row plus the SHACL checks, as kg build runs them."""
    from graph.build.pipeline import check

    checked = check(ctx.data)
    return {"timings": checked.timings, "engine": checked.engine}


def _data_checks(ctx: Context) -> dict[str, Any]:
    """The checks kg build and kg validate run on the store (graph.validate.contract), alone on the
    built store; the time is the CPU time of the thread that runs them (Oxigraph evaluates a query
    in the calling thread), which is what the target of 60 s of CPU is about."""
    import pyoxigraph

    from graph.rdf.quads import DEFAULT_BASE_IRI, Iris
    from graph.validate.contract import store_checks, validate_data

    store = pyoxigraph.Store.read_only(str(ctx.built_store))
    started, wall = time.thread_time(), time.perf_counter()
    violations = validate_data(store, Iris(DEFAULT_BASE_IRI))
    cpu = time.thread_time() - started
    return {"seconds": cpu, "wall_s": time.perf_counter() - wall, "violations": len(violations), "checks": len(store_checks(store))}


def _export(name: str, target: Callable[[Context], Path]) -> Callable[[Context], dict[str, Any]]:
    """``kg export -f NAME -o FILE`` as a command: the first time it dumps the store into the build folder and FILE at once,
    after that it copies the build folder's file."""

    def run(ctx: Context) -> dict[str, Any]:
        import subprocess
        import sys

        path = target(ctx)
        argv = [sys.executable, "-m", "graph", "export", "-f", name, "-o", str(path), "--build", str(ctx.out)]
        done = subprocess.run(argv, capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"kg export failed: {done.stderr.decode(errors='replace')[-500:]}")
        return {"bytes": path.stat().st_size}

    return run


def _dump(fmt: str) -> Callable[[Context], dict[str, Any]]:
    def run(ctx: Context) -> dict[str, Any]:
        import pyoxigraph

        path = ctx.work / f"dump.{fmt}"
        with open(path, "wb") as handle:
            pyoxigraph.Store.read_only(str(ctx.built_store)).dump(handle, pyoxigraph.RdfFormat.from_extension(fmt))
        size = path.stat().st_size
        path.unlink()
        return {"bytes": size}

    return run


def _bulk_load_floor(ctx: Context) -> dict[str, Any]:
    import pyoxigraph

    target = ctx.work / "floor-store"
    shutil.rmtree(target, ignore_errors=True)
    store = pyoxigraph.Store(str(target))
    store.bulk_load(path=str(ctx.nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    quads = len(store)
    del store
    shutil.rmtree(target, ignore_errors=True)
    return {"quads": quads}


def _rdflib_parse(ctx: Context) -> dict[str, Any]:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(ctx.nquads, format="nquads")
    return {"quads": len(dataset)}


def _full_build(ctx: Context) -> dict[str, Any]:
    """``kg build`` as it runs by default: no exports (kg export writes them on demand), the network cache, the view up to 20,000 statements."""
    from graph.build.pipeline import build
    from graph.store.builds import OutDir

    shutil.rmtree(ctx.out, ignore_errors=True)
    built = build(ctx.data, OutDir(ctx.out), full=True, exports=[])
    return {"timings": built.timings, "engine": built.checked.engine, "quads": built.counts["quads"]}


def _incremental(ctx: Context) -> dict[str, Any]:
    from graph.build.pipeline import build
    from graph.store.builds import OutDir

    text = next(iter(sorted((ctx.data / "sources").glob("*.txt"))))
    text.write_text(text.read_text(encoding="utf-8") + "\nNachtrag der Redaktion.\n", encoding="utf-8")
    built = build(ctx.data, OutDir(ctx.out), exports=[])
    if built.mode != "incremental" or len(built.reloaded) != 1:
        raise RuntimeError(f"expected an incremental rebuild of one source, got {built.mode} of {len(built.reloaded)}")
    return {"timings": built.timings, "reloaded": built.reloaded}


#: phases that repeat what "kg build" already does inside (its timings are in the JSON) run only up
#: to this size; at a million statements the build's own timings give them
REPEATS_UP_TO = 100_000
_small = lambda n: n <= REPEATS_UP_TO  # noqa: E731 - a predicate in a table
BUILD = "kg build (default: no exports, cache, view)"

PHASES: list[Phase] = [
    Phase("generate corpus", _generate),
    Phase(BUILD, _full_build, floor="floor: Oxigraph bulk load"),
    Phase(
        "kg export N-Quads, first (into the build and -o)", _export("nquads", lambda ctx: ctx.nquads), floor="floor: Oxigraph dump N-Quads"
    ),
    Phase("kg export N-Quads, again (served)", _export("nquads", lambda ctx: ctx.work / "again.nq"), floor="floor: Oxigraph dump N-Quads"),
    Phase("floor: Oxigraph bulk load", _bulk_load_floor, is_floor=True),
    Phase("floor: Oxigraph dump N-Quads", _dump("nq"), is_floor=True),
    Phase("floor: rdflib parse", _rdflib_parse, floor="floor: Oxigraph bulk load", is_floor=True, applies=lambda n: n <= RDFLIB_UP_TO),
    Phase("load, anchor, RDF → store", _load_store, floor="floor: Oxigraph bulk load", applies=_small),
    Phase("kg validate (load + SHACL checks)", _validate, floor="floor: Oxigraph bulk load"),
    Phase("SHACL checks of kg build/validate, alone (thread CPU s)", _data_checks),
    Phase("kg build, 1 source changed", _incremental, floor=BUILD),
    Phase("floor: raw pyoxigraph relations-of", asking.query_raw, is_floor=True),
    Phase("kg query relations-of (median)", asking.query_kg, floor="floor: raw pyoxigraph relations-of"),
    Phase("kg path far → hub (command)", asking.path_command),
    Phase("kg neighbors --depth 2 (command)", asking.neighbours_command),
    Phase("kg view --focus hub (≤ 5,000 nodes)", asking.view_command),
    Phase("that view usable in Chromium", asking.view_usable, applies=lambda _n: asking.browser_available()),
]


def _child(phase_index: int, ctx: Context) -> dict[str, Any]:
    started = time.perf_counter()
    info = PHASES[phase_index].run(ctx)
    # a phase that times a part of its work itself (a median of runs) says so
    seconds = info.pop("seconds", time.perf_counter() - started)
    # the phase's own process, and the largest of the processes it started (build workers, kg commands)
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    own_kb, children_kb = own.ru_maxrss, children.ru_maxrss
    return {
        # CPU seconds (user + system) of the phase's process and of the processes it waited for: on
        # two cores a phase cannot take less than (cpu_s + child_cpu_s) / 2 of wall time
        "cpu_s": own.ru_utime + own.ru_stime,
        "child_cpu_s": children.ru_utime + children.ru_stime,
        "seconds": seconds,
        # other users of the machine: the one-minute load average when the phase ended
        "loadavg": os.getloadavg()[0],
        "peak_rss_mb": max(own_kb, children_kb) / 1024,
        "own_rss_mb": own_kb / 1024,
        "child_rss_mb": children_kb / 1024,
        **info,
    }


@dataclass
class Measurement:
    phase: str
    statements: int
    seconds: float
    peak_rss_mb: float
    info: dict[str, Any] = field(default_factory=dict)
    ratio: float | None = None


def measure(
    statements: int,
    work: Path,
    on_phase: Callable[[str], None] | None = None,
    log: Path | None = None,
    only: tuple[str, ...] = (),
) -> list[Measurement]:
    """Every applicable phase at one size (with ``only``, those whose name starts with one of them), each in its own child process.

    A phase reads what earlier ones left in ``work`` (the corpus, the build, the N-Quads export):
    a run ``only`` some phases needs a work folder where those ran before, or names them too.
    """
    ctx = Context(work=work, statements=statements)
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Measurement] = {}
    spawn = multiprocessing.get_context("spawn")
    for index, phase in enumerate(PHASES):
        if not phase.applies(statements) or (only and not phase.name.startswith(only)):
            continue
        if on_phase:
            on_phase(f"{statements:,}: {phase.name}")
        with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            raw = pool.submit(_child, index, ctx).result()
        seconds, rss = raw.pop("seconds"), raw.pop("peak_rss_mb")
        results[phase.name] = Measurement(phase.name, statements, seconds, rss, raw)
        if log is not None:  # partial results survive an interrupted run
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(
                    json.dumps({"phase": phase.name, "statements": statements, "seconds": seconds, "peak_rss_mb": rss, **raw}) + "\n"
                )
    for phase in PHASES:
        found = results.get(phase.name)
        floor = results.get(phase.floor or "")
        if found and floor and floor.seconds > 0:
            found.ratio = found.seconds / floor.seconds
    return list(results.values())


def machine() -> dict[str, Any]:
    """nproc, RAM, CPU model and load: the context every number needs."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        load = []
    return {"nproc": os.cpu_count(), "ram_gb": round(ram, 1), "cpu": model, "loadavg": " ".join(load), "python": platform.python_version()}
