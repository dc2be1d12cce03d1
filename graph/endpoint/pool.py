"""Worker processes that answer SPARQL requests and can be killed when a query runs too long.

Why processes: a long-running server must stop a runaway query, and a thread cannot be
stopped (``kg query`` can leave through ``os._exit``; a server cannot). Each worker is a
process that opens the store read-only (RocksDB allows any number of read-only openers),
answers one request at a time (:func:`graph.endpoint.protocol.answer`) and sends back a complete reply.
When a reply does not come within the time limit, the pool kills that worker with SIGKILL,
answers 504 and starts a replacement; the other workers go on serving. The same happens when a
worker dies (its memory is capped with ``RLIMIT_DATA``, and Oxigraph aborts on a failed
allocation), which then answers 500. Workers are started once, not per request, so a request
pays no start-up cost; they die with the server (``PR_SET_PDEATHSIG``) even if it is killed.

Before a worker imports or opens anything, it gives up the network for good
(:func:`graph.query.offline.deny_network`, process-wide): whatever a query says, the process
that evaluates it cannot open a connection. A worker that cannot install the filter does not
serve, unless the operator said ``--no-network-filter``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import anyio.to_thread

from graph.endpoint.protocol import Job, Reply
from graph.errors import QueryTimeout, QuotegraphError, StoreError

#: How long a new worker may take to import its modules and open the store.
STARTUP_TIMEOUT_S = 120.0
_PR_SET_PDEATHSIG = 1


class PoolBusy(QuotegraphError):
    """No worker became free within the time limit."""


class WorkerDied(QuotegraphError):
    """A worker process ended while answering (out of memory, or killed from outside)."""


@dataclass(frozen=True)
class PoolSettings:
    store_path: Path
    prefixes: dict[str, str]
    workers: int = 2
    memory_limit_mb: int | None = 1024
    #: refuse to serve where the network filter cannot be installed (kg serve --no-network-filter: False)
    network_filter: bool = True


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the server process goes away, however it goes."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _limit_memory(megabytes: int | None) -> None:
    if megabytes:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def worker_main(conn: Connection, settings: PoolSettings) -> None:
    """The body of one worker process: give up the network, open the store, then answer jobs until told to stop."""
    from graph.query.offline import NetworkFilterUnavailable, deny_network

    try:
        deny_network("process")
    except NetworkFilterUnavailable as exc:
        if settings.network_filter:
            conn.send(("failed", f"the query workers cannot be kept off the network here ({exc}); kg serve --no-network-filter goes on without"))
            return
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    os.environ["RUST_BACKTRACE"] = "0"  # an aborted query is reported by the server, not as a backtrace
    try:
        import pyoxigraph

        from graph.endpoint.protocol import StoreContext, answer
        from graph.query.dataset import read_dataset

        store = pyoxigraph.Store.read_only(str(settings.store_path))
        # the build's record of its default graph; a build without one is worked out from the store
        context = StoreContext.of(store, settings.prefixes, read_dataset(settings.store_path.parent))
        answer(store, context, Job("ASK {}"))  # warm up the parser and the engine before the first request
        _limit_memory(settings.memory_limit_mb)
    except Exception as exc:  # noqa: BLE001 - report why the worker cannot serve, then stop
        conn.send(("failed", f"cannot open the store at {settings.store_path}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(answer(store, context, job))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection


def _exchange(conn: Connection, job: Job, timeout: float) -> Reply:
    """Send one job and wait for its reply (runs in a thread, so the event loop stays free)."""
    conn.send(job)
    if not conn.poll(timeout):
        raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped")
    try:
        reply: Reply = conn.recv()
    except (EOFError, OSError):
        raise WorkerDied("the query process ended while answering") from None
    return reply


def _wait_ready(conn: Connection) -> Any:
    try:
        if not conn.poll(STARTUP_TIMEOUT_S):
            return ("failed", f"a query worker did not start within {STARTUP_TIMEOUT_S:g} s")
        return conn.recv()
    except (EOFError, OSError, ValueError):
        return ("failed", "a query worker ended while starting")


class QueryPool:
    """A fixed number of worker processes; :meth:`run` answers one job on a free one."""

    def __init__(self, settings: PoolSettings):
        self.settings = settings
        self._mp = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._failure: str | None = None
        self._closing = False

    @property
    def pids(self) -> set[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        return {w.process.pid for w in self._workers if w.process.pid is not None and w.process.is_alive()}

    async def start(self) -> None:
        """Start every worker and wait until all are ready; :class:`StoreError` if one cannot be."""
        for _ in range(self.settings.workers):
            self._launch()
        while self._idle.qsize() < self.settings.workers:
            if self._failure is not None:
                await self.close()
                raise StoreError(self._failure)
            await asyncio.sleep(0.05)

    def _launch(self) -> None:
        parent_end, child_end = self._mp.Pipe(duplex=True)
        process = self._mp.Process(target=worker_main, args=(child_end, self.settings), name="kg-serve-worker", daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._workers.add(worker)
        task = asyncio.get_running_loop().create_task(self._when_ready(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _when_ready(self, worker: _Worker) -> None:
        message = await anyio.to_thread.run_sync(_wait_ready, worker.conn)
        if self._closing:
            return
        if message[0] == "ready":
            self._idle.put_nowait(worker)
            return
        self._failure = str(message[1])
        print(f"error: {self._failure}", file=sys.stderr)
        self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if not self._closing:
            self._launch()

    async def run(self, job: Job, timeout: float) -> Reply:
        """Answer ``job`` within ``timeout`` seconds of evaluation (waiting for a free worker is bounded too)."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=timeout)
        except TimeoutError:
            raise PoolBusy(f"every query worker stayed busy for {timeout:g} s; try again") from None
        healthy = False
        try:
            reply = await anyio.to_thread.run_sync(_exchange, worker.conn, job, timeout)
            healthy = True
            return reply
        except WorkerDied:
            worker.process.join(1)
            code = worker.process.exitcode
            limit = self.settings.memory_limit_mb
            hint = f"; it probably needed more than the memory limit of {limit:,} MiB per query" if limit else ""
            raise WorkerDied(f"the query process stopped (exit code {code}){hint}") from None
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)

    async def close(self) -> None:
        """Stop every worker (they hold a read-only store; there is nothing to flush)."""
        self._closing = True
        for worker in list(self._workers):
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in list(self._workers):
            worker.process.join(2)
            self._discard(worker)
        for task in list(self._tasks):
            task.cancel()
