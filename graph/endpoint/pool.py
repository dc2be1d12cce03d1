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

**Builds come and go while the server runs.** ``kg build`` publishes a new build by moving the
``current`` link and prunes all but the newest two; a server that kept the build it started
with would lose it after two rebuilds (and every replacement worker with it). So the pool
follows ``current``: workers belong to a *generation*, one per build folder; before each request
the pool reads where ``current`` points (a ``readlink``), and when it moved, starts a generation
on the new build, waits until it is ready, sends the request there and retires the old
workers as they become idle. Replacements are started only for the newest generation, so a
pruned build is never opened again. Each answer says which build gave it (the server's
``Quotegraph-Build`` header). A worker that cannot start is reported on stderr, once per
reason, and not restarted in a loop: the pool tries again at most every
:data:`RETRY_S` seconds, answers ``503 store-unavailable`` with the reason while no worker is
left, and keeps serving the old build if the new one cannot be opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import anyio.to_thread

from graph.endpoint.protocol import Job, Reply
from graph.errors import QueryTimeout, QuotegraphError, StoreError
from graph.store.builds import MANIFEST_NAME, STORE_DIRNAME

#: How long a new worker may take to import its modules and open the store.
STARTUP_TIMEOUT_S = 120.0
#: How long the pool waits before it starts a worker again after one failed to start.
RETRY_S = 10.0
_PR_SET_PDEATHSIG = 1


class PoolBusy(QuotegraphError):
    """No worker became free within the time limit."""


class PoolUnavailable(QuotegraphError):
    """No worker could start (the build cannot be opened); said at once, not after a time limit."""


class WorkerDied(QuotegraphError):
    """A worker process ended while answering (out of memory, or killed from outside)."""


@dataclass(frozen=True)
class PoolSettings:
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


def worker_main(conn: Connection, build: Path, settings: PoolSettings) -> None:
    """The body of one worker process: give up the network, open the build's store, then answer jobs until told to stop."""
    from graph.query.offline import NetworkFilterUnavailable, deny_network

    try:
        deny_network("process")
    except NetworkFilterUnavailable as exc:
        if settings.network_filter:
            conn.send(
                ("failed", f"the query workers cannot be kept off the network here ({exc}); kg serve --no-network-filter goes on without")
            )
            return
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server, which stops us
    os.environ["RUST_BACKTRACE"] = "0"  # an aborted query is reported by the server, not as a backtrace
    store_path = build / STORE_DIRNAME
    try:
        import pyoxigraph

        from graph.endpoint.protocol import StoreContext, answer
        from graph.query.dataset import read_dataset
        from graph.store.export import prefixes_for

        manifest = json.loads((build / MANIFEST_NAME).read_text(encoding="utf-8"))
        store = pyoxigraph.Store.read_only(str(store_path))
        # the build's record of its default graph; a build without one is worked out from the store
        context = StoreContext.of(store, prefixes_for(str(manifest.get("base_iri", ""))), read_dataset(build))
        answer(store, context, Job("ASK {}"))  # warm up the parser and the engine before the first request
        _limit_memory(settings.memory_limit_mb)
    except Exception as exc:  # noqa: BLE001 - report why the worker cannot serve, then stop
        conn.send(("failed", f"cannot open the store at {store_path}: {exc}"))
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
class _Generation:
    """The workers of one build folder."""

    build: Path
    idle: asyncio.Queue[_Worker] = field(default_factory=asyncio.Queue)
    workers: set[_Worker] = field(default_factory=set)
    starting: int = 0
    failure: str | None = None
    failed_at: float = 0.0
    retired: bool = False


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    generation: _Generation


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


async def _reap(process: BaseProcess) -> None:
    await anyio.to_thread.run_sync(process.join, 5)
    if process.is_alive():
        process.kill()


