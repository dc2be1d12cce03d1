"""The README is checked like code: its commands match CI and its SPARQL examples run."""

from __future__ import annotations

import re

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


def test_the_commands_table_lists_every_command() -> None:
    from graph.cli.app import app

    for command in app.registered_commands:
        assert f"`kg {command.name}" in README, command.name
