"""Every ``kg`` command, walked from the Typer app, and how to run the ones that read a build.

Tests that hold a promise for every command (``-f json``, ``--build``) walk
:func:`graph.cli.reference.every_command`, so a command added later is checked without a test
naming it; the tables here say how to run each command that reads a build, and which commands
are left out of a promise and why.
"""

from __future__ import annotations

from typing import Any

from graph.cli.reference import every_command

#: how to run each command that reads a build (``--build`` and ``-f`` are added by the tests)
READERS: dict[str, list[str]] = {
    "kg lookup": ["lookup", "musk"],
    "kg neighbors": ["neighbors", "musk"],
    "kg path": ["path", "musk", "openai"],
    "kg central": ["central"],
    "kg communities": ["communities"],
    "kg contradictions": ["contradictions"],
    "kg sources": ["sources"],
    "kg timeline": ["timeline", "musk"],
    "kg stats": ["stats"],
    "kg query": ["query", "ASK {}"],
    "kg push": ["push", "--endpoint", "http://127.0.0.1:9/store"],
}

#: commands that read a build and have no -f json: each with how its output is checked instead
READERS_WITHOUT_JSON: dict[str, list[str]] = {
    "kg export": ["export", "-f", "nquads"],  # its --format names RDF formats (jsonld among them)
    "kg view": ["view", "-o", "-"],  # writes an HTML page
}

#: commands whose output is not a report, so they offer no -f json
WITHOUT_JSON: dict[str, str] = {
    "kg export": "its --format names the RDF and network formats, jsonld among them",
    "kg serve": "a server: its answers are HTTP, in the format the client asks for",
    "kg view": "writes an HTML page",
    "kg drafts review": "an interactive session at the terminal",
}

#: commands that read a build but whose output cannot be compared between two runs in a test
READERS_NOT_COMPARED: dict[str, str] = {
    "kg serve": "a server that runs until stopped (tests/endpoint/ serves a build folder)",
    "kg push": "sends the build to a store (tests/remote/ pushes a build folder)",
}


def _option(command: Any, name: str) -> Any | None:
    return next((p for p in command.params if p.name == name), None)


def commands_offering_json() -> set[str]:
    """The commands whose ``--format`` offers ``json`` (``kg export``'s ``jsonld`` is not json)."""
    found = set()
    for name, command in every_command():
        option = _option(command, "format")
        if option is not None and "json" in getattr(option.type, "choices", ()):
            found.add(name)
    return found


def commands_reading_a_build() -> set[str]:
    """The commands with a ``--build`` option: they read a build of an output folder."""
    return {name for name, command in every_command() if _option(command, "build") is not None}


def all_commands() -> set[str]:
    return {name for name, _command in every_command()}
