"""The network cache answers as the full projection does, and is rebuilt with the store.

``kg neighbors``, ``kg path``, ``kg central``, ``kg communities``, ``kg lookup`` and the view's
selection read the build's cache instead of projecting the whole graph; these tests hold the two
ways to the same answers, on the bundled graph and on a generated one with heavy-tailed degrees.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph
import pytest
from bench.generate import generate
from helpers import network_oracle as oracle
from helpers.run import kg

from graph.build import workers
from graph.build.pipeline import Built, build
from graph.network import cached, details
from graph.network.arrays import NetworkCache, open_cache
from graph.network.files import DETAIL_OFFSETS_FILENAME, DETAILS_FILENAME
from graph.network.names import IndexedNames
from graph.network.projection import project
from graph.network.write import write_network_cache
from graph.query.dataset import CACHE_DIRNAME
from graph.query.lookup import EntityNotFound, Names
from graph.store.builds import OutDir

N = 1_500


class Case:
    def __init__(self, out: OutDir):
        self.out = out
        self.store = out.open_store()
        found = open_cache(out.current())
        assert found is not None, "kg build writes the network cache"
        self.cache: NetworkCache = found
        self.projection = project(self.store)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Case:
    root = tmp_path_factory.mktemp("cache")
    generate(N, root / "data", seed=11)
    build(root / "data", OutDir(root / "out"), full=True)
    return Case(OutDir(root / "out"))


@pytest.fixture(scope="module")
def bundled(bundled_built: Built) -> Case:
    return Case(bundled_built.out)


@pytest.fixture(params=["bundled", "generated"])
def case(request: pytest.FixtureRequest) -> Case:
    found: Case = request.getfixturevalue(request.param)
    return found


def _hubs_and_leaves(case: Case, count: int) -> list[str]:
    """Entities of every kind of degree: the biggest hubs, some from the middle, some leaves."""
    by_degree = sorted(case.projection.nodes, key=lambda n: (-case.projection.degree(n), n))
    picked = by_degree[:count] + random.Random(5).sample(  # noqa: S311 - a fixed sample, not a secret
        by_degree, min(count, len(by_degree))
    )
    return list(dict.fromkeys(picked))


def test_the_cache_holds_every_entity_and_entity_to_entity_statement(case: Case) -> None:
    assert sorted(case.cache.all_ids()) == sorted(case.projection.nodes)
    literal = sum(len(d.get("attributes", [])) for _, d in case.projection.nodes(data=True))
    assert case.cache.m == case.projection.number_of_edges() + literal


@pytest.mark.parametrize("depth", [1, 2])
def test_neighbours_from_the_cache_are_those_of_the_projection(case: Case, depth: int) -> None:
    for node in _hubs_and_leaves(case, 4):
        expected = oracle.neighbours(case.projection, node, depth)
        found, _, total = cached.neighbours(case.store, case.cache, node, depth)
        assert total == len(expected)
        assert [(n.node, n.distance) for n in found] == [(n.node, n.distance) for n in expected], node
        assert [sorted(link.statement for link in n.links) for n in found] == [sorted(link.statement for link in n.links) for n in expected]


def test_shortest_paths_from_the_cache_are_those_of_the_projection(case: Case) -> None:
    nodes = _hubs_and_leaves(case, 4)
    compared = hops_cut = 0
    for a, b in itertools.permutations(nodes[:6], 2):
        expected, more = oracle.shortest_paths(case.projection, a, b, 5)
        found, truncated, _ = cached.shortest_paths(case.store, case.cache, a, b, 5)
        assert [p.nodes for p in found] == [p.nodes for p in expected], (a, b)
        assert [[sorted(x.statement for x in hop) for hop in p.hops] for p in found] == [
            [sorted(x.statement for x in hop) for hop in p.hops] for p in expected
        ]
        assert truncated == more
        compared += bool(expected)
        for voices, derived in ((None, True), (["narration", "claim"], False)):
            restricted = oracle.restrict(case.projection, voices, derived)
            cut, _ = oracle.shortest_paths(restricted, a, b, 5, per_hop=2)
            cut_found, _, _ = cached.shortest_paths(case.store, case.cache, a, b, 5, voices, derived, per_hop=2)
            shown = [[[x.statement for x in hop] for hop in p.hops] for p in cut_found]
            assert shown == [[[x.statement for x in hop] for hop in p.hops] for p in cut], (a, b, voices)
            assert [p.totals for p in cut_found] == [p.totals for p in cut]
            hops_cut += sum(p.left_out > 0 for p in cut)
    assert compared > 0, "some pairs are connected"
    assert hops_cut > 0, "some hops hold more than two statements"


def test_statements_read_for_an_answer_carry_every_field_the_projection_gives(case: Case) -> None:
    # quotes, offsets, who asserts, where, when, translation, shortcuts' parts, literal values: all of it
    everything = details.subgraph(case.store, case.cache, range(case.cache.m), range(case.cache.n)).to_networkx()
    projected = case.projection
    assert sorted(everything.edges(keys=True)) == sorted(projected.edges(keys=True))
    for u, v, key, data in projected.edges(keys=True, data=True):
        assert everything.edges[u, v, key] == data, key

    def by_statement(attrs: dict[str, Any]) -> dict[str, Any]:
        # the projection keeps a node's literal values in the store's order, an answer by statement id
        return {**attrs, "attributes": sorted(attrs.get("attributes", []), key=lambda a: a["statement"])}

    assert {n: by_statement(d) for n, d in everything.nodes(data=True)} == {n: by_statement(d) for n, d in projected.nodes(data=True)}
    fields = {name for _, _, data in projected.edges(data=True) for name, value in data.items() if value not in ("", [], False)}
    assert {"derived_from", "translation", "expressed_in", "quotes", "polarity"} <= fields, "the graphs compared use these fields"


def _same_answers(store: pyoxigraph.Store, cache: NetworkCache) -> None:
    everything = details.subgraph(store, cache, range(cache.m), range(cache.n)).to_networkx()
    projected = project(store)
    for u, v, key, data in projected.edges(keys=True, data=True):
        assert everything.edges[u, v, key] == data, key


def test_quotes_are_found_in_a_store_whose_selectors_are_blank_nodes(bundled: Case, tmp_path: Path) -> None:
    # another writer need not name a quote's selectors after its statement, as kg build does
    renamed: dict[str, pyoxigraph.BlankNode] = {}

    def blank(term: Any) -> Any:
        if isinstance(term, pyoxigraph.NamedNode) and term.value.endswith(("#text-quote", "#text-position")):
            return renamed.setdefault(term.value, pyoxigraph.BlankNode())
        return term

    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(blank(q.subject), q.predicate, blank(q.object), q.graph_name) for q in bundled.store)
    assert len(renamed) > 100
    write_network_cache(store, tmp_path)
    cache = open_cache(tmp_path)
    assert cache is not None
    _same_answers(store, cache)
    quoted = details.subgraph(store, cache, range(cache.m)).to_networkx()
    assert all(data["quotes"] for _, _, data in quoted.edges(data=True))


def test_a_voice_filter_walks_the_same_statements_in_both(bundled: Case) -> None:
    restricted = oracle.restrict(bundled.projection, ["claim"], derived=False)
    expected = oracle.neighbours(restricted, "musk", 2)
    found, _, _ = cached.neighbours(bundled.store, bundled.cache, "musk", 2, ["claim"], derived=False)
    assert [(n.node, n.distance) for n in found] == [(n.node, n.distance) for n in expected]


def test_centrality_and_communities_from_the_cache_are_those_of_the_projection(case: Case) -> None:
    for by in ("degree", "pagerank"):
        expected = oracle.centrality(case.projection, by)
        found, _ = cached.centrality(case.cache, by)
        assert [(r.node, r.degree, r.statements) for r in found[:20]] == [(r.node, r.degree, r.statements) for r in expected[:20]]
        assert [r.pagerank for r in found[:20]] == pytest.approx([r.pagerank for r in expected[:20]])
    ours, theirs = cached.communities(case.cache), oracle.communities(case.projection)
    assert [c.members for c in ours.communities] == [c.members for c in theirs.communities]
    assert ours.modularity == pytest.approx(theirs.modularity)


def test_names_from_the_index_resolve_as_from_the_projection(case: Case) -> None:
    names = Names.from_nodes(case.projection.nodes(data=True))
    indexed = IndexedNames(case.cache.db)
    for node in _hubs_and_leaves(case, 5):
        attrs = case.projection.nodes[node]
        for name in (node, attrs.get("label_en", ""), attrs.get("label_de", "").upper(), *attrs.get("aliases", [])):
            if not name:
                continue
            try:
                expected: str | Exception = names.find(name)
            except Exception as exc:  # noqa: BLE001 - an ambiguous name must be ambiguous in both
                expected = exc
            if isinstance(expected, Exception):
                with pytest.raises(type(expected)):
                    indexed.find(name)
            else:
                assert indexed.find(name) == expected, name
    with pytest.raises(EntityNotFound) as theirs:
        names.find("Sutskevr")
    with pytest.raises(EntityNotFound) as ours:
        indexed.find("Sutskevr")
    assert str(ours.value) == str(theirs.value)


def _cache_digest(build_dir: Path) -> dict[str, str]:
    cache = build_dir / CACHE_DIRNAME
    files = sorted(p for p in cache.rglob("*") if p.is_file() and p.suffix != ".sqlite")
    assert any(p.suffix == ".npy" for p in files), "the arrays are compared"
    return {str(p.relative_to(cache)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_an_incremental_build_writes_the_cache_a_full_build_writes(tmp_path: Path) -> None:
    generate(300, tmp_path / "data", seed=2)
    build(tmp_path / "data", OutDir(tmp_path / "inc"), full=True)
    text = sorted((tmp_path / "data" / "sources").glob("*.txt"))[0]
    text.write_text(text.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    again = build(tmp_path / "data", OutDir(tmp_path / "inc"))
    assert again.mode == "incremental"
    build(tmp_path / "data", OutDir(tmp_path / "full"), full=True)
    incremental, full = OutDir(tmp_path / "inc").current(), OutDir(tmp_path / "full").current()
    assert _cache_digest(incremental) == _cache_digest(full)
    a, b = open_cache(incremental), open_cache(full)
    assert a is not None
    assert b is not None
    for table in ("nodes", "statements", "sources", "names"):
        assert sorted(a.db.execute(f"SELECT * FROM {table}")) == sorted(b.db.execute(f"SELECT * FROM {table}")), table  # noqa: S608


def _same_cache(built: Path, read_back: Path) -> None:
    """The same files and rows, but for the statements' detail lines, which only a build writes."""
    lines = {DETAILS_FILENAME, DETAIL_OFFSETS_FILENAME}
    digest = _cache_digest(built)
    assert lines <= set(digest), "kg build writes the statements' detail lines"
    assert {k: v for k, v in digest.items() if k not in lines} == _cache_digest(read_back)
    one, two = open_cache(built), open_cache(read_back)
    assert one is not None
    assert two is not None
    assert one.has_details
    assert not two.has_details
    for table in ("meta", "nodes", "statements", "sources", "names"):
        query = f"SELECT * FROM {table}" + (" WHERE key != 'details'" if table == "meta" else "")  # noqa: S608
        assert sorted(one.db.execute(query)) == sorted(two.db.execute(query)), table


