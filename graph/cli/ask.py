"""``kg lookup``, ``kg neighbors``, ``kg path``, ``kg central`` and ``kg communities``.

Thin commands over :mod:`graph.network.cached`: the build's network cache is walked and only the
statements an answer shows are read (from the build's statement lines), so a million statements
answer about as fast as a hundred (tests check the answers against :mod:`graph.network.analysis` on the full projection).
Every answer can be had as a table
(for people), JSON or CSV (for scripts, on stdout); labels follow ``--lang``, quotes stay in the
source's language with the curator's translation beside them.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import pyoxigraph
import typer
from rich.table import Table
from rich.text import Text

from graph.cli.app import BuildOption, LangOption, app, build_dir, handle_errors, out_console
from graph.cli.output import labelled, note
from graph.errors import StoreError
from graph.model.lang import Lang
from graph.network.analysis import (
    CENTRALITY_MEASURES,
    DEFAULT_MAX_PATHS,
    DEFAULT_PER_HOP,
    DEFAULT_SEED,
    VOICES,
    Link,
    label,
)
from graph.network.arrays import NetworkCache, open_cache
from graph.network.cached import centrality as cached_centrality
from graph.network.cached import communities as cached_communities
from graph.network.cached import labels_graph, statement_counts
from graph.network.cached import neighbours as cached_neighbours
from graph.network.cached import shortest_paths as cached_paths
from graph.network.files import CACHE_DIRNAME
from graph.network.names import IndexedNames

if TYPE_CHECKING:
    from graph.network.analysis import Named


class AnswerFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[AnswerFormat, typer.Option("--format", "-f", help="table for people; json or csv for scripts (stdout).")]
VoiceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--voice",
        help=f"Only statements in this voice ({', '.join(VOICES)}); repeatable. Default: all. "
        "--voice narration leaves out claims, quotations and the author's judgements.",
        show_default=False,
    ),
]
DerivedOption = Annotated[
    bool, typer.Option("--derived/--no-derived", help="Count derived shortcuts (sued = filed + defendant) as statements.")
]


#: entities kg neighbors shows unless --limit says otherwise
DEFAULT_NEIGHBOURS = 500


def cached(build: Path | None) -> tuple[pyoxigraph.Store, NetworkCache]:
    """The current build's store and network cache (every build writes one)."""
    target = build_dir(build)
    cache = open_cache(target.current())
    if cache is None:
        raise StoreError(f"the build in {target.current()} has no network cache ({CACHE_DIRNAME}/); run kg build again")
    return target.open_store(), cache


def emit_json(data: Any) -> None:
    """``data`` as indented JSON on stdout, in one write.

    orjson, not json: with ``indent`` json runs its pure-Python encoder, 0.25 s for the 1.9 MB
    answer of ``kg neighbors --depth 2`` at a million statements against 0.015 s, the same bytes
    (2026-12-03, 2 cores, the other core busy). What orjson refuses (an int beyond 64 bits) is
    written by json; orjson writes NaN as null, where json writes NaN, which is no JSON.
    """
    try:
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError
        text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(text + "\n")


def emit_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])


def statement_text(graph: Named, link: Link, lang: str) -> Text:
    """``subject relation object`` in the statement's own direction, with its id dimmed below."""
    d = link.as_dict(graph, lang)
    text = Text()
    text.append(d["subject_label"], style="bold")
    text.append(f" {d['relation_label']} ", style="cyan")
    text.append(d["object_label"], style="bold")
    text.append(f"\n{link.statement}" + (" (shortcut)" if d["derived"] else ""), style="dim")
    return text


def provenance_text(d: dict[str, Any], graph: Named, lang: str, source: str = "") -> Text:
    """Voice and who asserts it; where and when it was expressed, as far as the source says.

    ``source`` is a short reference to the source (``[1]``) explained below the table.
    """
    text = Text(f"{d['voice_label']} · {d['asserted_by_label']}")
    if source:
        text.append(f"\nsource {source}")
    if d.get("expressed_in"):
        text.append(f"\nin: {label(graph, d['expressed_in'], lang)}")
    if d.get("when"):
        text.append(f"\nwhen: „{d['when']}“")
    if d.get("hedged"):
        text.append("\nhedged by the source", style="yellow")
    return text


LINK_FIELDS = [
    "statement",
    "subject",
    "relation",
    "object",
    "subject_label",
    "relation_label",
    "object_label",
    "direction",
    "voice",
    "asserted_by",
    "quote",
    "translation",
    "source",
    "expressed_in",
    "when",
    "derived",
]


