"""The network filter: the thread or process that evaluates SPARQL cannot open a network connection."""

from __future__ import annotations

import multiprocessing
import socket
import sys
import time

import pyoxigraph
import pytest

from graph.query.offline import deny_network, network_denied, offline, seccomp_status

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp is Linux-only")


def _settle(connections: list[object], expected: int) -> None:
    deadline = time.monotonic() + 2
    while len(connections) < expected and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)


def _service(url: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"


def test_oxigraph_really_follows_service_to_the_listener(listener: tuple[str, list[object]]) -> None:
    """The threat, and proof that the listener sees Oxigraph: unfiltered, a SERVICE call connects."""
    url, connections = listener
    with pytest.raises(OSError):  # noqa: PT011 - the listener hangs up; how that is worded varies
        list(pyoxigraph.Store().query(_service(url)))  # type: ignore[arg-type]
    _settle(connections, 1)
    assert len(connections) == 1


def test_a_filtered_thread_cannot_connect_even_when_the_check_is_skipped(listener: tuple[str, list[object]]) -> None:
    url, connections = listener

    def evaluate() -> object:
        return list(pyoxigraph.Store().query(_service(url)))  # type: ignore[arg-type]

    with pytest.raises(PermissionError):
        offline(evaluate)
    assert offline(lambda: (network_denied(), seccomp_status("thread-self"))) == (True, {"Seccomp": "2", "NoNewPrivs": "1"})
    _settle(connections, 1)
    assert connections == []
    # the calling thread keeps its network: the filter is the fresh thread's only
    socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=2).close()
    _settle(connections, 1)
    assert len(connections) == 1


def test_unix_sockets_and_threads_still_work_in_a_filtered_thread() -> None:
    def work() -> tuple[bool, bool]:
        left, right = socket.socketpair()
        left.sendall(b"x")
        ok = right.recv(1) == b"x"
        left.close()
        right.close()
        inner: list[bool] = []
        import threading

        started = threading.Thread(target=lambda: inner.append(network_denied()))
        started.start()
        started.join()
        return ok, inner == [True]

    assert offline(work) == (True, True)


def _filtered_process(url: str, queue: multiprocessing.Queue[object]) -> None:
    deny_network("process")
    try:
        list(pyoxigraph.Store().query(_service(url)))  # type: ignore[arg-type]
        outcome = "ran"
    except OSError as exc:
        outcome = type(exc).__name__
    queue.put((network_denied(), seccomp_status(), outcome))


def test_a_filtered_process_cannot_reach_a_service(listener: tuple[str, list[object]]) -> None:
    url, connections = listener
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[object] = context.Queue()
    process = context.Process(target=_filtered_process, args=(url, queue))
    process.start()
    denied, status, outcome = queue.get(timeout=60)  # type: ignore[misc]
    process.join(10)
    assert (denied, status, outcome) == (True, {"Seccomp": "2", "NoNewPrivs": "1"}, "PermissionError")
    _settle(connections, 1)
    assert connections == []


def test_where_the_filter_cannot_be_installed_the_caller_hears_why_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.query.offline as module

    def unavailable() -> object:
        raise module.NetworkFilterUnavailable(38, "no seccomp on testos")

    heard: list[str] = []
    monkeypatch.setattr(module, "_prepared", unavailable)
    monkeypatch.setattr(module, "_warned", module.threading.Event())
    assert [offline(lambda: 1, heard.append), offline(lambda: 2, heard.append)] == [1, 2]
    assert heard == ["[Errno 38] no seccomp on testos"]
