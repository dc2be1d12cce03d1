"""Code quality gates run as tests, so that CI runs them with everything else."""

from __future__ import annotations

import subprocess
import sys

from helpers.run import REPO
from helpers.tooling import require_tool


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=REPO, capture_output=True, text=True, timeout=300, check=False)


def test_ruff_finds_nothing() -> None:
    ruff = require_tool("ruff", "pip install '.[test]'")
    result = _run(ruff, "check", "graph", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    ruff = require_tool("ruff", "pip install '.[test]'")
    result = _run(ruff, "format", "--check", "graph", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes() -> None:
    require_tool("mypy", "pip install '.[test]'")
    result = _run(sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), str(REPO / "graph"))
    assert result.returncode == 0, result.stdout + result.stderr
