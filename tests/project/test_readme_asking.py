"""The README's "Asking the graph" section shows real output: every command in it is run and compared.

Each console block holds `$ kg ...` lines followed by what the terminal showed at COLUMNS=100
(stdout, then stderr). The commands run here against the bundled data, in a fresh folder, and
must print exactly that (trailing spaces aside), so the README cannot drift from the program.
A line ``…`` alone stands for lines left out of a long output: the lines around it must still
appear in that order, with nothing else between them but what ``…`` covers.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from helpers.readme import console_examples, matches, section
from helpers.run import REPO, kg

from graph.build.pipeline import Built

SECTION = section("## Asking the graph")
TOUR = section("## A short tour")
EXAMPLES = [(command, shown) for command, shown in console_examples(TOUR, SECTION) if not command.startswith("kg build")]


def test_the_section_asks_the_questions_of_the_issue() -> None:
    for question in (
        "Who sued whom, and why?",
        "What did Musk say about OpenAI?",
        "How is Sutskever connected to Microsoft?",
        "Who changed his position?",
    ):
        assert f"### {question}" in SECTION
    commands = [command.split()[1] for command, _ in EXAMPLES]
    assert {"query", "neighbors", "path", "contradictions", "central", "communities", "export", "lookup"} <= set(commands)


@pytest.mark.slow
@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_every_readme_example_prints_what_the_readme_shows(built: Built, tmp_path: Path, command: str, expected: str) -> None:
    args = shlex.split(command)
    assert args[0] == "kg"
    result = kg(*args[1:], "--build", built.out.root, cwd=tmp_path, env={"COLUMNS": "100"})
    shown = [line.rstrip() for line in (result.stdout + result.stderr).rstrip("\n").split("\n")]
    assert matches(expected.split("\n"), shown), "\n".join(shown)


def test_an_elided_output_still_checks_the_lines_it_shows() -> None:
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…", "b"], ["a", "b"])
    assert not matches(["a", "…", "d"], ["a", "b", "c"])
    assert not matches(["a", "c"], ["a", "b", "c"])
    assert not matches(["x", "…"], ["a", "x"])


@pytest.mark.slow
def test_the_tours_build_prints_the_counts_the_readme_shows(tmp_path: Path) -> None:
    [(command, expected)] = [(c, e) for c, e in console_examples(TOUR) if c.startswith("kg build")]
    result = kg(*shlex.split(command)[1:], "--data", REPO / "data", "--out", tmp_path / "out", cwd=tmp_path, env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    shown = [line.rstrip() for line in result.stdout.rstrip("\n").split("\n")]
    assert matches(expected.split("\n"), shown), "\n".join(shown)
