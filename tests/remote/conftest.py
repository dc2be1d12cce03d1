"""The Virtuoso the remote tests share: started once per session, the bundled graph pushed to it once.

Starting costs 2–4 s and Virtuoso compiles every new query text for seconds, so all modules of
tests/remote/ use one instance (tests/helpers/virtuoso.py); it is stopped when the session ends,
and :func:`helpers.virtuoso.running_virtuoso` then checks that it exited cleanly, that its ports
are closed and that its folder is gone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from helpers.endpoints import Server
from helpers.run import kg
from helpers.virtuoso import digest_env, running_virtuoso

from graph.build.pipeline import Built


@pytest.fixture(scope="session")
def virtuoso(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A private Virtuoso on loopback that holds the bundled graph, pushed by ``kg push`` with Digest credentials."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso") / "db") as server:
        result = kg("push", "--endpoint", f"{server.url}/sparql-graph-crud-auth", "--build", built.out.root, "-f", "json", env=digest_env())
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["ok"] is True
        yield server