def _link_row(graph: Named, link: Link, lang: str) -> list[Any]:
    d = link.as_dict(graph, lang)
    return [d[f] for f in LINK_FIELDS]


def _entity(graph: Named, node: str, lang: str) -> dict[str, Any]:
    return {"entity": node, "label": label(graph, node, lang), "kind": graph.nodes[node].get("kind", "")}


def _links_table(title: str, first_header: str, first_ratio: int = 3) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True, header_style="bold", expand=True)
    table.add_column(first_header, overflow="fold", ratio=first_ratio)
    table.add_column("statement", overflow="fold", ratio=4)
    table.add_column("quote (source language)", overflow="fold", ratio=5)
    table.add_column("translation (en)", overflow="fold", ratio=5)
    table.add_column("voice · by, where", overflow="fold", ratio=4)
    return table


@app.command("lookup")
@handle_errors
def lookup_command(
    name: Annotated[str, typer.Argument(help="An id, label or alias, in German or English; case and accents are ignored.")],
    format: FormatOption = AnswerFormat.table,
    lang: LangOption = Lang.en,
    build: BuildOption = None,
) -> None:
    """Find an entity by id, label or alias; an unknown name gets "did you mean"."""
    _, cache = cached(build)
    node = IndexedNames(cache.db).find(name)
    graph = labels_graph(cache, [node])
    statements = statement_counts(cache, [node])[node]
    attrs = graph.nodes[node]
    record = {
        "entity": node,
        "label": label(graph, node, lang),
        "kind": attrs.get("kind", ""),
        "type": attrs.get("type", ""),
        "label_en": attrs.get("label_en", ""),
        "label_de": attrs.get("label_de", ""),
        "aliases": attrs.get("aliases", []),
        "description": attrs.get(f"description_{lang.value}", ""),
        "wikidata": attrs.get("wikidata", ""),
        "iri": attrs.get("iri", ""),
        "statements": statements,
    }
    if format is AnswerFormat.json:
        emit_json(record)
    elif format is AnswerFormat.csv:
        emit_csv(list(record), [[("; ".join(v) if isinstance(v, list) else v) for v in record.values()]])
    else:
        table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for key, value in record.items():
            table.add_row(key, "; ".join(value) if isinstance(value, list) else str(value))
        out_console.print(table)


@app.command("neighbors")
@handle_errors
def neighbors_command(
    entity: Annotated[str, typer.Argument(help='An id, label or alias ("Sutskever", "Klage").')],
    depth: Annotated[int, typer.Option("--depth", "-d", help="How many steps away (direction ignored).", min=1)] = 1,
    limit: Annotated[
        int, typer.Option("--limit", help="Show at most this many entities, nearest first (0: all). The total is always said.", min=0)
    ] = DEFAULT_NEIGHBOURS,
    voice: VoiceOption = None,
    derived: DerivedOption = True,
    format: FormatOption = AnswerFormat.table,
    lang: LangOption = Lang.en,
    build: BuildOption = None,
) -> None:
    """The entities within --depth steps of ENTITY, each with the statements that reach it.

    A step follows a statement in either direction; each statement is shown in its own direction.
    """
    store, cache = cached(build)
    node = IndexedNames(cache.db).find(entity)
    found, graph, total = cached_neighbours(store, cache, node, depth, voice, derived, limit or None)
    left_out = total - len(found)
    if left_out:
        # stderr, so that JSON and CSV on stdout stay clean while the cut is never silent
        note(f"{left_out:,} more entities within {depth} step(s) not shown (--limit {limit}; --limit 0 shows all)", style="")
    code = lang.value
    if format is AnswerFormat.json:
        emit_json(
            {
                **_entity(graph, node, code),
                "depth": depth,
                "total": total,
                "left_out": left_out,
                "neighbours": [
                    {**_entity(graph, n.node, code), "distance": n.distance, "links": [link.as_dict(graph, code) for link in n.links]}
                    for n in found
                ],
            }
        )
        return
    if format is AnswerFormat.csv:
        emit_csv(
            ["distance", "entity", "label", "kind", *LINK_FIELDS],
            (
                [n.distance, n.node, label(graph, n.node, code), graph.nodes[n.node].get("kind", ""), *_link_row(graph, link, code)]
                for n in found
                for link in n.links
            ),
        )
        return
    table = _links_table(f"Within {depth} step(s) of {label(graph, node, code)}: {total} entities", "step, entity")
    for n in found:
        for i, link in enumerate(n.links):
            d = link.as_dict(graph, code)
            who = Text(f"{n.distance}  {label(graph, n.node, code)}\n({graph.nodes[n.node].get('kind', '')})") if i == 0 else Text("")
            table.add_row(who, statement_text(graph, link, code), d["quote"], d["translation"], provenance_text(d, graph, code))
    out_console.print(table)
    note(f"{len(found)} entities, {sum(len(n.links) for n in found)} statements")


