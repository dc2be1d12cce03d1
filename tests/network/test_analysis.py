"""Network analysis on the projection of the bundled data: neighbours, paths, centrality, communities.

Expected numbers are derived independently from the curated statements wherever possible (a
breadth-first walk over statement ends written here, not networkx), so a wrong projection or a
wrong use of networkx fails.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import networkx as nx
import pytest
from helpers import network_oracle as oracle
from helpers.inprocess import crashed, run_kg

from graph.build.pipeline import Built
from graph.errors import UsageError


@pytest.fixture(scope="module")
def graph(projection: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return oracle.restrict(projection)


@pytest.fixture(scope="module")
def adjacency(built: Built) -> dict[str, set[str]]:
    """Entity → the entities it shares a statement with (either end), from the curated data and its shortcuts."""
    near: dict[str, set[str]] = defaultdict(set)
    statements = [*built.checked.corpus.statements.values(), *built.checked.derived.values()]
    for s in statements:
        if s.object is not None:
            near[s.subject].add(s.object)
            near[s.object].add(s.subject)
    return near


def _within(adjacency: dict[str, set[str]], start: str, depth: int) -> dict[str, int]:
    """Breadth-first: every entity within ``depth`` statements of ``start``, with its distance."""
    seen, frontier = {start: 0}, [start]
    for step in range(1, depth + 1):
        reached = []
        for node in frontier:
            for other in sorted(adjacency[node]):
                if other not in seen:
                    seen[other] = step
                    reached.append(other)
        frontier = reached
    return {n: d for n, d in seen.items() if n != start}


@pytest.mark.parametrize(("entity", "depth"), [("sutskever", 1), ("sutskever", 2), ("musk", 1), ("musk-v-openai", 3)])
def test_neighbours_are_the_entities_a_walk_over_statements_reaches(
    graph: nx.MultiDiGraph, adjacency: dict[str, set[str]], entity: str, depth: int
) -> None:
    found = oracle.neighbours(graph, entity, depth)
    assert {n.node: n.distance for n in found} == _within(adjacency, entity, depth)
    for n in found:
        assert n.links, "every neighbour comes with the statements that reach it"
        for link in n.links:
            assert graph.has_edge(link.subject, link.object, link.statement)


def test_the_neighbours_of_sutskever(graph: nx.MultiDiGraph) -> None:
    found = oracle.neighbours(graph, "sutskever", 1)
    assert [(n.node, [link.statement for link in n.links]) for n in found] == [
        ("everyone-should-benefit-from-ai", ["sutskever-everyone-should-benefit"]),
        ("full-openness-enables-unsafe-ai", ["sutskever-openness-enables-unsafe-ai"]),
        ("musk", ["d-b0eb5249b1f4f931", "musk-agreed-with-sutskever"]),
        ("openai-should-be-less-open", ["sutskever-less-open-quote"]),
        ("openai-should-be-open-source", ["sutskever-against-open-source"]),
        ("sharing-helps-recruiting", ["sutskever-sharing-helps-recruiting"]),
        ("sutskever-email", ["sutskever-sent-email"]),
    ]
    assert len(oracle.neighbours(graph, "sutskever", 2)) == 17


def test_sutskever_reaches_microsoft_in_one_shortest_path_of_three_hops(graph: nx.MultiDiGraph) -> None:
    paths, truncated = oracle.shortest_paths(graph, "sutskever", "microsoft")
    assert not truncated
    assert [p.nodes for p in paths] == [["sutskever", "musk", "openai", "microsoft"]]
    hops = paths[0].hops
    assert [[link.statement for link in hop] for hop in hops] == [
        ["d-b0eb5249b1f4f931", "musk-agreed-with-sutskever"],
        [
            "musk-in-legal-dispute-with-openai",
            "d-09b68d12ee5198d8",
            "d-497db369de4b6d39",
            "d-eaad26f11c29ba39",
            "musk-criticised-openai",
            "musk-cut-ties-with-openai",
        ],
        [
            "openai-profit-machine-for-microsoft-lead",
            "openai-de-facto-subsidiary-of-microsoft",
            "openai-profit-machine-for-microsoft-lawsuit",
        ],
    ]
    agreed = hops[0][1]
    assert (agreed.near, agreed.far, agreed.subject, agreed.forward) == ("sutskever", "musk", "musk", False)
    assert agreed.data["quote"] == "Darauf antwortete Elon mit „Ja.“"
    assert {link.data["voice"] for link in hops[2]} == {"claim"}, "OpenAI and Microsoft are linked only by Musk's claims"


def test_without_claims_the_path_goes_through_the_partnership(graph: nx.MultiDiGraph) -> None:
    narrated = oracle.restrict(graph, ["narration"])
    paths, _ = oracle.shortest_paths(narrated, "sutskever", "microsoft")
    assert [p.nodes for p in paths] == [
        ["sutskever", "musk", "musk-v-openai", "openai-microsoft-partnership", "microsoft"],
        ["sutskever", "musk", "openai", "openai-microsoft-partnership", "microsoft"],
    ]
    assert all(link.data["voice"] == "narration" for p in paths for hop in p.hops for link in hop)


def test_the_authors_judgements_are_an_island(graph: nx.MultiDiGraph) -> None:
    assert oracle.shortest_paths(graph, "oscar", "musk") == ([], False)


def test_a_hop_shows_its_first_statements_by_source_then_id_and_says_how_many_it_has(graph: nx.MultiDiGraph) -> None:
    (full,), _ = oracle.shortest_paths(graph, "sutskever", "microsoft")
    (cut,), _ = oracle.shortest_paths(graph, "sutskever", "microsoft", per_hop=2)
    assert cut.nodes == full.nodes
    assert cut.totals == [len(hop) for hop in full.hops] == [2, 6, 3]
    assert [len(hop) for hop in cut.hops] == [2, 2, 2]
    assert cut.left_out == 5
    for whole, shown in zip(full.hops, cut.hops, strict=True):
        first = sorted(whole, key=lambda link: (link.data["source"], link.statement))[:2]
        assert [link.statement for link in shown] == [link.statement for link in whole if link in first], (
            "chosen by id, shown in source order"
        )
    assert full.left_out == 0


def test_paths_are_capped(graph: nx.MultiDiGraph) -> None:
    narrated = oracle.restrict(graph, ["narration"])
    paths, truncated = oracle.shortest_paths(narrated, "sutskever", "microsoft", limit=1)
    assert len(paths) == 1
    assert truncated


def test_centrality_counts_distinct_neighbours_and_statements(graph: nx.MultiDiGraph, adjacency: dict[str, set[str]], built: Built) -> None:
    rows = {r.node: r for r in oracle.centrality(graph)}
    assert len(rows) == 28
    statements = [*built.checked.corpus.statements.values(), *built.checked.derived.values()]
    for node, row in rows.items():
        assert row.degree == len(adjacency[node])
        assert row.statements == sum((s.subject == node) + (s.object == node) for s in statements if s.object is not None)
    assert sum(r.pagerank for r in rows.values()) == pytest.approx(1.0)
    assert [r.node for r in oracle.centrality(graph)][:2] == ["musk", "openai"]
    assert (rows["musk"].degree, rows["musk"].statements) == (14, 28)
    assert oracle.centrality(graph, "betweenness")[0].node == "musk"
    assert oracle.centrality(graph, "pagerank")[0].node == "openai", "the most talked-about entity"
    assert rows["google"].betweenness == 0.0, "a leaf lies on no shortest path"


def test_communities_are_deterministic_and_cover_every_entity(graph: nx.MultiDiGraph) -> None:
    found = oracle.communities(graph)
    assert found == oracle.communities(graph)
    members = [set(c.members) for c in found.communities]
    assert [len(m) for m in members] == [9, 7, 5, 4, 3]
    assert set().union(*members) == set(graph.nodes)
    assert sum(len(m) for m in members) == 28
    assert {"oscar", "musk-condemnation-is-hypocritical", "subsidiary-claim-came-out-of-nowhere"} in members, "a component of its own"
    weighted = nx.Graph()
    weighted.add_nodes_from(graph.nodes)
    for u, v in graph.edges():
        weighted.add_edge(u, v, weight=weighted.get_edge_data(u, v, {"weight": 0})["weight"] + 1)
    assert found.modularity == pytest.approx(nx.community.modularity(weighted, members, weight="weight"))
    assert found.modularity > 0.3, "clearly better than no structure"
    assert found.communities[0].members[0] == "openai"
    assert {"sutskever", "openai-should-be-less-open"} <= members[2], "Sutskever with the positions of his e-mail"


def test_an_unknown_voice_is_a_usage_error(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UsageError, match="unknown voice 'rumour'"):
        oracle.restrict(graph, ["rumour"])


def test_kg_neighbors_as_table_json_and_csv(built: Built) -> None:
    table = run_kg("neighbors", "Ilya", "--build", built.out.root)
    assert table.exit_code == 0, table.stderr
    assert "Within 1 step(s) of Ilya Sutskever: 7 entities" in table.stdout
    assert "Darauf antwortete Elon mit „Ja.“" in table.stdout
    assert "To this Elon replied “Yes.”" in table.stdout
    data = json.loads(run_kg("neighbors", "Ilya", "--depth", "2", "-f", "json", "--build", built.out.root).stdout)
    assert (data["entity"], data["depth"], len(data["neighbours"])) == ("sutskever", 2, 17)
    rows = list(csv.DictReader(io.StringIO(run_kg("neighbors", "sutskever", "-f", "csv", "--build", built.out.root).stdout)))
    assert len(rows) == 8
    assert rows[3]["statement"] == "musk-agreed-with-sutskever"
    assert rows[3]["direction"] == "backward"


def test_kg_path_prints_every_hop_with_its_quote(built: Built) -> None:
    table = run_kg("path", "Sutskever", "Microsoft", "--build", built.out.root)
    assert table.exit_code == 0, table.stderr
    assert "Path 1 of 1 (3 hops): Ilya Sutskever — Elon Musk — OpenAI — Microsoft" in table.stdout
    for quote in ("Darauf antwortete Elon mit „Ja.“", "Elon Musk reichte eine Klage gegen OpenAI ein", "Profitmaschine für Microsoft"):
        assert quote in table.stdout
    assert "← Elon Musk agreed with Ilya Sutskever" in table.stdout
    data = json.loads(run_kg("path", "Sutskever", "Microsoft", "--voice", "narration", "-f", "json", "--build", built.out.root).stdout)
    assert data["length"] == 4
    assert len(data["paths"]) == 2
    assert [h["from"] for h in data["paths"][0]["hops"]] == ["sutskever", "musk", "musk-v-openai", "openai-microsoft-partnership"]
    rows = list(csv.DictReader(io.StringIO(run_kg("path", "ilya", "microsoft", "-f", "csv", "--build", built.out.root).stdout)))
    assert [(r["path"], r["hop"]) for r in rows].count(("1", "2")) == 6
    none = run_kg("path", "Oscar", "Musk", "--build", built.out.root)
    assert none.exit_code == 0
    assert "No path between Oscar and Elon Musk." in none.stdout


def test_kg_path_cut_to_one_statement_per_hop_says_how_many_it_left_out_in_every_format(built: Built) -> None:
    whole = json.loads(
        run_kg(
            "path",
            "everyone-should-benefit-from-ai",
            "openai-microsoft-partnership",
            "-f",
            "json",
            "--per-hop",
            "0",
            "--build",
            built.out.root,
        ).stdout
    )
    cut = run_kg(
        "path", "everyone-should-benefit-from-ai", "openai-microsoft-partnership", "-f", "json", "--per-hop", "1", "--build", built.out.root
    )
    answer = json.loads(cut.stdout)
    hops = [hop for p in answer["paths"] for hop in p["hops"]]
    assert [hop["total"] for hop in hops] == [len(hop["statements"]) for p in whole["paths"] for hop in p["hops"]]
    assert {len(hop["statements"]) for hop in hops} == {1}
    # a hop shared by two paths hides its statements once
    hidden = {(hop["from"], hop["to"]): hop["total"] - 1 for hop in hops}
    assert len(hidden) < len(hops), "the two paths share a hop"
    assert (answer["per_hop"], answer["left_out"]) == (1, sum(hidden.values()))
    assert answer["left_out"] > 0
    said = f"{answer['left_out']:,} more statements on the hops of these paths not shown (--per-hop 1; --per-hop 0 shows all)"
    assert said in cut.stderr
    table = run_kg("path", "everyone-should-benefit-from-ai", "openai-microsoft-partnership", "--per-hop", "1", "--build", built.out.root)
    for total in {hop["total"] for hop in hops}:
        assert (f"… {total - 1} more on this hop" in table.stdout) == (total > 1)
    rows = list(
        csv.DictReader(
            io.StringIO(
                run_kg(
                    "path",
                    "everyone-should-benefit-from-ai",
                    "openai-microsoft-partnership",
                    "-f",
                    "csv",
                    "--per-hop",
                    "1",
                    "--build",
                    built.out.root,
                ).stdout
            )
        )
    )
    assert [int(r["hop_statements"]) for r in rows] == [hop["total"] for hop in hops]
    assert not run_kg(
        "path", "everyone-should-benefit-from-ai", "openai-microsoft-partnership", "-f", "json", "--build", built.out.root
    ).stderr, "nothing cut by default here"


def test_a_hop_cannot_be_cut_to_no_statement(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UsageError, match="at least one statement"):
        oracle.shortest_paths(graph, "sutskever", "microsoft", per_hop=0)


def test_kg_central_and_communities(built: Built) -> None:
    table = run_kg("central", "--top", "3", "--build", built.out.root)
    assert table.exit_code == 0, table.stderr
    lines = [line for line in table.stdout.splitlines() if line.startswith("│")]
    assert "Elon Musk" in lines[0]
    assert "OpenAI" in lines[1]
    data = json.loads(run_kg("central", "--top", "0", "--by", "pagerank", "-f", "json", "--build", built.out.root).stdout)
    assert len(data["entities"]) == 28
    assert data["entities"][0]["entity"] == "openai"
    groups = json.loads(run_kg("communities", "-f", "json", "--build", built.out.root).stdout)
    assert [c["size"] for c in groups["communities"]] == [9, 7, 5, 4, 3]
    assert (groups["method"], groups["seed"]) == ("louvain", 42)
    assert "5 communities (Louvain, seed 42" in run_kg("communities", "--build", built.out.root).stdout
    german = run_kg("communities", "--lang", "de", "-f", "csv", "--build", built.out.root).stdout
    assert "Klage von Elon Musk gegen OpenAI" in german
    bad = run_kg("central", "--by", "fame", "--build", built.out.root)
    assert bad.exit_code == 2
    assert not crashed(bad)
    assert "unknown measure 'fame'" in bad.stderr
