"""`kg query --endpoint` on `kg serve`: no disguised SERVICE call or update reaches the network."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from helpers.disguises import disguises
from helpers.endpoints import Server, start_kg_serve
from helpers.inprocess import crashed, run_kg

from graph.build.pipeline import Built

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[Server]:
    running = start_kg_serve(built.out.root, "--workers", "1")
    yield running
    running.stop()


def test_no_disguised_service_or_update_reaches_the_network_from_kg_query_on_kg_serve(
    server: Server, listener: tuple[str, list[object]]
) -> None:
    remote, connections = listener
    cases = disguises(remote)
    guilty = []
    codes: dict[int, int] = {}
    for name, text in cases:
        before = len(connections)
        result = run_kg("query", text, "--endpoint", f"{server.url}/sparql", "-f", "json")
        assert not crashed(result), (name, result.exception)
        codes[result.exit_code] = codes.get(result.exit_code, 0) + 1
        time.sleep(0.01)
        if len(connections) > before:
            guilty.append(name)
    time.sleep(0.5)
    assert len(cases) >= 40
    assert guilty == []
    assert connections == []
    assert set(codes) <= {0, 2}
