"""Everything ``kg`` prints goes through here: text from data is printed as it is, errors have one shape.

**Literal text.** Rich reads ``[red]`` as a style, ``[/b]`` as the end of one (and fails on it
when none is open) and ``:x:`` as an emoji, so a quote ``OpenAI sei [sic] eine Firma`` lost its
``[sic]`` on screen, a label ``[/b]`` crashed ``kg lookup`` and a pattern ``'^[a-z]{0,127}$'`` in a
validation error lost its brackets. So both consoles are made with markup, emoji and highlighting
off: every string is printed literally, in tables, titles, errors and progress lines. Styles are
given as :class:`rich.text.Text` spans (:func:`styled`) around our own words only; no string that
holds data is ever parsed for markup.

**One error style.** An error is one line per problem, each starting ``error:``; an error with
several problems ends with a summary line (``2 problem(s) in the data; nothing was written.``).
With ``-f json`` the same error is one JSON object on stderr instead (stdout stays for results)::

    {"error": {"code": "invalid-data", "message": "2 problem(s) in the data; nothing was written.",
               "exit_code": 1,
               "problems": [{"file": "data/x.yaml", "line": 3, "field": "id", "message": "..."}]}}

``code`` is the error's machine name (:attr:`graph.errors.QuotegraphError.code`; ``usage-error`` for
a bad option), ``problems`` is empty for an error that is one message.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.text import Text

from graph.errors import DataError, GraphInvalid, QuotegraphError


class _ResultConsole(Console):
    """stdout for results: a reader that stops early (``kg query … | head``) is handled as every closed stdout is.

    Rich would send stdout to /dev/null and exit with 1, which a script reads as invalid data;
    the BrokenPipeError goes on to :func:`graph.cli.app.handle_errors`, which ends with exit 0.
    """

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


#: stdout: results. stderr: progress, notes, errors. Neither reads markup or emoji codes.
out_console = _ResultConsole(soft_wrap=False, markup=False, emoji=False, highlight=False)
err_console = Console(stderr=True, markup=False, emoji=False, highlight=False)

ERROR_STYLE = "bold red"


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text from plain strings and ``(string, style)`` pairs; no string is read as markup."""
    return Text.assemble(*parts)


def note(message: str, style: str = "dim") -> None:
    """A note on stderr (counts, what was left out), in one style."""
    err_console.print(Text(message, style=style), soft_wrap=True)


def labelled(label: str, message: str, style: str = "yellow") -> None:
    """``note: message`` or ``warning: message`` on stderr, the label styled."""
    err_console.print(styled((f"{label}:", style), " ", message), soft_wrap=True)


@dataclass(frozen=True)
class Report:
    """An error as ``kg`` reports it: its machine code, a message, the exit code and its problems."""

    code: str
    message: str
    exit_code: int
    problems: list[dict[str, Any]] = field(default_factory=list)
    #: the lines of the text form, each printed after ``error:``
    lines: list[str] = field(default_factory=list)
    summary: str | None = None

    @classmethod
    def of(cls, exc: QuotegraphError) -> Report:
        if isinstance(exc, DataError):
            summary = f"{len(exc.problems)} problem(s) in the data; nothing was written."
            problems = [{"file": str(p.file), "line": p.line, "field": p.field, "message": p.message} for p in exc.problems]
            return cls(exc.code, summary, exc.exit_code, problems, [str(p) for p in exc.problems], summary)
        if isinstance(exc, GraphInvalid):
            summary = f"{len(exc.messages)} problem(s) in the built graph (SHACL, ontology/shapes.ttl); nothing was written."
            problems = [{"file": None, "line": None, "field": None, "message": m} for m in exc.messages]
            return cls(exc.code, summary, exc.exit_code, problems, [f"SHACL: {m}" for m in exc.messages], summary)
        return cls.single(exc.code, str(exc), exc.exit_code)

    @classmethod
    def single(cls, code: str, message: str, exit_code: int) -> Report:
        return cls(code, message, exit_code, [], [message], None)

    def as_json(self) -> str:
        body = {"code": self.code, "message": self.message, "exit_code": self.exit_code, "problems": self.problems}
        return json.dumps({"error": body}, ensure_ascii=False)

    def print(self, as_json: bool = False) -> None:
        """On stderr: the JSON object, or ``error:`` lines and the summary."""
        if as_json:
            sys.stderr.write(self.as_json() + "\n")
            sys.stderr.flush()
            return
        for line in self.lines:
            err_console.print(styled(("error:", ERROR_STYLE), " ", line), soft_wrap=True)
        if self.summary is not None:
            err_console.print(Text(self.summary), soft_wrap=True)


def wants_json(args: Iterable[str]) -> bool:
    """Whether a command line asks for ``-f json`` / ``--format json`` (read before its options parse)."""
    words = list(args)
    for index, word in enumerate(words):
        if word in ("-f", "--format") and index + 1 < len(words) and words[index + 1] == "json":
            return True
        if word in ("-fjson", "--format=json"):
            return True
    return False
