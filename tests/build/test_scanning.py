"""A big data folder is scanned in another process, and the build is the same as if it were not.

``graph.build.scanning`` decides by the size of the YAML; here the threshold is set to 0 (the
decision is made in the build process, so the setting holds) and every scan of a full build of
these small folders runs in a real child process, whose records reach the workers through a
file. A rebuild that reuses the previous build scans in the build process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from helpers.corpora import corpus_for_workers
from helpers.project import write_project

from graph.build import scanning, workers
from graph.build.loading import Loading
from graph.build.pipeline import build, check
from graph.errors import DataError
from graph.network.files import CACHE_DIRNAME
from graph.sources.stored import StoredEntities
from graph.store.builds import STORE_DIRNAME, OutDir

#: statements enough for several batches of BATCH_BYTES: the workers load them
N = 1_500
#: smaller batches than a build's (graph.build.workers.BATCH_BYTES), decided in the build process
BATCH_BYTES = 100_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_for_workers(tmp_path_factory.mktemp("scanning") / "data", N, seed=11, batch_bytes=BATCH_BYTES)


def _cache(build_dir: Path) -> dict[str, Any]:
    folder = build_dir / CACHE_DIRNAME
    arrays = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "network").glob("*.npy"))}
    db = sqlite3.connect(folder / "network.sqlite")
    try:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = {name: sorted(map(repr, db.execute(f"SELECT * FROM {name}"))) for name in tables}  # noqa: S608 - our own table names
    finally:
        db.close()
    return {"arrays": arrays, "rows": rows}


def _quads(build_dir: Path) -> set[pyoxigraph.Quad]:
    store = pyoxigraph.Store.read_only(str(build_dir / STORE_DIRNAME))
    return set(store)


def test_a_folder_scanned_in_another_process_builds_the_same_graph_and_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "BATCH_BYTES", BATCH_BYTES)
    here = build(corpus, OutDir(tmp_path / "here"), full=True, exports=[])
    seen: list[object] = []
    original = Loading.load

    def load(self: Loading, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        entities = self.scan.entities
        seen.append((type(entities).__name__, getattr(entities, "loaded", None)))

    monkeypatch.setattr(Loading, "load", load)
    monkeypatch.setattr(scanning, "ELSEWHERE_FROM_BYTES", 0)
    elsewhere = build(corpus, OutDir(tmp_path / "elsewhere"), full=True, exports=[])
    # the build process never read the entity records while Oxigraph was loading
    assert seen == [("StoredEntities", False)]
    assert elsewhere.timings.get("load and anchor (workers, cpu)", 0) > 0, "the workers loaded the sources"
    assert elsewhere.counts == here.counts
    assert elsewhere.checked.warning_count == here.checked.warning_count
    assert [str(w) for w in elsewhere.checked.warnings] == [str(w) for w in here.checked.warnings]
    assert elsewhere.counts["entities"] > 0
    assert _quads(elsewhere.build_dir) == _quads(here.build_dir)
    assert _cache(elsewhere.build_dir) == _cache(here.build_dir)


def test_a_problem_found_in_the_scanning_process_is_reported_as_it_is_found_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Anna Alder sagte am Montag, die Firma Beta sei verkauft.\n"
    meta = {"id": "s1", "title": "Ein Test", "language": "de", "date": "2026-12-03"}
    entities = [
        {"id": "anna-alder", "kind": "person", "label": {"de": "Anna Alder"}},
        {"id": "beta", "kind": "organization", "type": "Lawsut", "label": {"de": "Beta"}},
    ]
    statements = [
        {"subject": "anna-alder", "predicate": "describedAs", "value": "verkauft", "quote": "Anna Alder sagte", "asserted_by": "anna-alder"}
    ]
    data = write_project(tmp_path, "s1", text, meta, entities, statements)
    with pytest.raises(DataError) as here:
        check(data)
    started: list[int] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(scanning, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(scanning, "ELSEWHERE_FROM_BYTES", 0)
    with pytest.raises(DataError) as elsewhere:
        check(data)
    assert started == [1], "the scan ran in the build process"
    assert [str(p) for p in elsewhere.value.problems] == [str(p) for p in here.value.problems]
    assert any("unknown type 'Lawsut'" in str(p) for p in elsewhere.value.problems), elsewhere.value.problems


def test_the_records_of_a_stored_scan_are_read_only_when_asked_for_and_never_pickled(tmp_path: Path) -> None:
    import pickle

    from graph.model.records import Entity, EntityIn

    records = {
        ident: Entity.of(EntityIn.model_validate({"id": ident, "kind": "person", "label": {"en": ident.title()}}))
        for ident in ("ada", "bob")
    }
    stored = StoredEntities.write(records, tmp_path / "entities.pickle")
    assert list(stored) == ["ada", "bob"]
    assert len(stored) == 2
    assert "bob" in stored
    assert "eve" not in stored
    assert stored.kinds == {"person": 2}
    assert not stored.loaded
    sent = pickle.loads(pickle.dumps(stored))  # noqa: S301 - what a worker receives
    assert len(pickle.dumps(stored)) < 1_000
    assert not sent.loaded
    assert sent["bob"] == records["bob"]
    assert sent.loaded
    with pytest.raises(KeyError):
        sent["eve"]
    sent.release()
    assert not sent.loaded


def test_a_rebuild_that_reuses_the_previous_build_scans_here_and_one_after_an_entity_edit_elsewhere(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental build loads few sources and reads every entity record for its cache: a child
    would write them out for this process to read back. A changed entity file means a full build."""
    monkeypatch.setattr(workers, "BATCH_BYTES", BATCH_BYTES)
    monkeypatch.setattr(scanning, "ELSEWHERE_FROM_BYTES", 0)
    data = tmp_path / "data"
    shutil.copytree(corpus, data)
    out = OutDir(tmp_path / "out")
    scanned: list[str] = []
    original = scanning.scan

    def scan(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        scanned.append("elsewhere" if isinstance(found.entities, StoredEntities) else "here")
        return found

    monkeypatch.setattr(scanning, "scan", scan)
    assert build(data, out, exports=[]).mode == "full"
    text = sorted((data / "sources").glob("*.txt"))[0]
    text.write_text(text.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    again = build(data, out, exports=[])
    assert (again.mode, len(again.reloaded)) == ("incremental", 1)
    made_here = _quads(again.build_dir), _cache(again.build_dir)  # the output folder keeps one previous build only
    entity_file = sorted((data / "entities").glob("*.yaml"))[0]
    entity_file.write_text(entity_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(data, out, exports=[]).mode == "full"
    rebuilt = build(data, out, exports=[], full=True)
    assert rebuilt.mode == "full"
    assert scanned == ["elsewhere", "here", "elsewhere", "elsewhere"]
    # the entity edit was a trailing newline: the rebuild scanned here made what those scanned elsewhere made
    assert made_here == (_quads(rebuilt.build_dir), _cache(rebuilt.build_dir))


def _three_kinds_of_problem(tmp_path: Path) -> Path:
    """A folder with problems in each part of a scan: a source's metadata, the entities, a statements file."""
    text = "Anna Alder sagte am Montag, die Firma Beta sei verkauft.\n"
    meta = {"id": "s1", "title": "Ein Test", "language": "de", "date": dt.date(2026, 12, 3)}
    entities = [
        {"id": "anna-alder", "kind": "person", "label": {"de": "Anna Alder"}},
        {"id": "anna-alder-2", "kind": "person", "label": {"de": "Anna Alder"}},  # a warning: the same name
        {"id": "beta", "kind": "organization", "type": "Lawsut", "label": {"de": "Beta"}},
    ]
    statements = [
        {
            "subject": "anna-alder",
            "predicate": "describedAs",
            "value": "verkauft",
            "quote": "die Firma Beta sei verkauft",
            "voice": "quotation",
            "asserted_by": "anna-alder",
        },
        {
            "subject": "beta",
            "predicate": "describedAs",
            "value": "verkauft",
            "quote": "Firma Beta sei verkauft",
            "voice": "quotation",
            "asserted_by": "anna-alder-2",
        },
    ]
    data = write_project(tmp_path, "s1", text, meta, entities, statements)
    (data / "sources" / "s2.yaml").write_text("id: s2\ntitle: Zwei\nlanguage: de\ndate: 2026-12-03\ncolour: blau\n", encoding="utf-8")
    (data / "statements" / "orphan.yaml").write_text("source: s9\nstatements: []\n", encoding="utf-8")
    return data


@pytest.mark.parametrize("cap", [100, 2])
def test_problems_from_both_halves_of_a_split_scan_come_in_the_order_of_one_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """The child reads the entities while the build process reads sources and statement heads;
    what both found is reported as a scan in one process reports it, under the same cap."""
    from graph.sources import located

    monkeypatch.setattr(located, "MAX_PROBLEMS", cap)
    data = _three_kinds_of_problem(tmp_path)
    with pytest.raises(DataError) as here:
        check(data)
    monkeypatch.setattr(scanning, "ELSEWHERE_FROM_BYTES", 0)
    submitted: list[str] = []
    original = ProcessPoolExecutor.submit

    def submit(self: ProcessPoolExecutor, fn: Any, *args: Any, **kwargs: Any) -> Any:
        submitted.append(fn.__name__)
        return original(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    with pytest.raises(DataError) as elsewhere:
        check(data)
    assert submitted == ["_scan_entities_here"]
    shown = [str(p) for p in elsewhere.value.problems]
    assert shown == [str(p) for p in here.value.problems]
    if cap == 100:
        assert any("colour" in p for p in shown), shown  # the sources' half, read in the build process
        assert any("unknown type 'Lawsut'" in p for p in shown), shown  # the child's half
        assert any("unknown source 's9'" in p for p in shown), shown  # the statement files, read here
    else:
        assert len(shown) == 2


def test_warnings_from_the_scanning_process_reach_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _three_kinds_of_problem(tmp_path)
    (data / "sources" / "s2.yaml").unlink()
    (data / "statements" / "orphan.yaml").unlink()
    entities = (data / "entities.yaml").read_text(encoding="utf-8").replace("  type: Lawsut\n", "")
    (data / "entities.yaml").write_text(entities, encoding="utf-8")
    here = check(data)
    monkeypatch.setattr(scanning, "ELSEWHERE_FROM_BYTES", 0)
    elsewhere = check(data)
    assert here.warning_count == elsewhere.warning_count == 1
    assert [str(w) for w in elsewhere.warnings] == [str(w) for w in here.warnings]
    assert "anna-alder" in str(elsewhere.warnings[0])
