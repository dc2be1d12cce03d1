"""The README is checked like code: its commands match CI and its SPARQL examples run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from helpers.run import REPO

from graph.query.run import run_query
from graph.rdf.quads import DEFAULT_BASE_IRI
from graph.store.export import prefixes_for

README = (REPO / "README.md").read_text(encoding="utf-8")
CI_RUN = (REPO / ".ci" / "run").read_text(encoding="utf-8")


def _code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_the_readme_starts_with_the_two_quickstart_commands() -> None:
    first = _code_blocks("bash")[0]
    commands = [line for line in first.splitlines() if line and not line.startswith("#")]
    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && kg build",
        "python3 -m venv .venv && . .venv/bin/activate && pip install '.[test]' && pytest",
    ]
    assert README.index(first) < README.index("## A short tour")


def test_ci_installs_and_tests_exactly_as_the_readme_says() -> None:
    assert "\npip install '.[test]'\n" in CI_RUN
    assert "\npytest\n" in CI_RUN
    assert "python3 -m venv" in CI_RUN


SPARQL_EXAMPLES = [q.strip() for block in _code_blocks("sparql") for q in re.split(r"\n\s*\n", block) if q.strip()]


def test_the_readme_has_sparql_examples() -> None:
    assert len(SPARQL_EXAMPLES) >= 6


@pytest.mark.parametrize("query", SPARQL_EXAMPLES, ids=[q.splitlines()[0][:60] for q in SPARQL_EXAMPLES])
def test_every_sparql_example_runs_and_returns_rows(store: pyoxigraph.Store, query: str) -> None:
    result = run_query(store, query, prefixes=prefixes_for(DEFAULT_BASE_IRI))
    assert result.rows, "an example that returns nothing teaches nothing"


def _cog_check(readme: Path) -> subprocess.CompletedProcess[str]:
    cog = Path(sys.executable).parent / "cog"
    return subprocess.run([str(cog), "--check", str(readme)], cwd=REPO, capture_output=True, text=True, check=False)


def test_the_commands_table_is_the_one_the_command_line_generates() -> None:
    """``cog -r README.md`` writes the Commands table from the Typer app; a change to a command shows here."""
    result = _cog_check(REPO / "README.md")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_commands_table_edited_by_hand_is_caught(tmp_path: Path) -> None:
    edited = tmp_path / "README.md"
    edited.write_text(README.replace("| `kg stats` |", "| `kg statistics` |"), encoding="utf-8")
    result = _cog_check(edited)
    assert result.returncode != 0
    assert "changed" in (result.stdout + result.stderr)