@app.command("path")
@handle_errors
def path_command(
    start: Annotated[str, typer.Argument(help="From: an id, label or alias.")],
    end: Annotated[str, typer.Argument(help="To: an id, label or alias.")],
    max_paths: Annotated[int, typer.Option("--max-paths", help="Show at most this many paths.", min=1)] = DEFAULT_MAX_PATHS,
    per_hop: Annotated[
        int,
        typer.Option(
            "--per-hop",
            help="Show at most this many statements per hop: the first by source, then statement id (0: all). "
            "How many each hop has is always said (JSON: total; CSV: hop_statements).",
            min=0,
        ),
    ] = DEFAULT_PER_HOP,
    voice: VoiceOption = None,
    derived: DerivedOption = True,
    format: FormatOption = AnswerFormat.table,
    lang: LangOption = Lang.en,
    build: BuildOption = None,
) -> None:
    """Every shortest path from START to END, each hop with its statements and their quotes.

    Paths ignore direction (a statement connects both of its ends); each statement is shown in
    its own direction, marked ← when it points back along the path. A hop between two busy
    entities can hold thousands of statements: --per-hop says how many are shown.
    """
    store, cache = cached(build)
    names = IndexedNames(cache.db)
    a, b = names.find(start), names.find(end)
    paths, truncated, graph = cached_paths(store, cache, a, b, max_paths, voice, derived, per_hop or None)
    # paths share hops: a statement left out of one hop is counted once, however many paths use it
    hidden = {(x, y): total - len(hop) for p in paths for x, y, hop, total in zip(p.nodes, p.nodes[1:], p.hops, p.totals, strict=False)}
    left_out = sum(hidden.values())
    if left_out:
        # stderr, so that JSON and CSV on stdout stay clean while the cut is never silent
        note(
            f"{left_out:,} more {'statement' if left_out == 1 else 'statements'} on the hops of these paths not shown "
            f"(--per-hop {per_hop}; --per-hop 0 shows all)",
            style="",
        )
    code = lang.value
    if format is AnswerFormat.json:
        emit_json(
            {
                "from": _entity(graph, a, code),
                "to": _entity(graph, b, code),
                "length": len(paths[0].nodes) - 1 if paths else None,
                "truncated": truncated,
                "per_hop": per_hop or None,
                "left_out": left_out,
                "paths": [
                    {
                        "nodes": [_entity(graph, n, code) for n in p.nodes],
                        "hops": [
                            {"from": x, "to": y, "total": total, "statements": [link.as_dict(graph, code) for link in hop]}
                            for (x, y), hop, total in zip(zip(p.nodes, p.nodes[1:], strict=False), p.hops, p.totals, strict=True)
                        ],
                    }
                    for p in paths
                ],
            }
        )
        return
    if format is AnswerFormat.csv:
        emit_csv(
            ["path", "hop", "from", "to", "hop_statements", *LINK_FIELDS],
            (
                [i, j, link.near, link.far, total, *_link_row(graph, link, code)]
                for i, p in enumerate(paths, 1)
                for j, (hop, total) in enumerate(zip(p.hops, p.totals, strict=True), 1)
                for link in hop
            ),
        )
        return
    if not paths:
        out_console.print(f"No path between {label(graph, a, code)} and {label(graph, b, code)}.", highlight=False)
        return
    for i, p in enumerate(paths, 1):
        chain = " — ".join(label(graph, n, code) for n in p.nodes)
        table = _links_table(f"Path {i} of {len(paths)} ({len(p.hops)} hops): {chain}", "hop", first_ratio=1)
        for j, (hop, total) in enumerate(zip(p.hops, p.totals, strict=True), 1):
            for k, link in enumerate(hop):
                d = link.as_dict(graph, code)
                first = Text(str(j)) if k == 0 else Text("")
                # the statement points back along the path: say so, the walk itself ignores direction
                stmt = (Text("") if link.forward else Text("← ", style="yellow")) + statement_text(graph, link, code)
                table.add_row(first, stmt, d["quote"], d["translation"], provenance_text(d, graph, code))
            if total > len(hop):
                table.add_row(Text(""), Text(f"… {total - len(hop):,} more on this hop", style="dim"), "", "", "")
        out_console.print(table)
    if truncated:
        labelled("note", f"more than {max_paths} shortest paths; showing {max_paths} (--max-paths)")


