"""Shared fixtures: the bundled data built once per session, and helpers to run ``kg``.

Tests read the real data in ``data/`` and a real Oxigraph store on disk; the CLI is driven the
way a user types it (a subprocess running the installed ``kg``) where the exit code and the
streams matter, and through Typer's runner where only the output does.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from helpers.listener import listening
from helpers.run import DATA, first_source_only

from graph.build.pipeline import Built, build
from graph.rdf.quads import Iris
from graph.store.builds import OutDir


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("NO_COLOR", "1")  # plain text from rich, so assertions see words
    os.environ.setdefault("COLUMNS", "200")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One pytest-xdist group per test module, and one for all of tests/remote/ (``--dist loadgroup``).

    A module's fixtures (servers, builds) then start once, on one worker; the remote modules share
    one Virtuoso (tests/remote/conftest.py), which two workers would each start and fill.
    """
    for item in items:
        path = item.path.relative_to(Path(__file__).parent)
        group = "remote" if path.parts[0] == "remote" else path.as_posix()
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def bundled_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled data, built once into a temporary output folder (under its own name too, for
    the rooms whose ``built`` is the first source alone: tests/network/test_cache.py)."""
    out = OutDir(tmp_path_factory.mktemp("out") / "quotegraph-out")
    return build(DATA, out)


@pytest.fixture(scope="session")
def built(bundled_built: Built) -> Built:
    """The bundled data, built once."""
    return bundled_built


@pytest.fixture(scope="session")
def store(built: Built) -> pyoxigraph.Store:
    return built.out.open_store()


@pytest.fixture(scope="session")
def first_source_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The first source alone, built once: for tests of the article's own network (the bundled
    data also holds five court orders; tests/cli/test_across_sources.py asks across them)."""
    root = tmp_path_factory.mktemp("first-source")
    return build(first_source_only(root / "data"), OutDir(root / "out"))


@pytest.fixture(scope="session")
def iris() -> Iris:
    return Iris()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A TCP listener on loopback that records every connection made to it (base URL, connections)."""
    with listening() as found:
        yield found
