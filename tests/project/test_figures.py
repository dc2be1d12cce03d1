"""Timings written in the package say where they come from, so that a figure can be checked or redone.

A docstring or comment that gives a time (``0.12 s``, ``45 µs``) names, in the same paragraph,
the benchmark it comes from (``python -m tests.bench …``, a benchmark phase, the README's
Performance section, where the current figures live) or the date it was measured on. Figures
that drift without a source are how two docstrings came to give one cost as "0.17 s of 0.58 s"
and "0.17 s of 0.88 s".
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator

from helpers.run import REPO

FIGURE = re.compile(r"(?<![\w.])\d[\d,.]*(?:[–-]\d[\d,.]*)? ?(?:s|ms|µs)\b")
SOURCE = re.compile(r"tests\.bench|benchmark|Performance|20\d\d-\d\d-\d\d")


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Each paragraph of each docstring, and each block of comment lines, with its first line."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield from ((node.body[0].lineno, p) for p in re.split(r"\n\s*\n", doc))
    block: list[str] = []
    start = 0
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            start = start if block else token.start[0]
            block.append(token.string.lstrip("#: "))
        elif token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) and block:
            yield start, " ".join(block)
            block = []


def _unsourced(text: str) -> list[tuple[int, list[str]]]:
    return [(line, FIGURE.findall(p)) for line, p in _paragraphs(text) if FIGURE.search(p) and not SOURCE.search(p)]


def test_every_timing_in_the_package_says_where_it_was_measured() -> None:
    found = {
        f"{path.relative_to(REPO)}:{line}": figures
        for path in sorted((REPO / "graph").rglob("*.py"))
        for line, figures in _unsourced(path.read_text(encoding="utf-8"))
    }
    assert found == {}


def test_a_timing_without_a_source_is_seen_in_docstrings_and_comments() -> None:
    text = '"""Fast.\n\nReading it took 0.12 s.\n\nAt 10,000 it took 4.49 s (2026-12-02, 2 cores)."""\n\n# 45 µs per query\nX = 1\n'
    assert _unsourced(text) == [(1, ["0.12 s"]), (7, ["45 µs"])]
