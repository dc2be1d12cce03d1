"""The README's "Asking the graph" section shows real output: every command in it is run and compared.

Each console block holds `$ kg ...` lines followed by what the terminal showed at COLUMNS=100
(stdout, then stderr). The commands run here against the bundled data, in a fresh folder, and
must print exactly that (trailing spaces aside), so the README cannot drift from the program.
A line ``…`` alone stands for lines left out of a long output: the lines around it must still
appear in that order, with nothing else between them but what ``…`` covers.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from helpers.run import REPO, kg

from graph.build.pipeline import Built

README = (REPO / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = README.index(heading)
    return README[start : README.index("\n## ", start + 1)]


SECTION = _section("## Asking the graph")
TOUR = _section("## A short tour")


def _examples(*sections: str) -> list[tuple[str, str]]:
    examples = []
    for block in re.findall(r"```console\n(.*?)```", "".join(sections), re.DOTALL):
        lines = block.rstrip("\n").split("\n")
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(lines)
            examples.append((lines[start][2:], "\n".join(lines[start + 1 : end])))
    return examples


EXAMPLES = [(command, shown) for command, shown in _examples(TOUR, SECTION) if not command.startswith("kg build")]


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
    assert _matches(expected.split("\n"), shown), "\n".join(shown)


def _matches(expected: list[str], shown: list[str]) -> bool:
    """``shown`` is ``expected`` with each ``…`` line standing for zero or more lines."""
    pattern = "".join(r"(?:.*\n)*?" if line == "…" else re.escape(line) + r"\n" for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in shown)) is not None


def test_an_elided_output_still_checks_the_lines_it_shows() -> None:
    assert _matches(["a", "…", "d"], ["a", "b", "c", "d"])
    assert _matches(["a", "…", "b"], ["a", "b"])
    assert not _matches(["a", "…", "d"], ["a", "b", "c"])
    assert not _matches(["a", "c"], ["a", "b", "c"])
    assert not _matches(["x", "…"], ["a", "x"])


@pytest.mark.slow
def test_the_tours_build_prints_the_counts_the_readme_shows(tmp_path: Path) -> None:
    [(command, expected)] = [(c, e) for c, e in _examples(TOUR) if c.startswith("kg build")]
    result = kg(*shlex.split(command)[1:], "--data", REPO / "data", "--out", tmp_path / "out", cwd=tmp_path, env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    shown = [line.rstrip() for line in result.stdout.rstrip("\n").split("\n")]
    assert _matches(expected.split("\n"), shown), "\n".join(shown)
