"""Fixtures of the endpoint's tests: a `kg serve` of the bundled build, one Chromium per module."""

from collections.abc import Iterator

import pytest
from helpers.browser import browser
from helpers.endpoints import Server, start_kg_serve

from graph.build.pipeline import Built

__all__ = ["browser", "server"]


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[Server]:
    """`kg serve` of the bundled build with one query worker, for a module's tests."""
    running = start_kg_serve(built.out.root, "--workers", "1")
    yield running
    running.stop()
