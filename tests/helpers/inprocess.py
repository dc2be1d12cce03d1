"""Running ``kg`` inside the test process (Typer's runner): the same code path, without a new interpreter.

Tests that check exit codes and streams across many inputs use this; a few keep a real
subprocess (conftest.kg) so that the installed command itself stays covered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from graph.cli import app
from graph.cli.app import err_console, out_console

_RUNNER = CliRunner()
#: Tables are as wide as this, whatever the terminal running the tests, so that text stays on one line.
WIDTH = 200


def run_kg(*args: str | Path) -> Result:
    """``kg ARGS`` in process, WIDTH columns wide; ``result.stdout`` and ``result.stderr`` are kept apart."""
    widths = out_console.width, err_console.width
    out_console.width = err_console.width = WIDTH
    try:
        return _RUNNER.invoke(app, [str(a) for a in args], catch_exceptions=True)
    finally:
        out_console.width, err_console.width = widths


def crashed(result: Result) -> bool:
    """Whether the command died of an exception (a stack trace) rather than exiting with a code."""
    return result.exception is not None and not isinstance(result.exception, SystemExit)


def run_kg_json(*args: str | Path) -> dict[str, Any]:
    """``kg ARGS`` in process, which must succeed; its stdout parsed as a JSON object."""
    result = run_kg(*args)
    assert result.exit_code == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed
