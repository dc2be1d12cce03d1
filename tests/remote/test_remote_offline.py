"""`kg query --endpoint` on `kg serve`: no disguised SERVICE call or update reaches the network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.disguises import disguises, reaching_the_network
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
    codes: dict[int, int] = {}

    def ask(text: str) -> None:
        result = run_kg("query", text, "--endpoint", f"{server.url}/sparql", "-f", "json")
        assert not crashed(result), (text, result.exception)
        codes[result.exit_code] = codes.get(result.exit_code, 0) + 1

    assert len(cases) >= 40
    assert reaching_the_network(cases, connections, ask) == []
    assert connections == []
    assert set(codes) <= {0, 2}
