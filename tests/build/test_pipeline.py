"""Worker processes build the same graph as one process, and report the same problems.

The parallel path only starts above a size threshold; these tests lower the batch size so a
small generated corpus is split into several batches and really goes through the process pool.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from bench.generate import generate

from graph.build import loading
from graph.build import workers as pipeline
from graph.build.pipeline import build
from graph.build.plan import source_fingerprints
from graph.errors import DataError
from graph.rdf.quads import Iris
from graph.sources.loader import Loader
from graph.store.builds import OutDir
from graph.validate.compiled import compile_shapes, run_checks
from graph.validate.shacl import lines_of, validate_with_sparql

N = 800


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pipeline") / "data"
    generate(N, target, seed=11)
    return target


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 20_000)


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> OutDir:
    out = OutDir(tmp_path_factory.mktemp("serial") / "out")
    build(corpus, out, engine="sparql")
    return out


def test_a_small_corpus_stays_in_one_process(corpus: Path) -> None:
    files = list(__import__("graph.sources.loader", fromlist=["Loader"]).Loader(corpus).scan().sources.values())
    assert len(pipeline.batches(files)) < loading.PARALLEL_FROM_BATCHES


def test_worker_processes_build_exactly_the_same_store_and_the_build_gives_memory_back_as_they_go(
    corpus: Path, serial: OutDir, tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = list(__import__("graph.sources.loader", fromlist=["Loader"]).Loader(corpus).scan().sources.values())
    # more batches than the window of batches in flight: the pool is refilled as results are taken, in order
    batches = len(pipeline.batches(files))
    assert batches > 2 * pipeline.IN_FLIGHT_PER_WORKER * 2
    given_back: list[int] = []
    monkeypatch.setattr(loading, "GIVE_BACK_EVERY_S", -1.0)
    monkeypatch.setattr(loading, "give_back_memory", lambda: given_back.append(1))
    out = OutDir(tmp_path / "out")
    built = build(corpus, out, engine="sparql")  # every shape, batch by batch in the workers
    assert len(given_back) == batches, "once per batch taken from the workers, when every interval has passed"
    assert built.counts["statements"] == N
    manifest = out.manifest()
    assert manifest["validation_engine"] == "sparql"
    assert any("workers, cpu" in phase for phase in manifest["timings_s"]), "the pool really ran"
    assert set(out.open_store()) == set(serial.open_store())


def test_a_data_error_in_a_worker_names_file_line_and_field(corpus: Path, tmp_path: Path, small_batches: None) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    victim = sorted((data / "statements").glob("*.yaml"))[-1]
    text = victim.read_text(encoding="utf-8")
    line = text[: text.index("    predicate: ")].count("\n") + 1
    victim.write_text(text.replace("    predicate: ", "    predicate: nonsense", 1), encoding="utf-8")
    out = OutDir(tmp_path / "out")
    with pytest.raises(DataError) as info:
        build(data, out)
    (problem,) = info.value.problems
    assert (str(problem.file), problem.line) == (f"data/statements/{victim.name}", line)
    assert "unknown predicate 'nonsense" in problem.message
    assert not out.root.exists() or not (out.root / "current").exists()


def test_batch_checks_and_whole_graph_checks_together_are_every_check(serial: OutDir) -> None:
    checks = compile_shapes(serial.open_store())
    local = [c for c in checks if not pipeline.is_global(c)]
    global_ = [c for c in checks if pipeline.is_global(c)]
    assert local
    assert global_
    assert len(local) + len(global_) == len(checks)


def test_a_broken_batch_reports_what_the_whole_store_check_reports(serial: OutDir) -> None:
    store = serial.open_store()
    iris = Iris(serial.manifest()["base_iri"])
    quote = next(q for q in store.quads_for_pattern(None, pyoxigraph.NamedNode("http://www.w3.org/ns/oa#start"), None, None))
    broken = pyoxigraph.Store()
    broken.extend(q for q in store if q != quote)  # one position selector without its start
    expected = validate_with_sparql(broken, iris)
    assert expected
    checks = [c for c in compile_shapes(broken) if not pipeline.is_global(c)]
    assert lines_of(run_checks(broken, checks), iris) == expected


def test_a_regarding_across_batches_resolves_and_a_missing_one_is_named(corpus: Path, tmp_path: Path, small_batches: None) -> None:
    """Workers load batches apart; the build looks the names a ``regarding`` gives up in every batch's rows."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    files = sorted((data / "statements").glob("*.yaml"))
    target = next(f for f in files if "regarding:" in f.read_text(encoding="utf-8"))
    referenced = target.read_text(encoding="utf-8").split("regarding: [", 1)[1].split("]", 1)[0]
    last = files[-1] if files[-1] != target else files[-2]
    text = last.read_text(encoding="utf-8")
    first_item = text.index("  - subject: ")
    across = text[:first_item] + f"  - regarding: [{referenced}]\n    subject: " + text[first_item + len("  - subject: ") :]
    last.write_text(across, encoding="utf-8")
    built = build(data, OutDir(tmp_path / "out"), exports=[])
    assert any("workers" in phase for phase in built.timings)

    last.write_text(across.replace(f"regarding: [{referenced}]", f"regarding: [{referenced}x]", 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(data, OutDir(tmp_path / "out2"), exports=[])
    (problem,) = info.value.problems
    assert problem.message.startswith(f"unknown statement '{referenced}x' (did you mean '{referenced}'")


def test_the_sources_hashed_by_the_workers_are_what_the_next_build_compares(corpus: Path, tmp_path: Path, small_batches: None) -> None:
    """A full build hashes its sources where they are loaded; a rebuild with nothing changed then reloads nothing."""
    out = OutDir(tmp_path / "out")
    first = build(corpus, out, exports=[])
    assert any("workers" in phase for phase in first.timings)
    scan = Loader(corpus).scan()
    expected = source_fingerprints(scan, corpus)
    units = out.manifest()["inputs"]["units"]
    assert {sid: units[sid]["files"] for sid in units} == {sid: fp["files"] for sid, fp in expected.items()}
    again = build(corpus, out, exports=[])
    assert (again.mode, again.reloaded) == ("incremental", [])


def test_giving_memory_back_calls_glibc_where_there_is_glibc() -> None:
    import platform

    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert loading._malloc_trim() is not None
    loading.give_back_memory()  # and returns, with glibc or without
