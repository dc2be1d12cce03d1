"""``kg entities``: the entities of a data folder, candidates for one entity written twice, and merging them.

These commands read the data folder (``--data``), not a build: duplicates are a matter of
curation, and a merge rewrites the curated files. ``kg entities merge`` checks the merged data
the way ``kg validate`` does before it writes anything (see :mod:`graph.sources.merge`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from graph.cli.app import DataOption, ReportFormat, ReportFormatOption, app, choose_data, err_console, handle_errors, out_console
from graph.cli.ask import AnswerFormat, FormatOption, emit_csv, emit_json
from graph.errors import EXIT_INVALID_DATA
from graph.model.records import Entity
from graph.sources.duplicates import Candidate, candidates
from graph.sources.entities import load_entities
from graph.sources.located import Problems

if TYPE_CHECKING:
    from graph.sources.merge import MergePlan

entities_app = typer.Typer(
    help="The entities of a data folder; duplicates and merging.",
    no_args_is_help=False,
    rich_markup_mode="rich",
)
app.add_typer(entities_app, name="entities")


def _entities(root: Path) -> tuple[dict[str, Entity], dict[str, tuple[str, int]], Problems]:
    from graph.model.ontology import default_ontology

    problems = Problems()
    entities, where, _files = load_entities(root, default_ontology(), problems)
    return entities, where, problems


def _candidate_dict(c: Candidate, entities: dict[str, Entity], where: dict[str, tuple[str, int]]) -> dict[str, Any]:
    def side(ident: str) -> dict[str, Any]:
        e = entities[ident]
        return {
            "id": ident,
            "kind": e.kind,
            "label": e.label.model_dump(),
            "wikidata": e.wikidata,
            "at": f"{where[ident][0]}:{where[ident][1]}",
        }

    return {
        "first": side(c.first),
        "second": side(c.second),
        "strength": c.strength,
        "marked_distinct": c.distinct,
        "evidence": [e.as_dict() for e in c.evidence],
        "merge": f"kg entities merge {c.first} {c.second}",
    }


def _report_problems(problems: Problems) -> None:
    for problem in problems.items:
        err_console.print(Text.assemble(("error: ", "bold red"), str(problem)), highlight=False, soft_wrap=True)


@entities_app.callback(invoke_without_command=True)
@handle_errors
def entities_command(
    ctx: typer.Context,
    duplicates: Annotated[
        bool, typer.Option("--duplicates", help="List pairs that may be one entity: same Wikidata id, same name, similar names.")
    ] = False,
    include_distinct: Annotated[
        bool, typer.Option("--include-distinct", help="With --duplicates: also list pairs marked distinct_from each other.")
    ] = False,
    format: FormatOption = AnswerFormat.table,
    data: DataOption = None,
) -> None:
    """The entities of a data folder, or with --duplicates the pairs that may be one entity, with their evidence.

    Evidence, strongest first: the same Wikidata id (an error in kg build), a label or alias that
    folds to the same text (a warning in kg build, unless marked distinct_from), names that are
    close (a candidate only). Exit code 1 when the entities themselves are invalid (listed on stderr).
    """
    if ctx.invoked_subcommand is not None:
        return
    chosen = choose_data(data, announce=format is not AnswerFormat.json)  # with -f json the folder is said in the JSON
    entities, where, problems = _entities(chosen.path)
    _report_problems(problems)
    if duplicates:
        found = [c for c in candidates(entities) if include_distinct or not c.distinct]
        _show_candidates(found, entities, where, format, chosen.as_json())
    else:
        _show_entities(entities, where, format, chosen.as_json())
    if problems.items:
        raise typer.Exit(EXIT_INVALID_DATA)


def _show_entities(entities: dict[str, Entity], where: dict[str, tuple[str, int]], format: AnswerFormat, folder: dict[str, str]) -> None:
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "kind": e.kind,
            "type": e.type or "",
            "label_de": e.label.model_dump().get("de") or "",
            "label_en": e.label.model_dump().get("en") or "",
            "wikidata": e.wikidata or "",
            "distinct_from": list(e.distinct_from),
            "at": f"{where[e.id][0]}:{where[e.id][1]}",
        }
        for e in entities.values()
    ]
    if format is AnswerFormat.json:
        emit_json({**folder, "entities": rows})
    elif format is AnswerFormat.csv:
        emit_csv(list(rows[0]) if rows else ["id"], [[("; ".join(v) if isinstance(v, list) else v) for v in r.values()] for r in rows])
    else:
        table = Table(header_style="bold", expand=True)
        for column in ("id", "kind", "label (en)", "label (de)", "wikidata", "defined at"):
            table.add_column(column, overflow="fold")
        for r in rows:
            kind = r["kind"] + (f" ({r['type']})" if r["type"] else "")
            table.add_row(*(Text(str(v)) for v in (r["id"], kind, r["label_en"], r["label_de"], r["wikidata"], r["at"])))
        out_console.print(table)
        err_console.print(Text(f"{len(rows)} entities", style="dim"), highlight=False)


def _show_candidates(
    found: list[Candidate], entities: dict[str, Entity], where: dict[str, tuple[str, int]], format: AnswerFormat, folder: dict[str, str]
) -> None:
    records = [_candidate_dict(c, entities, where) for c in found]
    if format is AnswerFormat.json:
        emit_json({**folder, "candidates": records})
        return
    if format is AnswerFormat.csv:
        header = ["first", "second", "strength", "marked_distinct", "evidence", "merge"]
        emit_csv(
            header,
            [
                [r["first"]["id"], r["second"]["id"], r["strength"], r["marked_distinct"], "; ".join(map(str, c.evidence)), r["merge"]]
                for r, c in zip(records, found, strict=True)
            ],
        )
        return
    if not found:
        out_console.print("No two entities share a Wikidata id or a name, and none have close names.")
        return
    table = Table(header_style="bold", show_lines=True, expand=True)
    table.add_column("entities", overflow="fold", ratio=3)
    table.add_column("evidence", overflow="fold", ratio=6)
    table.add_column("what to do", overflow="fold", ratio=4)
    for r, c in zip(records, found, strict=True):
        pair = Text()
        for key in ("first", "second"):
            pair.append(r[key]["id"], style="bold")
            pair.append(f" ({r[key]['kind']})\n{r[key]['at']}\n", style="dim")
        evidence = Text(c.strength.upper(), style="bold yellow" if c.strength != "similar-name" else "yellow")
        for e in c.evidence:
            evidence.append(f"\n{e}")
        todo = Text("marked distinct_from: not one entity", style="dim") if c.distinct else Text(r["merge"])
        if not c.distinct and c.strength != "wikidata":
            todo.append(f"\nor, if they are two: distinct_from: [{c.first}] on '{c.second}'", style="dim")
        table.add_row(pair, evidence, todo)
    out_console.print(table)
    err_console.print(Text(f"{len(found)} candidate pair(s)", style="dim"), highlight=False)


@entities_app.command("merge")
@handle_errors
def merge_command(
    keep: Annotated[str, typer.Argument(help="The entity that stays.")],
    drop: Annotated[str, typer.Argument(help="The entity merged into KEEP and removed.")],
    data: Annotated[Path, typer.Option("--data", help="The data folder to rewrite (required: a merge edits curated files).")],
    pin_ids: Annotated[
        bool,
        typer.Option("--pin-ids", help="Write the current id into statements that have none, so their quotes keep their IRIs."),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and show what would change; write nothing.")] = False,
    format: ReportFormatOption = ReportFormat.table,
) -> None:
    """Merge DROP into KEEP: rewrite every reference in the data, all files or none.

    DROP's labels and aliases become aliases of KEEP; its Wikidata id, type and descriptions fill
    what KEEP lacks. known-entities.yaml and the drafts of kg extract (drafts/) are rewritten in the
    same commit. Refused (exit 1, nothing written) when the two cannot be one entity (kinds,
    types or Wikidata ids differ, or they are marked distinct_from), when a quote would lose its
    anchor (a statement without an id would get a new one: see --pin-ids), or when the merged
    data fails any check of kg validate. With -f json, what was done (or, with --dry-run, what
    would be) is one JSON object on stdout.
    """
    from graph.build.pipeline import check
    from graph.sources.merge import commit, plan_merge, write_copy

    root = data
    plan = plan_merge(root, keep, drop, pin_ids=pin_ids)
    with tempfile.TemporaryDirectory(prefix="quotegraph-merge-") as tmp:
        check(write_copy(plan, root, Path(tmp)))
    if format is ReportFormat.json:
        if not dry_run:
            commit(plan)
        emit_json(_merge_dict(plan, root, written=not dry_run))
        return
    for c in plan.changes:
        what = [f"{c.references} reference(s) to '{drop}' now name '{keep}'"] if c.references else []
        out_console.print(Text(f"{c.shown}: {'; '.join([*c.notes, *what])}"), highlight=False, soft_wrap=True)
    if plan.added_names:
        out_console.print(Text(f"aliases added to '{keep}': {', '.join(plan.added_names)}"), highlight=False, soft_wrap=True)
    for file, line, ident in plan.pinned:
        out_console.print(Text(f"{file}:{line}: id {ident} written, so its quote keeps its IRI"), highlight=False, soft_wrap=True)
    if dry_run:
        err_console.print("dry run: the merged data passes every check; nothing was written", highlight=False)
        return
    commit(plan)
    err_console.print(
        Text(f"merged '{drop}' into '{keep}': {plan.references} reference(s) in {len(plan.changes)} file(s); run kg build to rebuild"),
        highlight=False,
        soft_wrap=True,
    )


def _merge_dict(plan: MergePlan, root: Path, *, written: bool) -> dict[str, Any]:
    """What ``kg entities merge -f json`` prints: the same facts as the lines of the table format."""
    return {
        "data_dir": str(root),
        "keep": plan.keep,
        "drop": plan.drop,
        "written": written,
        "references": plan.references,
        "files": [{"file": c.shown, "references": c.references, "notes": c.notes} for c in plan.changes],
        "aliases_added": plan.added_names,
        "pinned": [{"file": file, "line": line, "id": ident} for file, line, ident in plan.pinned],
    }
