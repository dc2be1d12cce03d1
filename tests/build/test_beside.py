"""A full build writes the network cache's rows in a thread while Oxigraph finishes loading.

The cache it writes is the cache the build wrote after the load (``tests/network/test_cache.py``
compares it with an incremental build's, written after the load, and with one read back from
the store). Here: that the thread really runs during the load, that what it raises is the build's
error, and that a build failing while it runs stops it and leaves nothing behind.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from helpers.corpora import corpus_for_workers

from graph.build import cache, pipeline, workers
from graph.build.beside import Beside, Stopped
from graph.build.loading import Loading
from graph.build.pipeline import build
from graph.errors import GraphInvalid, StoreError
from graph.store.builds import OutDir, claim_triple_count, claims_graphs

BATCH_BYTES = 100_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_for_workers(tmp_path_factory.mktemp("beside") / "data", 1_200, seed=5, batch_bytes=BATCH_BYTES)


def _no_cache_thread() -> bool:
    return not any(t.name.startswith("quotegraph: ") for t in threading.enumerate())


def _left_in(out: Path) -> list[str]:
    """What a failed first build left in its output folder (the lock file aside)."""
    return sorted(p.name for p in out.rglob("*") if not p.name.startswith(".lock"))


def test_the_cache_rows_are_written_while_the_workers_output_is_still_being_loaded(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "BATCH_BYTES", BATCH_BYTES)
    events: list[str] = []
    original_load, original_start = Loading.load, Beside.start

    def load(self: Loading, *args: Any, **kwargs: Any) -> None:
        original_load(self, *args, **kwargs)
        events.append("bulk load returned")

    def start(self: Beside) -> None:
        events.append(f"{self.name} started")
        original_start(self)

    monkeypatch.setattr(Loading, "load", load)
    monkeypatch.setattr(Beside, "start", start)
    built = build(corpus, OutDir(tmp_path / "out"), full=True, exports=[])
    assert events == ["network cache started", "bulk load returned"]
    assert built.timings["load and anchor (workers, cpu)"] > 0, "the workers loaded the sources"
    assert built.timings["network cache (rows, beside the load)"] > 0
    assert _no_cache_thread()


def test_an_incremental_build_writes_its_cache_after_the_load_and_starts_no_thread(corpus: Path, tmp_path: Path) -> None:
    out = OutDir(tmp_path / "out")
    build(corpus, out, full=True, exports=[])
    text = sorted((corpus / "sources").glob("*.txt"))[0]
    original = text.read_text(encoding="utf-8")
    try:
        text.write_text(original + "\nNachtrag.\n", encoding="utf-8")
        again = build(corpus, out, exports=[])
    finally:
        text.write_text(original, encoding="utf-8")
    assert again.mode == "incremental"
    assert "network cache (rows, beside the load)" not in again.timings
    assert again.timings["network cache"] > 0


def test_a_failure_in_the_cache_thread_fails_the_build_with_one_line_and_publishes_nothing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where: list[str] = []

    def full_disk(*_args: Any, **_kwargs: Any) -> None:
        where.append(threading.current_thread().name)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "write_rows", full_disk)
    with pytest.raises(StoreError) as failed:
        build(corpus, OutDir(tmp_path / "out"), full=True, exports=[])
    assert where == ["quotegraph: network cache"], "it failed in the thread, not after the load"
    assert "No space left on device" in str(failed.value)
    assert "\n" not in str(failed.value)
    assert _left_in(tmp_path / "out") == []
    assert _no_cache_thread()


def test_a_build_that_fails_after_the_load_stops_the_cache_thread_and_leaves_nothing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped: list[bool] = []
    writing = threading.Event()

    def slow_rows(*args: Any, between: Any = None, **_kwargs: Any) -> None:
        between = between or args[-1]
        writing.set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                between()
            except Stopped:
                stopped.append(True)
                raise
            time.sleep(0.01)
        stopped.append(False)  # never asked to stop: the build would have published without it

    def invalid(*_args: Any, **_kwargs: Any) -> None:
        assert writing.wait(30), "the thread never began to write"
        raise GraphInvalid(["a violation found by the data checks"])

    monkeypatch.setattr(cache, "write_rows", slow_rows)
    monkeypatch.setattr(pipeline, "_validate", invalid)
    started = time.monotonic()
    with pytest.raises(GraphInvalid):
        build(corpus, OutDir(tmp_path / "out"), full=True, exports=[])
    assert stopped == [True]
    assert time.monotonic() - started < 50, "the build waited for the thread to end by itself"
    assert _left_in(tmp_path / "out") == []
    assert _no_cache_thread()


def test_beside_hands_its_error_to_the_caller_and_stops_between_steps() -> None:
    def fails(_between: Any) -> None:
        raise ValueError("broken rows")

    failing = Beside("failing", fails)
    failing.start()
    with pytest.raises(ValueError, match="broken rows"):
        failing.result()
    failing.result()  # raised once; the thread is over

    steps: list[int] = []
    go_on = threading.Event()

    def work(between: Any) -> None:
        for step in range(1_000):
            go_on.wait()
            between()
            steps.append(step)

    stopping = Beside("stopping", work)
    stopping.start()
    stopping._stop.set()  # asked to stop before its first step
    go_on.set()
    stopping.stop()
    stopping.result()  # Stopped is how it ends, not an error
    assert steps == []
    with pytest.raises(RuntimeError, match="never started"):
        Beside("idle", work).result()
    Beside("idle", work).stop()  # nothing to stop


def test_the_claim_triples_counted_by_oxigraph_are_the_triples_of_the_claims_graphs(store: pyoxigraph.Store) -> None:
    claims = claims_graphs(store)
    assert claims
    by_hand = sum(1 for g in claims for _ in store.quads_for_pattern(None, None, None, g))
    assert by_hand > 0
    assert claim_triple_count(store) == by_hand


def test_the_claim_triples_of_a_graph_typed_twice_are_counted_once() -> None:
    store = pyoxigraph.Store()
    claims, source, other = (pyoxigraph.NamedNode(f"https://example.org/{name}") for name in ("claims", "source", "other"))
    typed = pyoxigraph.NamedNode("https://w3id.org/quotegraph/ontology#ClaimsGraph")
    rdf_type = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add(pyoxigraph.Quad(claims, rdf_type, typed, source))
    store.add(pyoxigraph.Quad(claims, rdf_type, typed, other))
    for i in range(3):
        store.add(pyoxigraph.Quad(source, pyoxigraph.NamedNode(f"https://example.org/p{i}"), pyoxigraph.Literal("x"), claims))
    assert claim_triple_count(store) == 3 == sum(1 for _ in store.quads_for_pattern(None, None, None, claims))


def test_a_second_interrupt_while_stopping_waits_for_the_thread_and_is_raised_after() -> None:
    import _thread

    release = threading.Event()

    def stubborn(between: Any) -> None:
        release.wait(5)  # a long step: it sees the request to stop only when it is done
        between()

    beside = Beside("stubborn", stubborn)
    beside.start()
    threading.Timer(0.2, _thread.interrupt_main).start()  # Ctrl-C while stop() waits
    threading.Timer(0.6, release.set).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        beside.stop()
    assert time.monotonic() - started >= 0.5, "the interrupt cut the wait short"
    assert beside._thread is not None
    assert not beside._thread.is_alive()