def _every_statement_shown_alike(store: pyoxigraph.Store, cache: NetworkCache) -> None:
    """Every statement, read from the cache's detail lines and from the store, makes the same graph."""
    everything = list(range(cache.m))
    lines = details.subgraph(store, cache, everything)
    read = details.subgraph(store, cache, everything, from_store=True)
    assert lines.nodes == read.nodes
    one, two = lines.to_networkx(), read.to_networkx()
    edges = {(u, v, k): data for u, v, k, data in one.edges(keys=True, data=True)}
    assert edges == {(u, v, k): data for u, v, k, data in two.edges(keys=True, data=True)}
    assert len(edges) > 0


@pytest.mark.parametrize("where", ["in the build process", "in worker processes"])
def test_the_cache_made_from_the_loaded_rows_is_the_cache_read_back_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    generate(400, tmp_path / "data", seed=4)
    if where == "in worker processes":
        monkeypatch.setattr(workers, "BATCH_BYTES", 20_000)
    built = build(tmp_path / "data", OutDir(tmp_path / "out"), exports=[])
    assert any("workers" in phase for phase in built.timings) == (where == "in worker processes")
    store = built.out.open_store()
    write_network_cache(store, tmp_path / "read-back")
    _same_cache(built.build_dir, tmp_path / "read-back")
    cache = open_cache(built.build_dir)
    assert cache is not None
    _every_statement_shown_alike(store, cache)
    assert not list(built.build_dir.rglob("*.spill")), "the spilled lines go once the cache is written"


