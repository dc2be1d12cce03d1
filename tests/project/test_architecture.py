"""The rooms of ``graph/`` and the one direction of imports between them.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``): each stage imports only the
stages below it (model ← sources ← rdf ← validate ← store ← query ← network ← view | endpoint |
remote ← build ← cli), and the modules of a room form no import cycle. import-linter reads
every import, also those inside functions, so a lazy import cannot climb a layer unseen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.run import REPO

PACKAGE = REPO / "graph"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")], cwd=root, capture_output=True, text=True, env=env, check=False
    )


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(PACKAGE, root / "graph", ignore=shutil.ignore_patterns("__pycache__", "_bundled"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_every_room_imports_only_the_rooms_below_it_and_no_room_has_a_cycle() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("graph/model/records.py", "import graph.cli.app  # an upward import\n", "Each stage imports only the stages below it"),
        ("graph/sources/anchor.py", "def _late() -> None:\n    from graph.store import builds  # a lazy one\n", "Each stage imports"),
        ("graph/query/shape.py", "from graph.query import run  # run imports shape: a cycle\n", "No import cycles"),
    ],
)
def test_the_contracts_fail_on_an_upward_import_or_a_cycle(tmp_path: Path, module: str, line: str, broken: str) -> None:
    root = _copy(tmp_path)
    target = root / module
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line, encoding="utf-8")
    result = _lint(root)
    assert result.returncode == 1, result.stdout
    assert f"{broken}" in result.stdout
    assert "BROKEN" in result.stdout


def test_no_module_of_the_package_passes_500_lines() -> None:
    long = {str(p.relative_to(REPO)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
