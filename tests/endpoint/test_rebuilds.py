"""`kg serve` keeps answering, from the newest build, while real builds come and go."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers.endpoints import Server, start_kg_serve
from helpers.run import DATA

from graph.build.pipeline import Built, build
from graph.store.builds import OutDir

pytestmark = pytest.mark.slow
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ASK_SUED = "ASK { entity:musk qg:sued entity:openai }"


def _copy_of(built: Built, root: Path) -> OutDir:
    source = built.out.current()
    shutil.copytree(source, root / "builds" / source.name)
    os.symlink(Path("builds") / source.name, root / "current")
    return OutDir(root)


@pytest.fixture
def out(built: Built, tmp_path: Path) -> OutDir:
    return _copy_of(built, tmp_path / "quotegraph-out")


@pytest.fixture
def server(out: OutDir) -> Iterator[Server]:
    running = start_kg_serve(out.root, "--timeout", "2", "--workers", "2")
    yield running
    running.stop()


def ask(server: Server, query: str = ASK_SUED) -> httpx.Response:
    return httpx.post(f"{server.url}/sparql", data={"query": query}, timeout=60)


def test_the_server_follows_current_across_rebuilds_and_its_workers_keep_starting(server: Server, out: OutDir) -> None:
    first = out.current().name
    assert ask(server).headers["quotegraph-build"] == first
    for _ in range(2):
        build(DATA, out, exports=[])
    newest = out.current().name
    assert not (out.builds / first).exists(), "two rebuilds prune the build the server started with"
    answer = ask(server)
    assert answer.status_code == 200
    assert answer.json()["boolean"] is True
    assert answer.headers["quotegraph-build"] == newest
    graph = httpx.get(f"{server.url}/graph", follow_redirects=True, timeout=30)
    assert graph.status_code == 200
    assert httpx.get(f"{server.url}/info.json", timeout=30).json()["build"] == newest
    for _ in range(2):  # each timeout kills a worker; the replacements open the newest build
        assert ask(server, CROSS_PRODUCT).status_code == 504
    for _ in range(3):
        again = ask(server)
        assert (again.status_code, again.headers["quotegraph-build"]) == (200, newest)
    assert f"serving build {newest}" in "".join(server.stderr)


def test_a_worker_that_cannot_start_is_reported_once_and_answered_503_not_retried_in_a_loop(built: Built, tmp_path: Path) -> None:
    out = _copy_of(built, tmp_path / "quotegraph-out")
    pinned = out.current()
    running = start_kg_serve(pinned, "--timeout", "2", "--workers", "1")
    try:
        assert ask(running).status_code == 200
        shutil.rmtree(pinned / "store")  # the one build it may serve is gone
        assert ask(running, CROSS_PRODUCT).status_code == 504  # its worker is killed; no replacement can open the store
        statuses = []
        started = time.monotonic()
        for _ in range(5):
            response = ask(running)
            statuses.append((response.status_code, response.json()["error"]["code"]))
        assert statuses == [(503, "store-unavailable")] * 5
        assert time.monotonic() - started < 10, "said at once, not after waiting for a worker"
        errors = [line for line in running.stderr if line.startswith("error: cannot open the store")]
        assert len(errors) == 1, running.stderr
    finally:
        running.stop()


def test_a_server_pinned_to_one_build_keeps_it_through_rebuilds_and_lets_it_go_after(out: OutDir) -> None:
    """``kg serve --build builds/<id>`` holds a lease: pruning skips that build until the server stops."""
    pinned = out.current()
    running = start_kg_serve(pinned, "--workers", "1")
    try:
        for _ in range(2):
            build(DATA, out, exports=[])
        assert out.current() != pinned
        assert pinned.is_dir(), "two rebuilds would prune it, but the server holds it"
        answer = ask(running)
        assert answer.status_code == 200
        assert answer.headers["quotegraph-build"] == pinned.name
    finally:
        running.stop()
    build(DATA, out, exports=[])
    assert not pinned.exists(), "once nobody serves it, the next build prunes it"
