"""Text from data, user input and patterns is printed as it is: never read as Rich markup or emoji codes.

A data folder whose labels, quotes and translations hold ``[sic]``, ``[red]``, ``[/b]``,
``[/bold]x`` and ``urn:x:`` is built, and every command that prints data must show them verbatim
(before, ``[sic]`` vanished from quotes, ``[/b]`` crashed ``kg lookup`` with a MarkupError and
``urn:x:`` became an emoji).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers.inprocess import crashed, run_kg
from helpers.run import DATA, SOURCE_ID

from graph.cli.app import app, load_commands

pytestmark = pytest.mark.slow

QUOTE = "Elon Musk [sic] reichte eine Klage gegen OpenAI [red] ein"
TRANSLATION = "Elon Musk [/b] filed a lawsuit against OpenAI urn:x:"
MUSK = "Elon [red]Musk[/b] urn:x:"
SUTSKEVER = "Ilya [/bold]x Sutskever :x:"


def _marked_data(target: Path) -> Path:
    shutil.copytree(DATA, target)
    entities = target / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    text = text.replace("label: {de: Elon Musk, en: Elon Musk}", f'label: {{de: "{MUSK}", en: "{MUSK}"}}')
    text = text.replace("label: {de: Ilya Sutskever, en: Ilya Sutskever}", f'label: {{de: "{SUTSKEVER}", en: "{SUTSKEVER}"}}')
    entities.write_text(text, encoding="utf-8")
    source = target / "sources" / f"{SOURCE_ID}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Elon Musk reichte eine Klage gegen OpenAI ein", QUOTE), encoding="utf-8")
    statements = target / "statements" / f"{SOURCE_ID}.yaml"
    text = statements.read_text(encoding="utf-8").replace("quote: Elon Musk reichte eine Klage gegen OpenAI ein", f"quote: {QUOTE}")
    text = text.replace("translation: Elon Musk filed a lawsuit against OpenAI", f'translation: "{TRANSLATION}"')
    statements.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The bundled data with markup in labels, a quote and a translation, built with `kg build` (whose output is kept)."""
    root = tmp_path_factory.mktemp("literal")
    data = _marked_data(root / "data")
    out = root / "out [red] urn:x:"
    result = run_kg("build", "--data", data, "--out", out, "--export", "none")
    assert result.exit_code == 0, result.stderr
    return data, out, result.stdout + result.stderr


def _run(*args: str | Path) -> str:
    result = run_kg(*args)
    assert not crashed(result), result.exception
    assert result.exit_code == 0, result.stderr
    return result.stdout + result.stderr


def test_build_prints_paths_with_brackets_as_they_are(marked: tuple[Path, Path, str]) -> None:
    _, out, printed = marked
    assert f"{out}/current" in printed.replace("\n", "")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lookup", "musk"], [MUSK]),
        (["lookup", "sutskever"], [SUTSKEVER]),
        (["neighbors", "musk"], [MUSK, QUOTE, TRANSLATION]),
        (["path", "sutskever", "musk"], [MUSK, SUTSKEVER]),
        (["central", "--top", "0"], [MUSK, SUTSKEVER]),
        (["communities"], [MUSK]),
        (["contradictions"], [MUSK]),
        (["query", "SELECT ?label WHERE { entity:musk rdfs:label ?label }"], [MUSK]),
        (["query", "SELECT ?q WHERE { ?s qg:quote/oa:hasSelector/oa:exact ?q }"], [QUOTE]),
        (["query", "who-sued-whom"], [QUOTE]),
    ],
    ids=lambda value: (
        " ".join(value)
        if isinstance(value, list)
        and value
        and value[0] in ("lookup", "neighbors", "path", "central", "communities", "contradictions", "query")
        else ""
    ),
)
def test_every_command_that_prints_data_prints_it_verbatim(marked: tuple[Path, Path, str], args: list[str], expected: list[str]) -> None:
    _, out, _ = marked
    printed = _run(*args, "--build", out)
    flat = printed.replace("\n", " ")
    for text in expected:
        assert text in printed or text in flat or all(word in flat for word in text.split()), (text, printed[:2000])
        for token in ("[sic]", "[red]", "[/b]", "[/bold]x", "urn:x:", ":x:"):
            if token in text:
                assert token in printed, (token, printed[:2000])


def test_validation_errors_show_ids_and_patterns_verbatim(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    entities = data / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("  - id: oscar\n", '  - id: "[/bold]x"\n', 1), encoding="utf-8")
    result = run_kg("validate", "--data", data)
    assert not crashed(result), result.exception
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any("[/bold]x" in line for line in lines), result.stderr
    assert any("[a-z0-9]" in line for line in lines), "the pattern is printed with its brackets"
    as_json = run_kg("validate", "--data", data, "-f", "json")
    assert as_json.exit_code == 1
    error = json.loads(as_json.stderr)["error"]
    assert error["code"] == "invalid-data"
    assert any("[/bold]x" in problem["message"] or problem["field"] for problem in error["problems"])
    assert all(set(problem) == {"file", "line", "field", "message"} for problem in error["problems"])


def _help_texts() -> list[tuple[str, str]]:
    """Every help text of every command and option, as click holds them (typer renders them with Rich)."""
    import typer.main

    found: list[tuple[str, str]] = []

    def walk(command: Any, name: str) -> None:  # typer >= 0.20 carries its own copy of click's classes
        found.append((name, command.help or ""))
        for param in command.params:
            found.append((f"{name} {param.name}", getattr(param, "help", None) or ""))
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{name} {sub_name}")

    load_commands()  # commands register when their module is imported: all of them, whatever ran before
    walk(typer.main.get_command(app), "kg")
    return found


def test_every_help_text_is_shown_as_written_not_read_as_rich_markup() -> None:
    from rich.text import Text

    # `[a]ccept` in a docstring was shown as "ccept": Rich read [a] as a style tag and dropped it
    texts = _help_texts()
    assert len(texts) > 100, "every command and option was seen"
    mangled = [(where, text) for where, text in texts if Text.from_markup(text).plain != text]
    assert mangled == []
