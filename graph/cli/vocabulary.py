"""``kg vocabulary``: the relations a statement may use, with labels, domain → range and signal words.

Read from the bundled ontology, not from a build, so that a curator writing a first source (or
an extractor) can look up a predicate before anything is built. ``-f markdown`` prints the table
the README holds (a test keeps the two equal).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from graph.cli.app import LangOption, app, handle_errors, out_console
from graph.model.lang import Lang
from graph.model.ontology import default_ontology
from graph.model.reference import markdown_table, relation_rows


class VocabularyFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command("vocabulary")
@handle_errors
def vocabulary_command(
    format: Annotated[
        VocabularyFormat,
        typer.Option("--format", "-f", help="table for people; markdown (the README's table) or json for scripts (stdout)."),
    ] = VocabularyFormat.table,
    lang: LangOption = Lang.en,
) -> None:
    """The relations statements may use: labels, domain → range, signal words, inverses and shortcuts."""
    onto = default_ontology()
    if format is VocabularyFormat.markdown:
        out_console.file.write(markdown_table(onto))
        return
    rows = relation_rows(onto)
    if format is VocabularyFormat.json:
        out_console.file.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(show_lines=False, expand=True)
    table.add_column("relation", no_wrap=True)
    table.add_column("label", overflow="fold", ratio=2)
    table.add_column("domain → range", overflow="fold", ratio=2)
    table.add_column(f"signal words ({lang.value})", overflow="fold", ratio=4)
    table.add_column("notes", overflow="fold", ratio=3)
    for row in rows:
        table.add_row(
            row["relation"],
            row["label"][lang.value],
            f"{row['domain']} → {row['range']}",
            ", ".join(row["signals"][lang.value]),
            "; ".join(row["notes"]),
        )
    out_console.print(table, markup=False, highlight=False)
