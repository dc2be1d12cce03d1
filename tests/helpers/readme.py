"""The README's console blocks as examples to run: ``$ command`` lines and what the terminal showed.

A line ``…`` alone in what a block shows stands for lines left out of a long output: the lines
around it must still appear in that order, with nothing else between them but what ``…`` covers.
A block indented under a list item is read without its indent.
"""

from __future__ import annotations

import re
import textwrap

from helpers.run import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The README from ``heading`` to the next heading of level 2."""
    start = README.index(heading)
    return README[start : README.index("\n## ", start + 1)]


def console_examples(*sections: str) -> list[tuple[str, str]]:
    """Each ``$ command`` of the console blocks in ``sections``, with the lines shown under it."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", "".join(sections), re.DOTALL):
        lines = textwrap.dedent(block).rstrip("\n").split("\n")
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(lines)
            examples.append((lines[start][2:], "\n".join(lines[start + 1 : end])))
    return examples


def matches(expected: list[str], shown: list[str]) -> bool:
    """``shown`` is ``expected`` with each ``…`` line standing for zero or more lines."""
    pattern = "".join(r"(?:.*\n)*?" if line == "…" else re.escape(line) + r"\n" for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in shown)) is not None