def test_the_bundled_cache_is_the_cache_read_back_from_the_store(bundled: Case, tmp_path: Path) -> None:
    write_network_cache(bundled.store, tmp_path / "read-back")
    _same_cache(bundled.out.current(), tmp_path / "read-back")


def test_what_an_answer_shows_of_a_statement_is_the_same_from_the_cache_as_from_the_store(case: Case) -> None:
    _every_statement_shown_alike(case.store, case.cache)


def test_the_shown_statements_cover_every_field_the_detail_lines_hold(bundled: Case) -> None:
    """The comparison above means something only if the bundled graph fills every field somewhere."""
    rows = bundled.cache.details(list(range(bundled.cache.m)))
    for field in ("expressed_in", "translation", "when", "date", "hedged", "quotes", "derived_from", "regarding", "lang"):
        assert any(row[field] for row in rows), field
    assert any(len(row["quotes"]) > 1 for row in rows), "a shortcut shows its parts' quotes"
    assert any(bundled.cache.obj[n] < 0 for n in range(bundled.cache.m)), "a literal value, read from the store"


def test_a_damaged_statement_line_is_one_line_and_exit_2(bundled: Case, tmp_path: Path) -> None:
    copy = tmp_path / "old"
    shutil.copytree(bundled.out.root, copy, symlinks=True)
    lines = OutDir(copy).current() / CACHE_DIRNAME / DETAILS_FILENAME
    lines.write_bytes(lines.read_bytes().replace(b"[", b"{"))
    result = kg("neighbors", "sutskever", "--build", copy, "-f", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "damaged statement line" in result.stderr
    assert "Traceback" not in result.stderr


def _first_line_replaced(lines: Path, replacement: bytes) -> None:
    """The first statement line replaced by another of the same length (the offsets still match)."""
    data = lines.read_bytes()
    first = data.index(b"\n")
    assert len(replacement) <= first
    lines.write_bytes(replacement.ljust(first) + data[first:])


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("lines missing", "cannot be read"),
        ("lines cut short", "do not match"),
        ("offsets of floats", "do not match"),
        ("a line of the wrong shape", "damaged statement line"),
        ("a quote of the wrong shape", "damaged statement line"),
    ],
)
def test_damaged_statement_lines_are_one_line_and_exit_2(bundled: Case, tmp_path: Path, damage: str, said: str) -> None:
    copy = tmp_path / "old"
    shutil.copytree(bundled.out.root, copy, symlinks=True)
    cache = OutDir(copy).current() / CACHE_DIRNAME
    lines, offsets = cache / DETAILS_FILENAME, cache / DETAIL_OFFSETS_FILENAME
    if damage == "lines missing":
        lines.unlink()
    elif damage == "lines cut short":
        lines.write_bytes(lines.read_bytes()[:-10])
    elif damage == "offsets of floats":
        np.save(offsets, np.load(offsets).astype(np.float64))
    elif damage == "a line of the wrong shape":
        _first_line_replaced(lines, json.dumps(list(range(11))).encode())
    else:
        row = json.loads(lines.read_bytes().split(b"\n")[0])
        row[7] = [["exact", "0", 5, "", ""]]
        _first_line_replaced(lines, json.dumps(row, separators=(",", ":")).encode())
    first = NetworkCache(cache).ids([int(NetworkCache(cache).subj[0])])[0] if damage.startswith("a ") else "sutskever"
    result = kg("neighbors", first, "--build", copy, "-f", "json")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_repeated_references_are_shown_once_as_the_store_holds_them(data_copy: Path, tmp_path: Path) -> None:
    """A ``regarding`` that names a statement twice is one triple in the store: the line says it once too."""
    statements = data_copy / "statements" / "000_bb9b70fb7da9f08b.yaml"
    text = statements.read_text(encoding="utf-8")
    once = "regarding: [openai-de-facto-subsidiary-of-microsoft]"
    assert once in text
    statements.write_text(
        text.replace(once, "regarding: [openai-de-facto-subsidiary-of-microsoft, openai-de-facto-subsidiary-of-microsoft]"),
        encoding="utf-8",
    )
    out = OutDir(tmp_path / "out")
    build(data_copy, out, exports=[])
    cache = open_cache(out.current())
    assert cache is not None
    assert any(row["regarding"] == ["openai-de-facto-subsidiary-of-microsoft"] for row in cache.details(list(range(cache.m))))
    _every_statement_shown_alike(out.open_store(), cache)


