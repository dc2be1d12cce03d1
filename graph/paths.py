"""Where the bundled ontology, data and queries live, in a checkout and in an installed wheel.

A wheel carries ``ontology/`` and ``data/`` inside the package as ``graph/_bundled/`` (see
``[tool.hatch.build.targets.wheel.force-include]`` in pyproject.toml); a checkout or an
editable install finds them at the repository root. Everything else asks this module, so that
``kg`` works the same from any directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_bundled"
_REPO_ROOT = PACKAGE_DIR.parent

#: Default folder (under the current directory) for the store and exports.
DEFAULT_OUT_DIRNAME = "quotegraph-out"
#: Environment variable that overrides the default output folder.
OUT_ENV = "QUOTEGRAPH_OUT"


def _bundled(name: str) -> Path:
    for base in (_BUNDLED, _REPO_ROOT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled '{name}' folder is missing from {PACKAGE_DIR}")


def ontology_dir() -> Path:
    """The folder holding ``quotegraph.ttl`` and ``shapes.ttl``."""
    return _bundled("ontology")


def ontology_file() -> Path:
    return ontology_dir() / "quotegraph.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def bundled_data_dir() -> Path:
    """The curated data shipped with the package (the first source and its statements)."""
    return _bundled("data")


def queries_dir() -> Path:
    """Bundled SPARQL queries (``*.rq``), shipped inside the package."""
    return PACKAGE_DIR / "query" / "bundled"


def default_out_dir() -> Path:
    """``$QUOTEGRAPH_OUT`` if set, else ``./quotegraph-out``: one place a user knows to look."""
    env = os.environ.get(OUT_ENV)
    return Path(env) if env else Path.cwd() / DEFAULT_OUT_DIRNAME