class QueryPool:
    """Worker processes on the build ``locate()`` names; :meth:`run` answers one job on a free one."""

    def __init__(self, settings: PoolSettings, locate: Callable[[], Path]):
        self.settings = settings
        self._locate = locate
        self._mp = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._generation: _Generation | None = None
        self._switching = asyncio.Lock()
        self._unusable: dict[Path, str] = {}  # builds whose workers could not start, and why
        self._reported: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    @property
    def build(self) -> Path | None:
        """The build folder the pool answers from."""
        return self._generation.build if self._generation else None

    @property
    def pids(self) -> set[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        generation = self._generation
        workers = generation.workers if generation else set()
        return {w.process.pid for w in workers if w.process.pid is not None and w.process.is_alive()}

    def _report(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            print(f"error: {message}", file=sys.stderr, flush=True)

    async def start(self) -> None:
        """Start every worker on the current build and wait until they are ready; :class:`StoreError` if none can be."""
        generation = await self._start_generation(self._locate())
        if not generation.workers:
            await self.close()
            raise StoreError(generation.failure or "no query worker could start")
        self._generation = generation

    async def _start_generation(self, build: Path) -> _Generation:
        generation = _Generation(build)
        for _ in range(self.settings.workers):
            self._launch(generation)
        while generation.starting:
            await asyncio.sleep(0.02)
        return generation

    def _launch(self, generation: _Generation) -> None:
        parent_end, child_end = self._mp.Pipe(duplex=True)
        process = self._mp.Process(
            target=worker_main, args=(child_end, generation.build, self.settings), name="kg-serve-worker", daemon=True
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end, generation)
        generation.workers.add(worker)
        generation.starting += 1
        task = asyncio.get_running_loop().create_task(self._when_ready(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _when_ready(self, worker: _Worker) -> None:
        generation = worker.generation
        try:
            message = await anyio.to_thread.run_sync(_wait_ready, worker.conn)
        finally:
            generation.starting -= 1
        if self._closing:
            return
        if message[0] == "ready" and not generation.retired:
            generation.idle.put_nowait(worker)
            return
        if message[0] != "ready":
            generation.failure = str(message[1])
            generation.failed_at = time.monotonic()
            self._report(generation.failure)
        self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.generation.workers.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()

    def _retire(self, worker: _Worker) -> None:
        """Let an idle worker of an older build end on its own (it holds nothing to flush)."""
        worker.generation.workers.discard(worker)
        with contextlib.suppress(OSError, ValueError):
            worker.conn.send(None)
        worker.conn.close()
        task = asyncio.get_running_loop().create_task(_reap(worker.process))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _top_up(self, generation: _Generation) -> None:
        """Start the workers a generation is missing, unless one failed to start in the last RETRY_S seconds."""
        if self._closing or generation.retired:
            return
        if generation.failure is not None and time.monotonic() - generation.failed_at < RETRY_S:
            return
        for _ in range(self.settings.workers - len(generation.workers)):
            self._launch(generation)

    async def _current(self) -> _Generation:
        """The generation of the build ``current`` points at now, started if it is new."""
        generation = self._generation
        assert generation is not None, "start() first"
        try:
            build = self._locate()
        except QuotegraphError as exc:  # the output folder lost its current link: keep what is served
            self._report(f"{exc}; still serving build {generation.build.name}")
            return generation
        if build == generation.build or build in self._unusable:
            return generation
        async with self._switching:
            generation = self._generation
            assert generation is not None
            if build == generation.build:
                return generation
            fresh = await self._start_generation(build)
            if not fresh.workers:
                self._unusable[build] = fresh.failure or "no worker could start"
                self._report(f"cannot serve build {build.name} ({self._unusable[build]}); still serving build {generation.build.name}")
                return generation
            print(f"serving build {build.name} (kg build published it; was {generation.build.name})", file=sys.stderr, flush=True)
            self._generation = fresh
            generation.retired = True
            while not generation.idle.empty():
                self._retire(generation.idle.get_nowait())
            return fresh

    async def follow(self) -> None:
        """Move to the build ``current`` points at, if it moved (what every request does first)."""
        await self._current()

    async def _acquire(self, timeout: float) -> _Worker:
        loop = asyncio.get_running_loop()
        waiting_on: _Generation | None = None
        deadline = 0.0
        while True:
            generation = await self._current()
            if generation is not waiting_on:  # the wait for a free worker starts when its build is ready
                waiting_on, deadline = generation, loop.time() + timeout
            self._top_up(generation)
            if not generation.workers:
                raise PoolUnavailable(f"no query worker can start: {generation.failure}; the pool tries again every {RETRY_S:g} s")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise PoolBusy(f"every query worker stayed busy for {timeout:g} s; try again")
            try:
                worker = await asyncio.wait_for(generation.idle.get(), timeout=min(remaining, 0.5))
            except TimeoutError:
                continue  # look again: a newer build, or a generation that lost its workers
            if generation.retired:
                self._retire(worker)
                continue
            return worker

    async def run(self, job: Job, timeout: float) -> tuple[Reply, str]:
        """Answer ``job`` within ``timeout`` seconds of evaluation (waiting for a free worker is bounded too).

        Returns the reply and the name of the build folder that answered.
        """
        worker = await self._acquire(timeout)
        healthy = False
        try:
            reply = await anyio.to_thread.run_sync(_exchange, worker.conn, job, timeout)
            healthy = True
            return reply, worker.generation.build.name
        except WorkerDied:
            worker.process.join(1)
            code = worker.process.exitcode
            limit = self.settings.memory_limit_mb
            hint = f"; it probably needed more than the memory limit of {limit:,} MiB per query" if limit else ""
            raise WorkerDied(f"the query process stopped (exit code {code}){hint}") from None
        finally:
            if not healthy:
                self._discard(worker)
                self._top_up(worker.generation)
            elif worker.generation.retired:
                self._retire(worker)
            else:
                worker.generation.idle.put_nowait(worker)

    async def close(self) -> None:
        """Stop every worker (they hold a read-only store; there is nothing to flush)."""
        self._closing = True
        workers = list(self._generation.workers) if self._generation else []
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in workers:
            worker.process.join(2)
            self._discard(worker)
        for task in list(self._tasks):
            task.cancel()
