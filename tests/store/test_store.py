"""The store: what was built is what is stored, rebuilds are atomic, readers are read-only."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from helpers.run import DATA, kg

import graph.build.pipeline
from graph.build.pipeline import Built, build
from graph.errors import StoreError
from graph.store.builds import OutDir, default_graphs


def test_the_store_holds_exactly_the_quads_that_were_built(built: Built, store: pyoxigraph.Store) -> None:
    assert set(store) == set(built.checked.quads)
    assert len(store) == built.counts["quads"]


def test_language_tags_and_plain_literals_come_back_as_written(store: pyoxigraph.Store) -> None:
    labels = {
        q.object for q in store.quads_for_pattern(None, pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, None)
    }
    assert pyoxigraph.Literal("Elon Musk", language="de") in labels
    ids = {q.object for q in store.quads_for_pattern(None, pyoxigraph.NamedNode("https://schema.org/identifier"), None, None)}
    assert pyoxigraph.Literal("musk") in ids


def test_the_default_graph_of_queries_leaves_the_claims_graphs_out(store: pyoxigraph.Store) -> None:
    names = {g.value for g in default_graphs(store)}
    assert "https://w3id.org/quotegraph/id/graph/000_bb9b70fb7da9f08b" in names
    assert "https://w3id.org/quotegraph/id/graph/entities" in names
    assert not any(n.endswith("/claims") for n in names)


def test_the_store_is_opened_read_only(store: pyoxigraph.Store) -> None:
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://x/a"), pyoxigraph.NamedNode("http://x/p"), pyoxigraph.Literal("x")))


def test_several_readers_can_open_the_store_at_once(built: Built) -> None:
    readers = [built.out.open_store() for _ in range(3)]
    assert {len(r) for r in readers} == {built.counts["quads"]}


def test_a_rebuild_replaces_the_store_atomically_and_keeps_one_previous_build(tmp_path: Path) -> None:
    out = OutDir(tmp_path / "out")
    first = build(DATA, out)
    reader = out.open_store()  # a reader of the first build, e.g. a running server
    second = build(DATA, out)
    assert first.build_dir != second.build_dir
    assert out.current() == second.build_dir
    assert len(reader) == second.counts["quads"], "the previous build stays readable"
    third = build(DATA, out)
    assert sorted(p.name for p in out.builds.iterdir()) == sorted([second.build_dir.name, third.build_dir.name])


@pytest.mark.parametrize("rebuild", ["--full", None])
def test_builds_into_a_relative_out_folder_keep_the_published_build(tmp_path: Path, rebuild: str | None) -> None:
    """``kg build --out out`` from the folder holding ``out``: the new build is the one kept."""
    for _ in range(2):
        result = kg("build", "--out", "out", "--export", "none", *([rebuild] if rebuild else []), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        out = OutDir(tmp_path / "out")
        assert (out.current() / "store").is_dir()
        assert len(out.open_store()) > 0


def test_a_build_that_fails_while_writing_leaves_the_previous_build_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = OutDir(tmp_path / "out")
    first = build(DATA, out)
    exported = {p.name: p.read_bytes() for p in first.exports.values()}

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(graph.build.pipeline, "export_all", disk_full)
    with pytest.raises(StoreError, match="No space left"):
        build(DATA, out)
    assert out.current() == first.build_dir
    assert {p.name: p.read_bytes() for p in (first.build_dir / "export").iterdir()} == exported
    assert [p.name for p in out.builds.iterdir()] == [first.build_dir.name], "no half-written build is left behind"


def test_only_one_build_writes_at_a_time(tmp_path: Path) -> None:
    out = OutDir(tmp_path / "out")
    out.root.mkdir(parents=True)
    with open(out.root / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another build is running"):
            build(DATA, out)


def test_a_folder_not_made_by_kg_build_is_not_overwritten(tmp_path: Path) -> None:
    out = OutDir(tmp_path / "out")
    (out.root / "current").mkdir(parents=True)
    with pytest.raises(StoreError, match="not a symlink"):
        build(DATA, out)


def test_a_missing_store_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `kg build` first"):
        OutDir(tmp_path / "nothing").open_store()


def test_a_current_link_to_a_deleted_build_is_reported(tmp_path: Path) -> None:
    out = OutDir(tmp_path / "out")
    built = build(DATA, out)
    shutil.rmtree(built.build_dir)
    with pytest.raises(StoreError, match="holds no store"):
        out.open_store()
