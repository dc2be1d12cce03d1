"""``kg init`` (a new project folder) and ``kg add`` (a new source from a text file, an HTML page or a URL)."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from graph.cli.app import DataOption, app, choose_data, err_console, fail, handle_errors, out_console
from graph.ingest.fetch import MAX_BYTES, MAX_REDIRECTS, TIMEOUT_S

if TYPE_CHECKING:
    from graph.ingest.add import Added


class AddFormat(StrEnum):
    table = "table"
    json = "json"


def _say(message: str, *, to_err: bool = False) -> None:
    """Print text that holds data (titles, paths, names) literally: never as Rich markup."""
    (err_console if to_err else out_console).print(message, markup=False, highlight=False, soft_wrap=True, emoji=False)


@app.command("init")
@handle_errors
def init_command(
    folder: Annotated[Path, typer.Argument(help="The new project's folder: new, or empty.", show_default=False)] = Path("."),
    with_bundled_entities: Annotated[
        bool,
        typer.Option(
            "--with-bundled-entities",
            help="Copy the bundled entities (the people and organisations of the demo) as known names into known-entities.yaml.",
        ),
    ] = False,
    format: Annotated[
        AddFormat, typer.Option("--format", "-f", help="table for people, json for scripts: the folders and files made.")
    ] = AddFormat.table,
) -> None:
    """Start a project: a data folder with sources/, statements/ and entities.yaml.

    Every kg command run in the folder or below it reads this project (like git finds its
    repository) and writes its builds to FOLDER/quotegraph-out. Refuses a folder that is not empty.
    """
    from graph.cli.ask import emit_json
    from graph.ingest.project import init_project

    project = init_project(folder, with_bundled_entities=with_bundled_entities)
    if format is AddFormat.json:
        made = sorted(str(p.relative_to(project.data)) + ("/" if p.is_dir() else "") for p in project.data.iterdir())
        emit_json({"data_dir": str(project.data), "out_dir": str(project.out), "written": made})
        return
    _say(f"Initialised a quotegraph project in {project.data}")
    extra = ", known-entities.yaml" if with_bundled_entities else ""
    _say(f"  sources/, statements/, entities.yaml{extra}; builds go to {project.out}")
    _say("Next: kg add FILE|URL (in the folder, or with --data)")


@app.command("add")
@handle_errors
def add_command(
    target: Annotated[str, typer.Argument(metavar="FILE|URL", help="A text file (stored as it is), an HTML file or an http(s) URL.")],
    data: DataOption = None,
    id_: Annotated[
        str | None, typer.Option("--id", help="The source's id. Default: NNN_<16 hex digits of the text's SHA-256>.", show_default=False)
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Default: the page's title, else the text's first line.", show_default=False)
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help="An entity id, or a name (an entity with that label or alias, else a new person). Default: the page's byline. '' for none.",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Publication date. Default: the page's (htmldate).", show_default=False),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Default: the URL fetched, or the page's canonical URL.", show_default=False)
    ] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Default: the page's site name.", show_default=False)] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="Language tag (de, en, …). Default: detected from the text (py3langid).", show_default=False),
    ] = None,
    licence: Annotated[
        str | None,
        typer.Option(
            "--licence", help="SPDX id, e.g. CC-BY-4.0. Default: a Creative Commons licence the page links to.", show_default=False
        ),
    ] = None,
    licence_url: Annotated[
        str | None, typer.Option("--licence-url", help="Default: the page's rel=license link.", show_default=False)
    ] = None,
    attribution: Annotated[
        str | None, typer.Option("--attribution", help="The credit line the licence asks for.", show_default=False)
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for curators.", show_default=False)] = None,
    retrieved: Annotated[
        str | None,
        typer.Option("--retrieved", metavar="ISO-DATETIME", help="When the text was obtained. Default: now.", show_default=False),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds allowed for fetching a URL, in all.")] = TIMEOUT_S,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Largest page accepted, in bytes.")] = MAX_BYTES,
    max_redirects: Annotated[int, typer.Option("--max-redirects", min=0, help="Redirects followed at most.")] = MAX_REDIRECTS,
    format: Annotated[AddFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")] = AddFormat.table,
) -> None:
    """Add a source: its text to sources/<id>.txt, its metadata to sources/<id>.yaml, an empty statements file.

    A text file is stored byte for byte; an HTML page becomes its article text (trafilatura:
    no navigation, footers or comments; paragraphs separated by blank lines), which is what
    quotes are anchored in. The metadata records title, author, date, URL, publisher, language,
    licence, retrieval time and the text's SHA-256; each option below overrides what was found.
    A source already present (same text or same URL) is refused, naming it. Nothing is written
    unless everything is.
    """
    from graph.ingest.add import Limits, Overrides, add_source

    chosen = choose_data(data, announce=format is not AddFormat.json)
    if chosen.origin == "bundled":
        raise fail(f"no project in {Path.cwd()} or above to add to: kg init DIR makes one, --data DIR names one")
    overrides = Overrides(
        id=id_,
        title=title,
        author=author,
        date=_date(date),
        url=url,
        publisher=publisher,
        language=language,
        licence=licence,
        licence_url=licence_url,
        attribution=attribution,
        note=note,
        retrieved=_datetime(retrieved),
    )
    added = add_source(chosen.path, target, overrides, Limits(timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects))
    for warning in added.warnings:
        _say(f"note: {warning}", to_err=True)
    if format is AddFormat.json:
        out_console.print_json(json.dumps(_as_json(added, chosen.as_json())))
        return
    _summary(added)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date like 2024-03-06", param_hint="--date") from None


def _datetime(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date and time like 2024-03-06T09:30:00Z", param_hint="--retrieved") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _as_json(added: Added, data: dict[str, str]) -> dict[str, Any]:
    return {
        "id": added.id,
        **data,
        "text_file": str(added.text_path),
        "metadata_file": str(added.meta_path),
        "statements_file": str(added.statements_path),
        "characters": added.characters,
        "read_as": added.kind,
        "metadata": {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in added.meta.items()},
        "language_detected": None
        if added.detected is None
        else {"language": added.detected.language, "probability": round(added.detected.probability, 4)},
        "new_entities": added.new_entities,
        "warnings": added.warnings,
    }


def _summary(added: Added) -> None:
    meta = added.meta
    _say(f"Added source {added.id} to {added.data}")
    for key in ("title", "author", "date", "publisher", "url", "licence"):
        if key in meta:
            extra = " (a new person in entities.yaml)" if key == "author" and meta[key] in added.new_entities else ""
            _say(f"  {key + ':':<12}{meta[key]}{extra}")
    detected = f" (detected, p={added.detected.probability:.2f})" if added.detected is not None else ""
    _say(f"  {'language:':<12}{meta['language']}{detected}")
    read_as = "the article text of the page" if added.kind == "html" else "the file as it is"
    _say(f"  {'text:':<12}{added.text_path.relative_to(added.data)} ({added.characters:,} characters: {read_as})")
    _say(f"  {'metadata:':<12}{added.meta_path.relative_to(added.data)}")
    _say(f"  {'statements:':<12}{added.statements_path.relative_to(added.data)} (none yet)")
    _say(f"Next: read the text and write its statements (or draft them: kg extract {added.id}), then kg build.")
