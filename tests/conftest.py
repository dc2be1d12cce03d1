"""Shared fixtures: the bundled data built once per session, and helpers to run ``kg``.

Tests read the real data in ``data/`` and a real Oxigraph store on disk; the CLI is driven the
way a user types it (a subprocess running the installed ``kg``) where the exit code and the
streams matter, and through Typer's runner where only the output does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from graph import paths
from graph.build import Built, build
from graph.rdf import Iris
from graph.store import OutDir

REPO = Path(__file__).resolve().parent.parent
DATA = paths.bundled_data_dir()
SOURCE_ID = "000_bb9b70fb7da9f08b"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("NO_COLOR", "1")  # plain text from rich, so assertions see words
    os.environ.setdefault("COLUMNS", "200")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled data, built once into a temporary output folder."""
    out = OutDir(tmp_path_factory.mktemp("out") / "quotegraph-out")
    return build(DATA, out)


@pytest.fixture(scope="session")
def store(built: Built) -> pyoxigraph.Store:
    return built.out.open_store()


@pytest.fixture(scope="session")
def iris() -> Iris:
    return Iris()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def kg(
    *args: str | Path, cwd: Path | None = None, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the ``kg`` command as a user would and capture everything."""
    command = [sys.executable, "-m", "graph", *map(str, args)]
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=full_env, check=False)
