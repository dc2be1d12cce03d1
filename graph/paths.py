"""Where the data, the ontology, the queries and the builds live: the project, or the bundled demo.

A wheel carries ``ontology/`` and ``data/`` inside the package as ``graph/_bundled/`` (see
``[tool.hatch.build.targets.wheel.force-include]`` in pyproject.toml); a checkout or an
editable install finds them at the repository root. Everything else asks this module, so that
``kg`` works the same from any directory.

The data a command reads is the *project's*, found like git finds its repository: from the
current directory upwards, the first folder that is a data folder or that holds a ``data/``
folder that is one (:func:`find_project`). A data folder is a folder with ``entities.yaml``, or
with both ``sources/`` and ``statements/``. So ``kg build`` in a checkout's root reads its
``./data`` (and never the copy inside site-packages), ``kg init story && cd story/sources && kg
build`` reads ``story/``, and only where no project is found does a command fall back to the
bundled demo, saying so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "_bundled"
_REPO_ROOT = PACKAGE_DIR.parent

#: Default folder for the store and exports: in the project's root, else in the current directory.
DEFAULT_OUT_DIRNAME = "quotegraph-out"
#: Environment variable that overrides the default output folder.
OUT_ENV = "QUOTEGRAPH_OUT"
#: The name of the data folder inside a project root that holds more than its data (this repository).
DATA_DIRNAME = "data"


@dataclass(frozen=True)
class Project:
    """A data folder found from a directory upwards, and the root its builds go into.

    ``root`` is the folder holding the data folder when that is named ``data/`` (this
    repository), else the data folder itself (a folder made by ``kg init story``): one place,
    whichever subfolder a command runs in.
    """

    data: Path
    root: Path

    @property
    def out(self) -> Path:
        return self.root / DEFAULT_OUT_DIRNAME


def is_data_folder(path: Path) -> bool:
    """``entities.yaml``, or ``sources/`` and ``statements/`` side by side: the marker of a data folder."""
    return (path / "entities.yaml").is_file() or ((path / "sources").is_dir() and (path / "statements").is_dir())


def find_project(start: Path | None = None) -> Project | None:
    """The project of ``start`` (default: the current directory) or of its nearest ancestor, or None.

    At each level a folder that is itself a data folder wins over its ``data/`` subfolder, so a
    project made inside another project's root is its own project.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_data_folder(folder):
            return project_of(folder)
        if is_data_folder(folder / DATA_DIRNAME):
            return project_of(folder / DATA_DIRNAME)
    return None


def project_of(data: Path) -> Project:
    """The project of a data folder: rooted in its parent when it is named ``data``, else in itself.

    The same rule whether the folder was found or named with ``--data``, so that a build and a
    later ``kg query`` agree on the output folder from anywhere inside the project.
    """
    data = data.resolve()
    root = data.parent if data.name == DATA_DIRNAME else data
    return Project(data=data, root=root)


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


def default_out_dir(project: Project | None = None) -> Path:
    """``$QUOTEGRAPH_OUT`` if set, else the project's ``quotegraph-out``, else ``./quotegraph-out``.

    ``project`` is the project of the data a build reads; a reading command passes the one found
    from the current directory. Either way a user has one place to look.
    """
    env = os.environ.get(OUT_ENV)
    if env:
        return Path(env)
    if project is not None:
        return project.out
    return Path.cwd() / DEFAULT_OUT_DIRNAME