@app.command("central")
@handle_errors
def central_command(
    by: Annotated[str, typer.Option("--by", help=f"Order by: {', '.join(CENTRALITY_MEASURES)}.")] = "degree",
    top: Annotated[int, typer.Option("--top", help="Show the first N entities; 0 for all.", min=0)] = 10,
    voice: VoiceOption = None,
    derived: DerivedOption = True,
    format: FormatOption = AnswerFormat.table,
    lang: LangOption = Lang.en,
    build: BuildOption = None,
) -> None:
    """The most central entities: degree, statements, PageRank and betweenness.

    degree: distinct entities it shares a statement with; statements: statements it is the
    subject or object of; PageRank: over statements from subject to object (what is talked
    about gathers rank); betweenness: share of shortest paths through it (direction ignored).
    """
    _, cache = cached(build)
    rows, samples = cached_centrality(cache, by, voice, derived)
    rows = rows[:top] if top else rows
    graph = labels_graph(cache, [r.node for r in rows])
    code = lang.value
    fields = ["entity", "label", "kind", "degree", "statements", "pagerank", "betweenness"]
    records = [
        [r.node, label(graph, r.node, code), graph.nodes[r.node].get("kind", ""), r.degree, r.statements, r.pagerank, r.betweenness]
        for r in rows
    ]
    if format is AnswerFormat.json:
        emit_json({"by": by, "entities": [dict(zip(fields, rec, strict=True)) for rec in records]})
        return
    if format is AnswerFormat.csv:
        emit_csv(fields, records)
        return
    table = Table(title=f"Central entities (by {by})", title_justify="left", header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("entity", overflow="fold")
    table.add_column("kind")
    for name in ("degree", "statements", "PageRank", "betweenness"):
        table.add_column(name, justify="right")
    for i, rec in enumerate(records, 1):
        table.add_row(str(i), rec[1], rec[2], str(rec[3]), str(rec[4]), f"{rec[5]:.3f}", f"{rec[6]:.3f}")
    out_console.print(table)
    if samples is not None:
        note(f"betweenness estimated from {samples:,} sampled entities (networkx, seed {DEFAULT_SEED})")


@app.command("communities")
@handle_errors
def communities_command(
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Louvain method; the same seed gives the same groups.")] = DEFAULT_SEED,
    voice: VoiceOption = None,
    derived: DerivedOption = True,
    format: FormatOption = AnswerFormat.table,
    lang: LangOption = Lang.en,
    build: BuildOption = None,
) -> None:
    """Groups of entities more linked among themselves than to the rest (Louvain, networkx).

    Statements between two entities count as one link weighted by their number; direction is
    ignored. Members are listed by degree, highest first.
    """
    _, cache = cached(build)
    found = cached_communities(cache, seed, voice, derived)
    graph = labels_graph(cache, [m for c in found.communities for m in c.members])
    code = lang.value
    if format is AnswerFormat.json:
        emit_json(
            {
                "method": found.method,
                "seed": found.seed,
                "modularity": found.modularity,
                "communities": [
                    {
                        "community": c.number,
                        "size": len(c.members),
                        "statements": c.statements,
                        "members": [_entity(graph, m, code) for m in c.members],
                    }
                    for c in found.communities
                ],
            }
        )
        return
    if format is AnswerFormat.csv:
        emit_csv(
            ["community", "entity", "label", "kind"],
            ([c.number, m, label(graph, m, code), graph.nodes[m].get("kind", "")] for c in found.communities for m in c.members),
        )
        return
    title = f"{len(found.communities)} communities (Louvain, seed {found.seed}, modularity {found.modularity:.3f})"
    table = Table(title=title, title_justify="left", header_style="bold", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("size", justify="right")
    table.add_column("statements inside", justify="right")
    table.add_column("members (by degree)", overflow="fold")
    for c in found.communities:
        table.add_row(str(c.number), str(len(c.members)), str(c.statements), ", ".join(label(graph, m, code) for m in c.members))
    out_console.print(table)
