"""``kg sources``, ``kg timeline`` and ``kg diff``: questions across sources and across builds.

Thin commands over :mod:`graph.query.story` and :mod:`graph.query.diff`. Every answer is a table
for people or JSON/CSV for scripts; text from the data (titles, quotes, credit lines) is printed
as it is, never read as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from graph.cli.app import BuildOption, LangOption, app, build_dir, err_console, handle_errors, out_console
from graph.cli.ask import AnswerFormat, FormatOption, emit_csv, emit_json
from graph.model.lang import Lang
from graph.query.lookup import Names
from graph.query.story import REPORTED, STATED, Labels, Step, mentions, source_overview, timeline
from graph.store.builds import OutDir

EntityArgument = Annotated[str, typer.Argument(help="An entity: id, label or alias, in German or English.")]


@app.command("sources")
@handle_errors
def sources_command(
    entity: Annotated[str | None, typer.Argument(help="Only the sources that mention this entity (id, label or alias).")] = None,
    format: FormatOption = AnswerFormat.table,
    build: BuildOption = None,
) -> None:
    """The sources of the graph, by date: licence, statements by voice, entities mentioned.

    The credit line, publisher and URL of each are in -f json and csv. With ENTITY: only the sources that mention it, and in how many statements it is the subject,
    the object, the one who asserts, or where something was expressed.
    """
    store = build_dir(build).open_store()
    infos = source_overview(store)
    roles: dict[str, dict[str, int]] | None = None
    if entity is not None:
        roles = mentions(store, Names.from_store(store).iri(entity))
        infos = [s for s in infos if s.id in roles]
    records: list[dict[str, Any]] = [
        {
            "source": s.id,
            "title": s.title,
            "date": s.date,
            "language": s.language,
            "author": s.author,
            "publisher": s.publisher,
            "url": s.url,
            "licence": s.licence,
            "licence_url": s.licence_url,
            "attribution": s.attribution,
            "statements": s.statements,
            "statements_by_voice": s.statements_by_voice,
            "derived_statements": s.derived_statements,
            "entities": s.entities,
            **({"mentions": roles[s.id]} if roles is not None else {}),
        }
        for s in infos
    ]
    if format is AnswerFormat.json:
        emit_json({"sources": records})
        return
    if format is AnswerFormat.csv:
        header = [k for k in records[0] if k not in ("statements_by_voice", "mentions")] if records else ["source"]
        rows = [[r[k] for k in header] for r in records]
        extra = ["by_voice", *(["mentions"] if roles is not None else [])]
        flat = [
            [
                *row,
                "; ".join(f"{k} {v}" for k, v in r["statements_by_voice"].items()),
                *(["; ".join(f"{k} {v}" for k, v in r["mentions"].items())] if roles is not None else []),
            ]
            for row, r in zip(rows, records, strict=True)
        ]
        emit_csv([*header, *extra], flat)
        return
    if not records:
        out_console.print(Text(f"No source mentions {entity}." if entity else "The graph has no sources."))
        return
    table = Table(header_style="bold", show_lines=True, expand=True)
    table.add_column("source", overflow="fold", ratio=5)
    table.add_column("date", overflow="fold", min_width=10)
    table.add_column("licence", overflow="fold", ratio=2)
    table.add_column("statements by voice", overflow="fold", ratio=3)
    table.add_column("entities" if roles is None else "mentions", overflow="fold", ratio=2)
    for r in records:
        head = Text(r["title"], style="bold")
        head.append(f"\n{r['source']} · {r['language']}", style="dim")
        licence = Text(r["licence"] or "not recorded", style="" if r["licence"] else "yellow")
        voices = Text(f"{r['statements']}: " + ", ".join(f"{k} {v}" for k, v in r["statements_by_voice"].items()))
        if r["derived_statements"]:
            voices.append(f"\n+ {r['derived_statements']} derived", style="dim")
        last = Text(str(r["entities"])) if roles is None else Text("\n".join(f"{k} {v}" for k, v in r["mentions"].items()))
        table.add_row(head, Text(r["date"] or "undated"), licence, voices, last)
    out_console.print(table)
    err_console.print(Text(f"{len(records)} source(s)", style="dim"), highlight=False)


def _step_dict(step: Step, labels: Labels, lang: str) -> dict[str, Any]:
    return {
        "statement": step.statement,
        "time": step.time,
        "dated_by": step.dated_by,
        "date": step.date,
        "source_date": step.source_date,
        "when": step.when,
        "relation": step.relation,
        "relation_label": labels.label(step.relation, lang),
        "object": labels.ids.get(step.object, step.object) if step.object_is_entity else step.object,
        "object_label": labels.label(step.object, lang) if step.object_is_entity else step.object,
        "polarity": step.polarity,
        "voice": ", ".join(step.voices),
        "asserted_by": labels.ids.get(step.asserted_by, step.asserted_by),
        "expressed_in": labels.ids.get(step.expressed_in, step.expressed_in),
        "hedged": step.hedged,
        "quote": step.quote,
        "translation": step.translation,
        "source": step.source,
        "source_title": step.source_title,
    }


@app.command("timeline")
@handle_errors
def timeline_command(
    entity: EntityArgument,
    stances: Annotated[bool, typer.Option("--stances", help="Only positions: for or against a stance, and agreements.")] = False,
    format: FormatOption = AnswerFormat.table,
    lang: LangOption = Lang.en,
    build: BuildOption = None,
) -> None:
    """What the sources say ENTITY did, said or held, across sources, earliest first.

    A statement is dated by the date its source gives for it; else by the source's publication
    date (when it was reported, not when it happened: marked "reported"); else it is undated and
    listed last. Words such as "Derzeit" are shown as written, never turned into dates.
    """
    store = build_dir(build).open_store()
    names = Names.from_store(store)
    ident = names.find(entity)
    labels = Labels.from_store(store)
    steps = timeline(store, names.iris[ident], stances_only=stances)
    code = lang.value
    records = [_step_dict(s, labels, code) for s in steps]
    if format is AnswerFormat.json:
        emit_json({"entity": ident, "steps": records})
        return
    if format is AnswerFormat.csv:
        header = list(records[0]) if records else ["statement"]
        emit_csv(header, [list(r.values()) for r in records])
        return
    if not records:
        out_console.print(Text(f"No statement has {ident} as its subject."))
        return
    sources: dict[str, str] = {}
    translated = any(r["translation"] for r in records)  # English sources need no translation column
    table = Table(title=Text(labels.label(names.iris[ident], code), style="bold"), title_justify="left", show_lines=True, expand=True)
    table.add_column("time", overflow="fold", min_width=10, ratio=2)
    table.add_column("position as stated", overflow="fold", ratio=4)
    table.add_column("quote (source language)", overflow="fold", ratio=5)
    if translated:
        table.add_column("translation (en)", overflow="fold", ratio=4)
    table.add_column("voice · by · source", overflow="fold", ratio=3)
    for r in records:
        ref = sources.setdefault(r["source"], f"[{len(sources) + 1}]")
        when = Text(r["time"] or "undated", style="" if r["time"] else "yellow")
        when.append(
            {STATED: "\nas the source dates it", REPORTED: "\nreported (source's date)"}.get(r["dated_by"], "\nthe source gives no date"),
            style="dim",
        )
        if r["when"]:
            when.append(f"\n„{r['when']}“", style="dim")
        what = Text()
        what.append(r["relation_label"], style="cyan")
        what.append(f" {r['object_label']}")
        if r["polarity"]:
            what.append(f" ({r['polarity']})", style="dim")
        what.append(f"\n{r['statement']}", style="dim")
        who = Text(f"{r['voice']} · {labels.label(_iri_of(names, r['asserted_by']), code)}\nsource {ref}")
        if r["hedged"]:
            who.append("\nhedged by the source", style="yellow")
        cells = [when, what, Text(r["quote"]), *([Text(r["translation"])] if translated else []), who]
        table.add_row(*cells)
    out_console.print(table)
    for source, ref in sources.items():
        title = next(r["source_title"] for r in records if r["source"] == source)
        out_console.print(Text(f"{ref} source {source}: {title}", style="dim"))
    undated = sum(1 for r in records if not r["time"])
    err_console.print(Text(f"{len(records)} statement(s), {undated} undated", style="dim"), highlight=False)


def _iri_of(names: Names, ident: str) -> str:
    return names.iris.get(ident, ident)


@app.command("diff")
@handle_errors
def diff_command(
    before: Annotated[Path, typer.Argument(help="The earlier build: an output folder (its current build) or a builds/<id> folder.")],
    after: Annotated[Path, typer.Argument(help="The later build, likewise.")],
    format: FormatOption = AnswerFormat.table,
) -> None:
    """What changed between two builds: statements added, removed and changed (by id), and entities.

    A statement keeps its id across edits when the data gives it one (id:); one without an id
    shows as removed and added when its content changes, because its id derives from it.
    """
    from graph.query.diff import diff_stores

    result = diff_stores(OutDir.for_reading(before).open_store(), OutDir.for_reading(after).open_store())
    if format is AnswerFormat.json:
        emit_json(result.as_dict())
        return
    if format is AnswerFormat.csv:
        rows: list[list[Any]] = []
        for kind, items in (("added", result.added), ("removed", result.removed)):
            rows.extend([kind, sid, "", "", ""] for sid in items)
        for c in result.changed:
            rows.extend(["changed", c.id, f, c.before[f], c.after[f]] for f in c.fields)
        emit_csv(["change", "statement", "field", "before", "after"], rows)
        return
    if result.empty:
        out_console.print(f"No change: {result.unchanged} statement(s), the same in both builds.")
        return
    for kind, items, style in (("added", result.added, "green"), ("removed", result.removed, "red")):
        if not items:
            continue
        table = Table(
            title=Text(f"{len(items)} statement(s) {kind}", style=f"bold {style}"), title_justify="left", show_lines=True, expand=True
        )
        for column, ratio in (("statement", 3), ("says", 4), ("voice · by", 2), ("quote", 6)):
            table.add_column(column, overflow="fold", ratio=ratio)
        for sid, r in items.items():
            says = Text(f"{r['subject']} ")
            says.append(r["predicate"], style="cyan")
            says.append(f" {r['object']}")
            table.add_row(Text(f"{sid}\n{r['source']}"), says, Text(f"{r['voice']} · {r['asserted_by']}"), Text(r["quote"]))
        out_console.print(table)
    if result.changed:
        table = Table(
            title=Text(f"{len(result.changed)} statement(s) changed", style="bold yellow"),
            title_justify="left",
            show_lines=True,
            expand=True,
        )
        for column, ratio in (("statement", 3), ("field", 2), ("before", 5), ("after", 5)):
            table.add_column(column, overflow="fold", ratio=ratio)
        for c in result.changed:
            for i, f in enumerate(c.fields):
                table.add_row(Text(c.id if i == 0 else ""), Text(f), Text(str(c.before[f])), Text(str(c.after[f])))
        out_console.print(table)
    for kind, ids in (("added", result.entities_added), ("removed", result.entities_removed), ("changed", result.entities_changed)):
        if ids:
            out_console.print(Text(f"entities {kind}: {', '.join(ids)}"), soft_wrap=True)
    err_console.print(
        Text(
            f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed, {result.unchanged} unchanged",
            style="dim",
        ),
        highlight=False,
    )