def test_a_build_after_one_whose_cache_has_no_statement_lines_is_a_full_one(data_copy: Path, tmp_path: Path) -> None:
    """An incremental build keeps the lines of the sources it does not reload: with none to keep
    (a build of an older version), it would write none, and every build after it too."""
    out = OutDir(tmp_path / "out")
    build(data_copy, out, exports=[])
    cache = out.current() / CACHE_DIRNAME
    (cache / DETAILS_FILENAME).unlink()
    text = sorted((data_copy / "sources").glob("*.txt"))[0]
    text.write_text(text.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    again = build(data_copy, out, exports=[])
    assert again.mode == "full"
    rebuilt = open_cache(out.current())
    assert rebuilt is not None
    assert rebuilt.has_details
    after = build(data_copy, out, exports=[])
    assert after.mode == "incremental"


def test_a_build_without_a_cache_is_one_line_and_exit_2(bundled: Case, tmp_path: Path) -> None:
    """Every build writes the cache; a build folder that lost it is named, not answered from elsewhere."""
    copy = tmp_path / "old"
    shutil.copytree(bundled.out.root, copy, symlinks=True)
    shutil.rmtree(OutDir(copy).current() / CACHE_DIRNAME)
    result = kg("path", "sutskever", "microsoft", "--build", copy, "-f", "json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "has no network cache" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_cache_is_read_only_and_refuses_another_format(bundled: Case, tmp_path: Path) -> None:
    copy = tmp_path / "cache"
    shutil.copytree(bundled.out.current() / CACHE_DIRNAME, copy)
    opened = NetworkCache(copy)
    with pytest.raises(Exception, match="readonly"):
        opened.db.execute("DELETE FROM nodes")
    opened.close()
    import sqlite3

    with sqlite3.connect(copy / "network.sqlite") as db:
        db.execute("UPDATE meta SET value = '999' WHERE key = 'format'")
    db.close()
    with pytest.raises(Exception, match="kg build --full"):
        NetworkCache(copy)


def test_walks_see_the_store_they_were_built_from(bundled: Case) -> None:
    """Every statement number in the cache names a statement of the store."""
    iris = bundled.cache.statement_iris(list(range(bundled.cache.m)))
    assert len(set(iris)) == bundled.cache.m
    for iri in iris[:50]:
        assert any(True for _ in bundled.store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None))


@pytest.mark.parametrize("damage", ["truncated arrays", "empty arrays", "garbage index"])
def test_a_damaged_cache_gives_one_line_and_exit_2_not_a_traceback(bundled: Case, tmp_path: Path, damage: str) -> None:
    copy = tmp_path / "out"
    shutil.copytree(bundled.out.root, copy, symlinks=True)
    cache = OutDir(copy).current() / CACHE_DIRNAME
    if damage == "truncated arrays":
        arrays = cache / "network" / "nbr.npy"
        arrays.write_bytes(arrays.read_bytes()[:100])
    elif damage == "empty arrays":
        (cache / "network" / "subj.npy").write_bytes(b"")
    else:
        (cache / "network.sqlite").write_bytes(b"<html>not a database</html>" * 100)
    result = kg("path", "sutskever", "microsoft", "--build", copy)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: the network cache in ")
    assert "run `kg build --full`" in result.stderr


def test_a_neighbour_limit_keeps_the_nearest_and_counts_the_rest(generated: Case) -> None:
    hub = max(generated.projection.nodes, key=lambda n: (generated.projection.degree(n), n))
    expected = oracle.neighbours(generated.projection, hub, 2)
    assert len(expected) > 10
    found, _, total = cached.neighbours(generated.store, generated.cache, hub, 2, limit=10)
    assert total == len(expected)
    assert [(n.node, n.distance) for n in found] == [(n.node, n.distance) for n in expected[:10]]
    result = kg("neighbors", hub, "--depth", "2", "--limit", "10", "--build", generated.out.root, "-f", "json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert len(answer["neighbours"]) == 10
    assert answer["total"] == len(expected)
    assert answer["left_out"] == len(expected) - 10
    assert f"{len(expected) - 10:,} more entities within 2 step(s) not shown" in result.stderr
