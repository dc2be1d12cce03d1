"""``kg extract`` (drafted statements, or their evaluation) and ``kg drafts`` (review them)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from graph.cli.app import DataChoice, DataOption, app, choose_data, data_dir, err_console, fail, handle_errors, out_console
from graph.cli.ask import emit_json
from graph.errors import UsageError
from graph.ingest.extract import DEFAULT_MIN_CONFIDENCE

drafts_app = typer.Typer(
    name="drafts",
    help="Review drafted statements: list them, accept them into the curated data, or reject them.",
    no_args_is_help=True,
)
app.add_typer(drafts_app, name="drafts")


class ExtractFormat(StrEnum):
    table = "table"
    json = "json"


_MATCHING = (
    "A draft matches a curated statement when subject, predicate and object (or value, compared "
    "case-insensitively) are the same (either way round for a symmetric relation) and the quote spans "
    "overlap. The gold statements are the source's curated statements and the shortcuts the build derives "
    "from them. Precision: matched drafts / drafts; recall: matched gold / gold."
)


def _project_to_write(data: Path | None, what: str, *, as_json: bool = False, hint: str = "") -> DataChoice:
    """The data folder a command writes into; outside a project there is none (exit 2).

    Without a project the data folder is the bundled demo inside the installed package: writing
    drafts or statements there would change site-packages, and the next upgrade would lose them.
    """
    refuse_bundled(choose_data(data, announce=False), what, as_json=as_json, hint=hint)
    return choose_data(data, announce=not as_json)  # said once it is sure to be used


def refuse_bundled(chosen: DataChoice, what: str, *, as_json: bool = False, hint: str = "") -> None:
    """Exit 2 with one line when ``chosen`` is the bundled demo (see :func:`_project_to_write`), the only line on stderr."""
    if chosen.origin == "bundled":
        raise fail(f"no project in {Path.cwd()} or above to {what}: kg init DIR makes one, --data DIR names one{hint}", as_json=as_json)


def _snippet(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@app.command("extract")
@handle_errors
def extract_command(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help="A source id of the data folder, or a text (.txt) or HTML (.html) file that is not a source yet.", show_default=False
        ),
    ] = None,
    format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="table for people; json for scripts (stdout).")
    ] = ExtractFormat.table,
    evaluate: Annotated[
        bool, typer.Option("--evaluate", help=f"Compare the drafts of each source (default: all) with its curated statements. {_MATCHING}")
    ] = False,
    unseen: Annotated[
        bool,
        typer.Option(
            "--unseen",
            help="With --evaluate: draft as on a brand-new article, without the data folder's entities (the extractor reads "
            "only the text), then match the new entities drafted to the curated ones by normalised label or alias (case, "
            "accents, spaces, a German genitive -s, legal forms such as Inc., GmbH, AG) and new stances to the curated "
            "stances they paraphrase.",
        ),
    ] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of a file: de or en. Default: detected (a source's is in its metadata).")
    ] = None,
    write: Annotated[bool, typer.Option("--write/--no-write", help="Write the review file drafts/<source>.yaml (for a source).")] = True,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence", help="Leave out drafts below this confidence (0-1); 0 shows every draft, new stances too.", min=0.0, max=1.0
        ),
    ] = DEFAULT_MIN_CONFIDENCE,
    data: DataOption = None,
) -> None:
    """Draft statements from a text, offline: each with an exact quote, who asserts it, the rule and a confidence.

    For a source, the drafts go to drafts/<source>.yaml beside statements/ (the build ignores them
    until you accept them with `kg drafts accept ID…`). A file that is not a source is only read.
    """
    from graph.ingest.drafts import write_drafts
    from graph.ingest.run import Workspace

    if lang is not None and lang not in ("de", "en"):
        raise typer.BadParameter("--lang must be de or en")
    chosen = choose_data(data, announce=False)
    writes = not evaluate and write and bool(targets) and len(targets or ()) == 1
    if chosen.origin != "bundled":
        choose_data(data)  # which data folder is read, on stderr, before anything it holds can fail
    work = Workspace.open(chosen.path)
    if writes and work.is_source((targets or [""])[0]):
        refuse_bundled(chosen, "write drafts into", as_json=format is ExtractFormat.json, hint=" (--no-write only shows them)")
    if chosen.origin == "bundled":
        choose_data(data)
    if unseen and not evaluate:
        raise UsageError("--unseen goes with --evaluate (it changes how drafts are scored, not what is drafted)")
    if evaluate:
        _evaluate(work, targets or sorted(work.scan.sources), format, min_confidence, unseen=unseen)
        return
    if not targets or len(targets) != 1:
        raise UsageError("name one source id or file (or use --evaluate for several sources)")
    target = targets[0]
    is_source = work.is_source(target)
    if is_source:
        extraction = work.without_curated(work.extract_source(target))
    elif Path(target).is_file():
        extraction = work.extract_file(Path(target), lang)
    else:
        raise UsageError(f"no source '{target}' in {work.data}/sources/ and no file '{target}'")
    extraction.drafts = [d for d in extraction.drafts if d.confidence >= min_confidence]
    if is_source and write:
        path, counts = write_drafts(work.data, extraction)
        err_console.print(
            f"{len(extraction.drafts)} drafts ({counts['new']} new, {counts['accepted']} accepted, {counts['rejected']} rejected before) "
            f"written to {path}",
            highlight=False,
            markup=False,
            soft_wrap=True,  # a path is not cut at the terminal's width: it stays one thing to copy
        )
    if format is ExtractFormat.json:
        emit_json(extraction.as_json())
        return
    table = Table(title=f"Drafts of {extraction.source} ({extraction.language})", title_justify="left")
    for column in ("id", "conf", "statement", "asserted by", "quote"):
        table.add_column(column, overflow="fold", no_wrap=column in _WHOLE, ratio=_RATIO.get(column))
    for d in extraction.drafts:
        table.add_row(
            Text(d.id),
            Text(f"{d.confidence:.2f}"),
            Text(_statement(d.subject, d.predicate, d.object, d.value)),
            Text(f"{d.asserted_by or '—'} ({d.voice})"),
            Text(_snippet(d.quote)),
        )
    out_console.print(table)
    used = {ident for d in extraction.drafts for ident in (d.subject, d.object, d.asserted_by) if ident}
    new = [e for e in extraction.entities if not e.known and e.id in used]  # those the drafts shown need
    if new:
        out_console.print(Text(f"New entities drafted: {', '.join(f'{e.id} ({e.kind})' for e in new)}"))


_WHOLE = {"id", "status", "conf"}  # an id cut in two cannot be copied into `kg drafts accept`
_RATIO = {"statement": 2, "asserted by": 1, "quote": 3}  # the quote is what the curator reads: it gets the most room


def _statement(subject: str, predicate: str, obj: str | None, value: Any) -> str:
    """One draft as a line: ``elon-musk sued openai``, or a value in quotes (``sam-altman describedAs “CEO”``)."""
    return f"{subject} {predicate} {obj or f'“{value}”'}"


def _evaluate(work: Any, sources: list[str], format: ExtractFormat, min_confidence: float, *, unseen: bool = False) -> None:
    from graph.ingest.evaluate import Evaluation

    results = []
    total = Evaluation("all")
    for source in sources:
        result = work.evaluate_source(source, min_confidence, unseen=unseen)
        results.append(result)
        total.add(result)
    if format is ExtractFormat.json:
        emit_json({"matching": _MATCHING, "unseen": unseen, "sources": [r.as_json() for r in results], "overall": total.as_json()})
        return

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.2f}"

    table = Table(title="Drafts against curated statements", title_justify="left")
    for column in ("source / predicate", "drafts", "gold", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column.startswith("source") else "right")
    for r in [*results, total]:
        s = r.overall
        table.add_row(Text(r.source), str(s.drafted), str(s.gold), pct(s.precision), pct(s.recall), pct(s.f1))
    for name, s in sorted(total.by_predicate.items()):
        table.add_row(Text(f"  {name}"), str(s.drafted), str(s.gold), pct(s.precision), pct(s.recall), pct(s.f1))
    out_console.print(table)
    err_console.print(Text(_MATCHING), highlight=False)


@drafts_app.command("list")
@handle_errors
def drafts_list(
    source: Annotated[str | None, typer.Argument(help="Only the drafts of this source.", show_default=False)] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only drafts with this status: pending, accepted or rejected.")] = None,
    data: DataOption = None,
    format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="table for people; json for scripts (stdout).")
    ] = ExtractFormat.table,
) -> None:
    """The drafts in drafts/*.yaml with their status."""
    from graph.ingest.drafts import drafts_dir, read_drafts

    folder = drafts_dir(data_dir(data))
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        doc = read_drafts(path)
        if source is not None and doc["source"] != source:
            continue
        for d in doc["statements"]:
            if status is None or d.get("status", "pending") == status:
                rows.append({"source": doc["source"], "status": d.get("status", "pending"), **d})
    if format is ExtractFormat.json:
        emit_json({"drafts": rows})
        return
    table = Table(title="Drafts", title_justify="left")
    for column in ("id", "status", "conf", "statement", "quote"):
        table.add_column(column, overflow="fold", no_wrap=column in _WHOLE, ratio=_RATIO.get(column))
    for d in rows:
        table.add_row(
            Text(str(d["id"])),
            Text(str(d["status"])),
            Text(str(d.get("confidence"))),
            Text(_statement(str(d["subject"]), str(d["predicate"]), d.get("object"), d.get("value"))),
            Text(_snippet(str(d["quote"]))),
        )
    out_console.print(table)


@drafts_app.command("accept")
@handle_errors
def drafts_accept(
    ids: Annotated[list[str], typer.Argument(help="Draft ids (from `kg extract` or `kg drafts list`).")],
    data: DataOption = None,
    format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="table for people; json for scripts (stdout): what was accepted, where.")
    ] = ExtractFormat.table,
) -> None:
    """Copy drafts into statements/<source>.yaml (and the new entities they need into the entities file)."""
    from graph.ingest.review import accept

    chosen = _project_to_write(data, "accept drafts into", as_json=format is ExtractFormat.json)
    done = accept(chosen.path, ids)
    if format is ExtractFormat.json:
        emit_json(
            {
                "accepted": done.ids,
                "statements_files": [str(p) for p in done.statements_files],
                "new_entities": done.new_entities,
                "entities_file": str(done.entities_file) if done.new_entities and done.entities_file is not None else None,
                **chosen.as_json(),
            }
        )
        return
    where = ", ".join(str(p) for p in done.statements_files)
    err_console.print(Text(f"accepted {len(done.ids)} draft(s) into {where}"), highlight=False, soft_wrap=True)
    if done.new_entities and done.entities_file is not None:
        err_console.print(
            Text(f"added {len(done.new_entities)} entit(ies) to {done.entities_file}: {', '.join(done.new_entities)}"),
            highlight=False,
            soft_wrap=True,
        )


@drafts_app.command("reject")
@handle_errors
def drafts_reject(
    ids: Annotated[list[str], typer.Argument(help="Draft ids.")],
    data: DataOption = None,
    format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="table for people; json for scripts (stdout): what was rejected, where.")
    ] = ExtractFormat.table,
) -> None:
    """Mark drafts rejected: they stay in the review file, and extracting again keeps the decision."""
    from graph.ingest.drafts import set_status

    chosen = _project_to_write(data, "reject drafts in", as_json=format is ExtractFormat.json)
    done = set_status(chosen.path, ids, "rejected")
    if format is ExtractFormat.json:
        files = sorted({str(loc.path) for loc in done})
        emit_json({"rejected": [str(loc.draft["id"]) for loc in done], "drafts_files": files, **chosen.as_json()})
        return
    err_console.print(Text(f"rejected {len(done)} draft(s)"), highlight=False)


@drafts_app.command("review")
@handle_errors
def drafts_review(
    source: Annotated[str, typer.Argument(help="The source whose pending drafts to go through.")],
    data: DataOption = None,
) -> None:
    """Go through the pending drafts of a source one by one, answering a (accept), r (reject), s (skip) or q (quit).

    Decisions are applied together at the end (or at quit), as `kg drafts accept` and `reject` would.
    """
    from graph.ingest.drafts import drafts_path, read_drafts, set_status
    from graph.ingest.review import accept

    root = _project_to_write(data, "review drafts in").path
    path = drafts_path(root, source)
    if not path.exists():
        raise UsageError(f"no drafts for '{source}' in {path.parent}/ (run `kg extract {source}` first)")
    pending = [d for d in read_drafts(path)["statements"] if d.get("status", "pending") == "pending"]
    chosen: dict[str, list[str]] = {"a": [], "r": []}
    for number, d in enumerate(pending, 1):
        obj = d.get("object") or f"“{d.get('value')}”"
        err_console.print(
            Text(
                f"\n[{number}/{len(pending)}] {d['subject']} —{d['predicate']}→ {obj}   ({d['voice']}, {d.get('asserted_by') or '—'}, {d.get('confidence')})"
            )
        )
        err_console.print(Text(f"  “{_snippet(str(d['quote']), 300)}”", style="italic"))
        answer = typer.prompt("  accept, reject, skip, quit? [a/r/s/q]", default="s", show_default=False, err=True).strip().lower()[:1]
        if answer == "q":
            break
        if answer in chosen:
            chosen[answer].append(str(d["id"]))
    if chosen["a"]:
        accept(root, chosen["a"])
    if chosen["r"]:
        set_status(root, chosen["r"], "rejected")
    err_console.print(
        Text(
            f"accepted {len(chosen['a'])}, rejected {len(chosen['r'])}, {len(pending) - len(chosen['a']) - len(chosen['r'])} still pending"
        )
    )
