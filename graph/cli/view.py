"""``kg view``: the interactive HTML graph, one self-contained file."""

from __future__ import annotations

import sys
import webbrowser
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graph.cli.app import BuildOption, app, build_dir, err_console, fail, handle_errors
from graph.defaults import VIEW_MAX_NODES as MAX_NODES
from graph.defaults import VIEW_MAX_STATEMENTS as MAX_STATEMENTS

DEFAULT_OUTPUT = "quotegraph.html"
DEFAULT_DEPTH = 2
RANKINGS = {"focus": "steps from the focus, then number of statements", "statements": "number of statements"}


class Lang(StrEnum):
    de = "de"
    en = "en"


@app.command("view")
@handle_errors
def view_command(
    output: Annotated[str, typer.Option("--output", "-o", help="HTML file to write (atomically), or - for stdout.")] = DEFAULT_OUTPUT,
    open_: Annotated[bool, typer.Option("--open", help="Open the page in the default browser afterwards.")] = False,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Show only the neighbourhood of this entity (id, label or alias).", show_default=False)
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth", min=0, help=f"With --focus: how many steps away from it to show (default {DEFAULT_DEPTH}).", show_default=False
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Show only the statements of this source (its id).", show_default=False)
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            min=1,
            help=f"Show only the N entities with the most statements (within --source or --focus). "
            f"A page never shows more than {MAX_NODES:,} entities and {MAX_STATEMENTS:,} statements.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the labels when the page opens; the page can switch.")] = Lang.en,
    build: BuildOption = None,
) -> None:
    """Write the graph as one interactive HTML page that works offline.

    Click an edge or a node to read every statement behind it: the quote in the source's language
    with the sentence around it, the translation, who asserts it and the source. The page has a
    legend, a search, filters by kind, relation and source, and a German/English switch. It makes
    no network request and shows every text from the data as text.

    A large graph is cut to a readable part (at most 5,000 entities, 20,000 statements), keeping
    the entities nearest the focus and with the most statements; the page and this command say
    how much was left out.
    """
    if depth is not None and focus is None:
        raise fail("--depth needs --focus ENTITY")
    if open_ and output == "-":
        raise fail("--open needs a file; it cannot open stdout (-o -)")
    from graph.network.arrays import open_cache
    from graph.store.builds import write_atomically
    from graph.view import Selection, build_page

    target = build_dir(build)
    store = target.open_store()
    cache = open_cache(target.current())
    selection = Selection(focus=focus, depth=DEFAULT_DEPTH if depth is None else depth, source=source, top=top)
    with err_console.status("drawing …"):
        page = build_page(store, selection=selection, lang=lang.value, cache=cache)
    encoded = page.html.encode("utf-8")
    if page.left_out:
        note = page.left_out
        ranking = RANKINGS[str(note["ranking"])]
        err_console.print(
            f"left out {note['nodes']:,} entities and {note['statements']:,} statements of the selection "
            f"(kept the {note['shown_nodes']:,} ranked first by {ranking}); "
            "narrow it with --focus/--depth, --source or --top",
            highlight=False,
            soft_wrap=True,
        )
    if output == "-":
        sys.stdout.buffer.write(encoded)
        sys.stdout.buffer.flush()
        return
    path = Path(output)
    write_atomically(path, lambda handle: handle.write(encoded))
    layout = "laid out by the browser" if page.physics else "laid out in advance"
    err_console.print(
        f"wrote {path} ({page.nodes:,} nodes, {page.edges:,} edges, {page.statements:,} statements; "
        f"{len(encoded) / 1_000_000:.1f} MB; {layout})",
        highlight=False,
        soft_wrap=True,
    )
    if open_:
        webbrowser.open(path.resolve().as_uri())
