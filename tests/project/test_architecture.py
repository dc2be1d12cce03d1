"""The rooms of ``graph/`` and the one direction of imports between them.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``): each stage imports only the
stages below it (model ← sources ← rdf ← validate ← store ← query ← network ← view | endpoint |
remote ← build ← cli), and the modules of a room form no import cycle. import-linter reads
every import, also those inside functions, so a lazy import cannot climb a layer unseen.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import networkx as nx
import pytest
from helpers.run import REPO

PACKAGE = REPO / "graph"
#: the entry point of ``python -m graph``: it calls the CLI, which is the top layer, and nothing imports it
ENTRY_POINT = "__main__"
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


def _layered_rooms() -> set[str]:
    with (REPO / "pyproject.toml").open("rb") as handle:
        contracts = tomllib.load(handle)["tool"]["importlinter"]["contracts"]
    layers = next(contract for contract in contracts if contract["id"] == "layers")["layers"]
    return {room.strip() for layer in layers for room in layer.split("|")}


def _rooms(package: Path) -> set[str]:
    """Every subpackage and top-level module of ``package``, as import-linter names them."""
    found = {f"graph.{path.name}" for path in package.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    found |= {f"graph.{path.stem}" for path in package.glob("*.py") if path.stem not in {"__init__", ENTRY_POINT}}
    return found


def test_every_room_of_the_package_has_its_layer_in_the_contract() -> None:
    """import-linter checks only the rooms its layers name: a room added and forgotten would import anything."""
    assert _rooms(PACKAGE) == _layered_rooms()


def test_a_room_missing_from_the_contract_is_seen(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "graph" / "newroom").mkdir()
    (root / "graph" / "newroom" / "__init__.py").write_text('"""A room nobody listed."""\n', encoding="utf-8")
    assert _rooms(root / "graph") - _layered_rooms() == {"graph.newroom"}


NAMED_FILE = re.compile(r"\b(?:graph|tests)/[\w/]+\.py\b")


def _named_files_missing(root: Path, texts: list[Path]) -> set[str]:
    """The ``graph/….py`` and ``tests/….py`` paths written in ``texts`` that do not exist under ``root``."""
    named = {(text.relative_to(root).as_posix(), match) for text in texts for match in NAMED_FILE.findall(text.read_text(encoding="utf-8"))}
    return {f"{where}: {path}" for where, path in named if not (root / path).exists()}


def test_every_python_file_the_code_and_the_readme_name_exists() -> None:
    texts = [*PACKAGE.rglob("*.py"), *(REPO / "tests").rglob("*.py"), REPO / "pyproject.toml", REPO / "README.md"]
    texts.remove(Path(__file__).resolve())  # its own example below names a file that is gone on purpose
    assert _named_files_missing(REPO, texts) == set()


def test_a_file_named_after_it_moved_is_seen(tmp_path: Path) -> None:
    (tmp_path / "tests" / "bench").mkdir(parents=True)
    (tmp_path / "tests" / "bench" / "view.py").write_text('"""Run it: python tests/bench_view.py."""\n', encoding="utf-8")
    assert _named_files_missing(tmp_path, [tmp_path / "tests" / "bench" / "view.py"]) == {"tests/bench/view.py: tests/bench_view.py"}


def _local_imports(folder: Path) -> nx.DiGraph:
    """Which modules of ``folder`` (a package of the tests) import which, read from their source."""
    graph = nx.DiGraph()
    modules = {path.stem for path in folder.glob("*.py")}
    graph.add_nodes_from(modules)
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [alias.name for alias in node.names]
                graph.add_edges_from((path.stem, name) for name in names if name in modules)
    return graph


def test_the_benchmark_modules_import_one_another_without_a_cycle() -> None:
    """The benchmark lives in tests/, outside import-linter's reach; its imports go one way too."""
    assert list(nx.simple_cycles(_local_imports(REPO / "tests" / "bench"))) == []


def test_a_cycle_between_benchmark_modules_is_seen(tmp_path: Path) -> None:
    (tmp_path / "run.py").write_text("from . import asking\n", encoding="utf-8")
    (tmp_path / "asking.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .run import Context\n", encoding="utf-8"
    )
    assert list(nx.simple_cycles(_local_imports(tmp_path))) != []
