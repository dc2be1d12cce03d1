"""Fixtures for the rooms whose tests read the first source alone: their expectations are the
article's own graph. A room's conftest imports them; the bundled data also holds five court orders,
which tests/cli/test_across_sources.py and tests/query/expected ask across.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest

from graph.build.pipeline import Built
from graph.network.projection import project
from helpers.run import first_source_only


@pytest.fixture(scope="session")
def built(first_source_built: Built) -> Built:
    return first_source_built


@pytest.fixture(scope="session")
def store(first_source_built: Built) -> pyoxigraph.Store:
    return first_source_built.out.open_store()


@pytest.fixture(scope="module")
def projection(store: pyoxigraph.Store) -> nx.MultiDiGraph:
    """The first source's network (entities as nodes, statements as edges), one per test module."""
    return project(store)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the first source's data, for tests that change it on purpose."""
    return first_source_only(tmp_path / "data")
