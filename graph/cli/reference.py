"""The command reference as Markdown, from the Typer app itself, so that the README cannot drift.

The README's "Commands" table is written by cog (``cog -r README.md``) from :func:`commands_table`,
and a test runs ``cog --check`` (tests/project/test_readme.py), as datasette keeps its CLI
reference. Each row: the command with its arguments, the first line of its help, its options.
"""

from __future__ import annotations

from typing import Any

import typer

from graph.cli.app import app


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def every_command(group: Any = None, prefix: str = "kg") -> list[tuple[str, Any]]:
    """Every visible command with its full name (``kg entities merge``), in the order of ``--help``.

    A group that also runs alone (``kg entities``) is a command too. Typer vendors its own click,
    so its classes are read by duck typing. The tests walk this list, so a new command is checked.
    """
    group = typer.main.get_command(app) if group is None else group
    found = []
    context = typer.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        if not hasattr(command, "list_commands") or getattr(command, "invoke_without_command", False):
            found.append((f"{prefix} {name}", command))
        if hasattr(command, "list_commands"):
            found += every_command(command, f"{prefix} {name}")
    return found


def _row(command: Any, usage_name: str) -> tuple[str, str, str]:
    """Usage, the first paragraph of the help, and the options of one command."""
    arguments = " ".join(p.human_readable_name.upper() for p in command.params if p.param_type_name == "argument")
    options = [p for p in command.params if p.param_type_name == "option" and not getattr(p, "hidden", False) and p.name != "help"]
    usage = f"`{usage_name}{' ' + arguments if arguments else ''}`"
    summary = (command.help or "").strip().split("\n\n")[0]
    flags = " ".join("`" + "/".join([max(p.opts, key=len), *p.secondary_opts]) + "`" for p in options)
    return usage.replace("|", "\\|"), _cell(summary), flags


def commands_table() -> str:
    """Every ``kg`` command as a Markdown table: usage, what it does, its options."""
    lines = ["| command | what it does | options |", "|---|---|---|"]
    lines += [f"| {usage} | {summary} | {flags} |" for usage, summary, flags in (_row(c, name) for name, c in every_command())]
    return "\n".join(lines)


def rooms_table(layers: list[str]) -> str:
    """The package's rooms as Markdown, top layer first: what each holds (its docstring's first line).

    ``layers`` is the import-linter contract of pyproject.toml (read there by the README's cog
    block: pyproject.toml is not installed), so the table shows the order the contract checks.
    """
    import ast
    from pathlib import Path

    import graph

    package = Path(graph.__file__).parent
    lines = ["| Layer | Room | What it holds | Modules |", "|---|---|---|---|"]
    for depth, layer in enumerate(layers, start=1):
        for name in (part.strip() for part in layer.split("|")):
            short = name.removeprefix("graph.")
            room = package / short
            path = room / "__init__.py" if room.is_dir() else package / f"{short}.py"
            doc = (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").strip().split("\n\n")[0]
            count = len([p for p in room.glob("*.py") if p.name != "__init__.py"]) if room.is_dir() else 1
            shown = f"`graph/{short}/`" if room.is_dir() else f"`graph/{short}.py`"
            what = _cell(doc).replace("``", "`")  # reST literals in docstrings, Markdown in the README
            lines.append(f"| {depth} | {shown} | {what} | {count} |")
    return "\n".join(lines)
