"""Run ``kg`` (and the benchmark) the way a user types it, and where the repository and its data are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from graph import paths

REPO = Path(__file__).resolve().parent.parent.parent
DATA = paths.bundled_data_dir()
SOURCE_ID = "000_bb9b70fb7da9f08b"


def first_source_only(target: Path) -> Path:
    """A copy of the bundled data with the first source alone and its entities (entities.yaml; the
    court orders' own entities are in entities/): for tests of the article's own graph."""
    shutil.copytree(DATA, target)
    shutil.rmtree(target / "entities")
    for folder in ("sources", "statements"):
        for path in (target / folder).iterdir():
            if not path.name.startswith(SOURCE_ID):
                path.unlink()
    return target


def kg(
    *args: str | Path, cwd: Path | None = None, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the ``kg`` command as a user would and capture everything."""
    command = [sys.executable, "-m", "graph", *map(str, args)]
    full_env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=full_env, check=False)


def bench(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the developers' benchmark tool from the checkout (``python -m tests.bench …``)."""
    command = [sys.executable, "-m", "tests.bench", *map(str, args)]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env, check=False)
